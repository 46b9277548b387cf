"""Read a PDF into `SourceLine`s, with the layout facts that plain text loses.

`read_pdf(path)` opens the PDF with pdfplumber (pdfminer.six underneath) and returns one
`SourceLine` per printed line of every page, in reading order (top to bottom; a single-column
layout is assumed, as in coalition agreements). The fields are filled as follows:

- `text`: the words of the line, verbatim, joined by single spaces, or by a tab where they stand
  further apart than a tab stop (`Inleiding⇥3` in a table of contents whose only leader is the
  gap). Accents and curly quotes come out as printed; a ligature glyph (ﬁ, ﬂ, ﬀ, ...) comes out
  as its letters, and decomposed accents are composed (NFC), so `financiële` reads the same as in
  the source. A bullet keeps the glyph the PDF gives (•, –, or a Symbol-font private-use
  character such as U+F0B7) as its first character, followed by one space and the text. Rotated
  text (watermarks, side notes) is skipped.
- `number`: the running 1-based line index over the whole document.
- `page` / `page_printed` / `physical_page`: `physical_page` is the PDF page (1-based). `page` is
  the number a reader sees: where running headers or footers carry page numbers and at least two
  pages agree on one constant offset (printed = PDF page + offset), every page gets PDF page +
  offset (`page_printed` true, also for a page whose footer is missing), and the pages before
  printed page 1 (a cover, a table of contents) get none. A document that prints no numbers
  reports its PDF pages (`page_printed` false). The agreement's page labels come from this.
- `residue`: page furniture, found with evidence, never by pattern alone. A line is a running
  header or footer (`page-header` / `page-footer`; `page-number` when it is only a page number:
  `3`, `- 3 -`, `Pagina 3 van 50`) only where position, repetition and size agree: it stands in
  the top or bottom margin (at a page edge, set apart from the body by more than a paragraph's
  spacing), the same line (digits masked) stands at the same height in the same size on most
  pages, and it is not a list item. Residue is marked, never dropped; what parse removes is
  listed in the page map and limited in share (`max_removed_percent`).
- `front`: front matter. With a table of contents, every line before it (and its title,
  "Inhoud", "Inhaltsverzeichnis", ... from `policykb/languages/`); without one, the leading pages
  that hold no body text (no bullet and fewer than two lines in the body's type): the cover.
- `heading_level`: the rank of the line's heading style, 1 the highest. The body style is the most
  common (size, bold, italic) by characters. A heading style is bigger than the body, or the
  body's size (±0.5 pt) in bold or italic: a subsection set in Calibri Italic 11 beside an 11 pt
  body is one. A line in such a style is a heading only where its run of lines (at most three)
  stands alone: it starts a block, does not end like a sentence (`.,;:!`), is not continued by a
  lowercase line or a line of the same paragraph, and is followed by a gap, a bullet or a new
  block; so an italic intro paragraph or a bold phrase inside a bullet is text, never a heading.
  The accepted styles are ranked by size (largest first), then bold, then italic. Bullets, table
  rows, residue, contents entries and front matter are never headings. The ranks become levels
  in `policykb.parse.contents`, with the table of contents as evidence.
- `block_start`: a vertical gap clearly larger than the usual gap between body lines, a first-line
  indent, a bullet glyph, a change of style (heading to body and back, into or out of a table, a
  new line style or page in the front matter), or a line after one that ended its sentence well
  short of the right margin (a paragraph's short last line). The gap and indent cues are only
  read within a page, so the first line of a page continues the block of the previous page
  unless it has a cue of its own (a bullet split over a page break stays one bullet).
- `table`: a table pdfplumber finds from the ruling lines of a page (`find_tables`, at least two
  rows and two columns) becomes one line per row, its cells joined with " | " in column order (a
  cell's own wrapped lines joined with a space; an empty cell stays empty: `Totaal |  | 120`).
- `indent`, `size`, `style`: where the line starts, its main font size, and its type style named
  for people (`Carlito 11 pt italic`), for `policykb parse --explain`.

Anything that cannot be read is a `DataError` naming the file, with a one-line message: not a
PDF, a truncated or damaged file, an encrypted file, or a PDF without extractable text (a scan:
OCR is not supported).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pdfplumber.page
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import PdfminerException

from policykb.language import structural_words
from policykb.parse.lines import Residue, SourceLine
from policykb.problems import refuse
from policykb.terminal import steps

__all__ = ["read_pdf"]


class PdfError(Exception):
    """Inside this module: a PDF that cannot be read (one line: why, and what to do). `read_pdf`
    turns it into the located `DataError` every stage reports."""


_SIGNATURE = b"%PDF-"
_SIGNATURE_WINDOW = 1024
"""Readers accept the signature anywhere in the first kilobyte (junk before it is tolerated)."""
_END_MARKER = b"%%EOF"
_END_WINDOW = 2048

_MARGIN = 0.15
"""Header and footer candidates lie in the top or bottom 15 % of the page height."""
_MAX_EDGE_LINES = 3
"""At most this many lines at either edge of a page can be residue (header, page number, rule text)."""
_REPEAT_SHARE = 0.5
"""A line at a page edge that repeats (digits masked) on half the pages, and on two at least, is a
running header or footer. A body line that happens to open a few pages ("Dit willen we doen:")
does not repeat that often."""
_REPEAT_SHARE_SMALL_FONT = 0.2
"""In a font smaller than the body text, a fifth of the pages is enough: a running header that
changes per chapter still counts."""
_SAME_PLACE = 2.0
"""Occurrences of a running header stand within this many points of the same height on every page."""
_APART = 1.2
"""Furniture is set apart from the body by a gap of at least this many body sizes (Word: the header
sits some 23 pt above the text; paragraphs are 8-10 pt apart, lines of a list 2-3 pt)."""

_WORD_GAP = 0.15
"""Chars further apart than this fraction of the font size start a new word: PDFs without space
characters (TeX, some Word exports) still get their word breaks, kerned letters stay together."""
_SAME_LINE = 0.4
"""Words whose vertical centres differ by less than this fraction of their height share a line
(a bullet glyph from a symbol font sits a little higher or lower than the text beside it)."""
_GAP_CUE = 0.2
"""A gap more than this fraction of the body size above the usual line gap starts a block (a
paragraph spacing of even 2-3 pt is deliberate; wrapped lines of one paragraph vary by < 0.5 pt)."""
_INDENT_CUE = 0.8
"""A first line indented by at least this fraction of the body size starts a block."""
_BIGGER = 1.0
"""A heading font is at least this many points bigger than the body (or bold)."""
_MAX_HEADING_LINES = 3
"""A heading wraps to three lines at most; more lines in a heading style are a lead paragraph."""

_BOLD_FONT = re.compile(r"bold|black|heavy|demi|semibold|[-,]bd\b", re.IGNORECASE)
_ITALIC_FONT = re.compile(r"italic|oblique|[-,](?:bd)?it\b", re.IGNORECASE)
_TAB_GAP = 2.0
"""Words further apart than this many font sizes are separated by a tab stop, not a space
(justified text stretches a space to one size at most)."""
_BULLET_GLYPHS = frozenset("•◦▪▫■□●○‣⁃∙·–—-►▶▸➢➤✓✔❖◆◇★*")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?"  # "- ", "Pagina ", "blz. "
    r"(\d{1,4})"
    r"(?:\s*(?:van|of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",  # " van 50", " / 50", " -"
    re.IGNORECASE,
)
_TOC_ENTRY = re.compile(r"(?:\.\s*){4,}\d{1,4}\s*$|…+\s*\d{1,4}\s*$|\S\t+\d{1,4}\s*$")
_DIGITS = re.compile(r"\d+")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: list[dict[str, Any]]

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Line:
    page: int
    """0-based physical page index."""
    text: str
    x0: float
    top: float
    bottom: float
    size: float
    bold: bool
    bullet: bool
    italic: bool = False
    x1: float = 0.0
    font: str = ""
    """The family of the line's main font, without subset tag or style (`Carlito`)."""
    table: bool = False
    first_row: bool = False
    """The first row of a table found on this page."""
    residue: Residue | None = None
    heading_level: int | None = None
    block_start: bool = False
    toc: bool = False
    """An entry of a table of contents (a title, then leaders or a wide gap, then a page number)."""
    front: bool = False

    @property
    def content(self) -> bool:
        return self.residue is None

    @property
    def style(self) -> tuple[float, bool, bool]:
        """What makes a heading style: size, weight, slant (the family is the document's)."""
        return (self.size, self.bold, self.italic)

    def style_name(self) -> str:
        traits = [name for name, on in (("bold", self.bold), ("italic", self.italic)) if on]
        return " ".join([self.font or "?", f"{self.size:g} pt", *traits])


@dataclass
class _Page:
    index: int
    height: float
    lines: list[_Line]


def read_pdf(source: Path | bytes, path: Path | str | None = None) -> list[SourceLine]:
    """The lines of the PDF (a file, or its bytes as read from `path`), with page, residue,
    heading level, block start and table; a PDF that cannot be read is a `DataError` naming the
    file, with one line that says why."""
    where = path if path is not None else source if isinstance(source, Path) else "<pdf>"
    try:
        try:
            data = source.read_bytes() if isinstance(source, Path) else source
        except OSError as error:
            raise PdfError(f"cannot read the file: {error.strerror or error}") from None
        return _read(data)
    except PdfError as error:
        raise refuse(where, str(error)) from None


def _read(data: bytes) -> list[SourceLine]:
    _check_signature(data)
    pages = _read_pages(data)
    if not any(page.lines for page in pages):
        raise PdfError(
            "the PDF has no extractable text (a scanned or image-only PDF?): OCR is not supported; "
            "run OCR first or parse a text source instead"
        )
    _check_decodable(pages)
    _mark_residue(pages)
    printed = _printed_pages(pages)
    lines = [line for page in pages for line in page.lines]
    body = _body_style(lines)
    _mark_toc_entries(lines)
    _mark_front_matter(pages, body)
    _mark_headings(lines, body)
    _mark_block_starts(lines, body)
    return [
        SourceLine(
            text=line.text,
            number=number,
            page=printed[line.page][0],
            residue=line.residue,
            heading_level=line.heading_level,
            block_start=line.block_start,
            table=line.table,
            physical_page=line.page + 1,
            page_printed=printed[line.page][1],
            front=line.front,
            indent=round(line.x0, 1),
            size=line.size,
            style=line.style_name(),
        )
        for number, line in enumerate(lines, start=1)
    ]


# --- reading -----------------------------------------------------------------------------------


def _check_signature(data: bytes) -> None:
    """Refuse what is plainly not a PDF before pdfminer does, with a clearer message."""
    if not data:
        raise PdfError("the file is empty: it is not a PDF")
    if _SIGNATURE not in data[:_SIGNATURE_WINDOW]:
        raise PdfError("not a PDF file: it does not start with the %PDF- signature")


def _ends_properly(data: bytes) -> bool:
    """A complete PDF ends with %%EOF (give or take trailing junk); a cut-off download does not."""
    return _END_MARKER in data[-_END_WINDOW:]


def _read_pages(data: bytes) -> list[_Page]:
    """Every page's lines. pdfminer raises anything from its own errors to KeyError on a damaged
    file, so everything it raises here becomes a `PdfError`; the analysis after this does not."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf, steps("pdf lezen", len(pdf.pages)) as advance:
            pages = []
            for index, page in enumerate(pdf.pages):
                advance(f"pagina {index + 1}")  # on a terminal only
                if page.rotation and not _mostly_upright(page.chars):
                    page = _unrotated(pdf, page)
                pages.append(_Page(index, float(page.height), _page_lines(page, index)))
                page.close()  # frees the page's parsed objects: memory stays flat on long PDFs
    except PdfError:
        raise
    except Exception as error:  # noqa: BLE001 - see the docstring
        raise PdfError(_describe(error, _ends_properly(data))) from None
    if not pages:
        raise PdfError("the PDF has no pages")
    return pages


def _mostly_upright(chars: list[dict[str, Any]]) -> bool:
    return 2 * sum(1 for char in chars if char.get("upright", True)) >= len(chars)


def _unrotated(pdf: Any, page: Any) -> Any:
    """A page with a /Rotate entry whose text is upright only as drawn (a portrait page saved
    turned a quarter): read as drawn, the rotation for display left out."""
    page.close()
    page_obj = page.page_obj
    page_obj.attrs = {key: value for key, value in page_obj.attrs.items() if key != "Rotate"}
    page_obj.rotate = 0
    return pdfplumber.page.Page(pdf, page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


def _describe(error: Exception, ends_properly: bool) -> str:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return "the PDF is encrypted and needs a password to open: save an unencrypted copy and parse that"
    if isinstance(cause, PDFEncryptionError):
        return f"the PDF is encrypted in a way that cannot be read ({cause}): save an unencrypted copy"
    if isinstance(cause, PSEOF) or not ends_properly:
        return "the PDF is truncated (the file stops before its end, no %%EOF): get a complete copy"
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return f"the PDF is damaged and cannot be read ({detail})"


def _check_decodable(pages: list[_Page]) -> None:
    """Fonts without a Unicode map give `(cid:12)` instead of letters: as useless as a scan."""
    text = "".join(line.text for page in pages for line in page.lines)
    garbage = sum(len(match) for match in _CID.findall(text))
    if garbage > len(text) / 2:
        raise PdfError(
            "the PDF's text cannot be decoded (its fonts have no Unicode map): OCR is not supported; "
            "run OCR first or parse a text source instead"
        )


def _page_lines(page: Any, index: int) -> list[_Line]:
    """The page's lines in reading order: text lines and table rows, merged by position."""
    raw = extract_words(_usable_chars(page.chars), x_tolerance_ratio=_WORD_GAP, return_chars=True)
    words = [_Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["chars"]) for w in raw]
    tables = _tables(page)
    free: list[_Word] = [word for word in words if not any(_inside(word, table.bbox) for table in tables)]
    lines = [_text_line(group, index) for group in _group_lines(free)]
    for table in tables:
        lines.extend(_table_lines(table, words, index))
    lines.sort(key=lambda line: (line.top, line.x0))
    return [line for line in lines if line.text]


def _usable_chars(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's upright chars, each once.

    Rotated chars would make garbage lines out of a watermark or a side note. A char drawn twice
    at (nearly) the same place (fake bold, a text shadow) would double its letters. pdfplumber's
    `dedupe_chars` does this too, but takes seconds per page on long pages; a rounded-position key
    is enough here.
    """
    placed: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    usable = []
    for char in chars:
        if not char.get("upright", True):
            continue
        x, y = int(char["x0"]), int(char["top"])
        near = (
            other for dx in (-1, 0, 1) for dy in (-1, 0, 1) for other in placed.get((char["text"], x + dx, y + dy), ())
        )
        if any(abs(other["x0"] - char["x0"]) < 1 and abs(other["top"] - char["top"]) < 1 for other in near):
            continue
        placed.setdefault((char["text"], x, y), []).append(char)
        usable.append(char)
    return usable


def _tables(page: Any) -> list[Any]:
    """Ruled tables of at least 2 x 2 cells (a single framed box is not a table)."""
    if not page.edges:  # find_tables is the slow part: skip pages without any ruling
        return []
    return [
        table for table in page.find_tables() if len(table.rows) >= 2 and max(len(row.cells) for row in table.rows) >= 2
    ]


def _inside(word: _Word, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle_x = (word.x0 + word.x1) / 2
    return x0 <= middle_x <= x1 and top <= word.middle <= bottom


def _group_lines(words: list[_Word]) -> list[list[_Word]]:
    """Words sharing a baseline band form a line; each line is ordered left to right."""
    groups: list[list[_Word]] = []
    middles: list[float] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if groups:
            height = max(word.height, max(w.height for w in groups[-1]))
            if abs(word.middle - middles[-1]) <= _SAME_LINE * height:
                groups[-1].append(word)
                continue
        groups.append([word])
        middles.append(word.middle)
    return [sorted(group, key=lambda w: w.x0) for group in groups]


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_bullet_glyph(text: str) -> bool:
    return len(text) == 1 and (text in _BULLET_GLYPHS or 0xE000 <= ord(text) <= 0xF8FF)


def _text_line(words: list[_Word], page: int) -> _Line:
    bullet = len(words) > 1 and _is_bullet_glyph(words[0].text)
    chars = [char for word in words[1 if bullet else 0 :] for char in word.chars if char["text"].strip()]
    size = _dominant_size(chars)
    main = [char for char in chars if float(char["size"]) >= size - 1.0]  # footnote marks aside
    return _Line(
        page=page,
        text=_clean(_joined(words, size)),
        x0=words[0].x0,
        top=min(word.top for word in words),
        bottom=max(word.bottom for word in words),
        size=size,
        bold=_all_match(main, _BOLD_FONT),
        bullet=bullet,
        italic=_all_match(main, _ITALIC_FONT),
        x1=words[-1].x1,
        font=_family(main),
    )


def _joined(words: list[_Word], size: float) -> str:
    """The words joined by a space, or by a tab where they stand further apart than a tab stop
    (`Inleiding⇥3` in a table of contents: the gap is the only leader some documents have)."""
    parts = [words[0].text]
    for previous, word in pairwise(words):
        parts.append("\t" if word.x0 - previous.x1 > _TAB_GAP * max(size, 1.0) else " ")
        parts.append(word.text)
    return "".join(parts)


def _all_match(chars: list[dict[str, Any]], pattern: re.Pattern[str]) -> bool:
    """Every char's font name says bold (or italic): a line set in that style throughout."""
    return bool(chars) and all(pattern.search(char.get("fontname", "")) for char in chars)


def _family(chars: list[dict[str, Any]]) -> str:
    """The most common font family of the chars: `ABCDEF+Carlito-BoldItalic` is `Carlito`."""
    names = Counter(str(char.get("fontname", "")) for char in chars)
    if not names:
        return ""
    name = names.most_common(1)[0][0].split("+", 1)[-1]
    return re.split(r"[-,]", name, maxsplit=1)[0]


def _dominant_size(chars: list[dict[str, Any]]) -> float:
    """The font size most of the line's characters have (half points: renderers round)."""
    sizes = Counter(round(float(char["size"]) * 2) / 2 for char in chars)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _table_lines(table: Any, words: list[_Word], page: int) -> list[_Line]:
    """One line per table row: the cells' text in column order, joined with " | "."""
    lines: list[_Line] = []
    for row in table.rows:
        cells = []
        chars: list[dict[str, Any]] = []
        for bbox in row.cells:
            if bbox is None:  # covered by a cell spanning from the left: no column of its own
                continue
            inside = [word for word in words if _inside(word, bbox)]
            chars.extend(char for word in inside for char in word.chars)
            cells.append(" ".join(" ".join(w.text for w in group) for group in _group_lines(inside)))
        if not any(cells):
            continue
        x0, top, _, bottom = row.bbox
        size = _dominant_size(chars)
        text = _clean(" | ".join(cells))
        lines.append(_Line(page, text, x0, top, bottom, size, False, False, table=True, first_row=not lines))
    return lines


# --- page residue and printed page numbers -----------------------------------------------------


def _shape(text: str) -> str:
    """A header's identity across pages: the page number (or any digits) masked, case folded."""
    return _DIGITS.sub("#", " ".join(text.split())).casefold()


def _edge_lines(page: _Page) -> list[tuple[str, list[_Line]]]:
    """The lines at the top and at the bottom edge of the page, outermost first."""
    lines = [line for line in page.lines if not line.table]
    top = [line for line in lines[:_MAX_EDGE_LINES] if line.bottom <= page.height * _MARGIN]
    bottom = [line for line in reversed(lines[-_MAX_EDGE_LINES:]) if line.top >= page.height * (1 - _MARGIN)]
    return [("top", top), ("bottom", bottom)]


def _furniture_key(edge: str, line: _Line) -> tuple[str, str, float]:
    """What stays the same for one running header or footer from page to page."""
    return (edge, _shape(line.text), line.size)


def _mark_residue(pages: list[_Page]) -> None:
    """Mark page furniture (see the module docstring): walk in from each edge while lines repeat in
    place and size, then keep only a run that stands apart from the body."""
    heights: dict[tuple[str, str, float], list[float]] = {}
    for page in pages:
        for edge, lines in _edge_lines(page):
            for line in lines:
                if not line.bullet:
                    heights.setdefault(_furniture_key(edge, line), []).append(line.top)
    places = {key: sorted(tops)[len(tops) // 2] for key, tops in heights.items()}
    agreeing = {key: sum(1 for top in tops if abs(top - places[key]) <= _SAME_PLACE) for key, tops in heights.items()}
    body_size = _body_size([line for page in pages for line in page.lines])
    needed = max(2, math.ceil(_REPEAT_SHARE * len(pages)))
    needed_small = max(2, math.ceil(_REPEAT_SHARE_SMALL_FONT * len(pages)))
    for page in pages:
        for edge, lines in _edge_lines(page):
            run = []
            for line in lines:
                key = _furniture_key(edge, line)
                in_place = key in places and abs(line.top - places[key]) <= _SAME_PLACE
                repeated = in_place and agreeing[key] >= (needed_small if line.size < body_size - 0.5 else needed)
                alone = len(pages) == 1 and _PAGE_NUMBER.match(line.text) is not None
                if line.bullet or not (repeated or alone):
                    break  # the body starts here: nothing nearer the middle is residue
                run.append(line)
            while run and not _apart(page, run[-1], edge, body_size):
                run.pop()  # the run runs into the body: what is left of it is furniture, if anything
            for line in run:
                if _PAGE_NUMBER.match(line.text):
                    line.residue = "page-number"
                else:
                    line.residue = "page-header" if edge == "top" else "page-footer"


def _apart(page: _Page, line: _Line, edge: str, body_size: float) -> bool:
    """`line` is set apart from the next line towards the middle of the page (or is the last)."""
    index = page.lines.index(line)
    inward = index + 1 if edge == "top" else index - 1
    if not 0 <= inward < len(page.lines):
        return True
    other = page.lines[inward]
    gap = other.top - line.bottom if edge == "top" else line.top - other.bottom
    return gap >= _APART * body_size


def _printed_pages(pages: list[_Page]) -> dict[int, tuple[int | None, bool]]:
    """Page index -> the page number to report, and whether it is the printed one (see the module
    docstring): a document that prints no numbers reports PDF pages; one that does reports the
    printed numbers, and nothing for the pages before its numbering starts (a cover)."""
    offset = _page_offset(pages)
    if offset is None:
        return {page.index: (page.index + 1, False) for page in pages}
    printed: dict[int, tuple[int | None, bool]] = {}
    for page in pages:
        number = page.index + 1 + offset
        printed[page.index] = (number, True) if number >= 1 else (None, False)
        for line in page.lines:
            # A lone number at a page edge that is not this page's number (a year, a count) is text.
            if line.residue == "page-number" and _page_value(line.text) != number:
                line.residue = None
    return printed


def _page_offset(pages: list[_Page]) -> int | None:
    """The constant printed-minus-physical offset most pages agree on, if at least two do."""
    votes: Counter[int] = Counter()
    for page in pages:
        numbers: set[int] = set()
        for line in page.lines:
            if line.residue == "page-number":
                numbers.add(_page_value(line.text))
            elif line.residue is not None:
                numbers.update(int(digits) for digits in _DIGITS.findall(line.text))
        votes.update({number - (page.index + 1) for number in numbers})
    if not votes:
        return None
    offset, count = votes.most_common(1)[0]
    return offset if count >= min(2, len(pages)) else None


def _page_value(text: str) -> int:
    match = _PAGE_NUMBER.match(text)
    return int(match.group(1)) if match else -1


# --- the table of contents and front matter -------------------------------------------------


def _contents_title(text: str) -> bool:
    return " ".join(text.split()).casefold().rstrip(":") in structural_words("contents_titles")


def _mark_toc_entries(lines: list[_Line]) -> None:
    """Entries of a table of contents: a title, then dot leaders or a tab stop, then a page number,
    among other such lines or under a contents title ("Inhoud"). Never headings, never content."""
    candidates = [
        index
        for index, line in enumerate(lines)
        if line.content and not line.table and not line.bullet and _TOC_ENTRY.search(line.text)
    ]
    chosen = set(candidates)
    for index in candidates:
        near = [other for other in candidates if other != index and abs(other - index) <= 2]
        titled = any(_contents_title(lines[other].text) for other in range(max(0, index - 3), index))
        if not near and not titled:
            chosen.discard(index)
    for index in chosen:
        lines[index].toc = True


def _mark_front_matter(pages: list[_Page], body: tuple[float, bool, bool]) -> None:
    """The cover and whatever precedes the table of contents are the agreement's front matter:
    its title, parties and date, never a section. Without a table of contents, the pages before
    the first that holds body text (a bullet, or two lines of body type) are."""
    lines = [line for page in pages for line in page.lines if line.content]
    first_toc = next((index for index, line in enumerate(lines) if line.toc), None)
    if first_toc is not None:
        start = first_toc
        while start > 0 and start > first_toc - 3 and not _contents_title(lines[start].text):
            start -= 1
        start = start if _contents_title(lines[start].text) else first_toc
        for line in lines[:start]:
            line.front = True
        return
    for page in pages:
        content = [line for line in page.lines if line.content and not line.table]
        body_lines = [line for line in content if line.style == body and len(line.text) >= 40]
        if any(line.bullet for line in content) or len(body_lines) >= 2 or any(line.table for line in page.lines):
            return
        for line in content:
            line.front = True


# --- headings ----------------------------------------------------------------------------------


def _body_size(lines: list[_Line]) -> float:
    """The most common font size by character count, over content lines outside tables."""
    return _body_style(lines)[0]


def _body_style(lines: list[_Line]) -> tuple[float, bool, bool]:
    """The most common style (size, bold, italic) by character count, over content lines outside
    tables: the body text's."""
    styles: Counter[tuple[float, bool, bool]] = Counter()
    for line in lines:
        if line.content and not line.table:
            styles[line.style] += len(line.text.replace(" ", ""))
    return styles.most_common(1)[0][0] if styles else (0.0, False, False)


def _heading_style(line: _Line, body: tuple[float, bool, bool]) -> tuple[float, bool, bool] | None:
    """The style of a line that could be a heading: set apart from the body by size, weight or
    slant, not a list item, a table row, furniture, a contents entry or front matter."""
    if not line.content or line.table or line.bullet or line.toc or line.front:
        return None
    if not any(char.isalpha() for char in line.text) or line.style == body:
        return None
    size = body[0]
    if line.size >= size + _BIGGER or (line.size >= size - 0.5 and (line.bold or line.italic)):
        return line.style
    return None


def _mark_headings(lines: list[_Line], body: tuple[float, bool, bool]) -> None:
    """A heading is a run of at most three lines in a heading style that stands alone: it starts
    a block, does not end like a sentence, and is followed by body text (not the rest of its own
    sentence, not a table). A bold or italic phrase inside a paragraph or a bullet never is one.
    The styles of the headings found are ranked (size, then bold, then italic), 1 first."""
    content = [line for line in lines if line.content]
    styles = {index: style for index, line in enumerate(content) if (style := _heading_style(line, body))}
    gap = _usual_gap(content, body[0])
    right = _right_edge(content, body)
    accepted: dict[int, tuple[float, bool, bool]] = {}
    for run in _style_runs(content, styles):
        if _stands_alone(content, run, styles, body[0], gap, right):
            accepted.update((index, styles[index]) for index in run)
    ranked = sorted(set(accepted.values()), key=lambda style: (-style[0], not style[1], not style[2]))
    rank = {style: position for position, style in enumerate(ranked, start=1)}
    for index, style in accepted.items():
        content[index].heading_level = rank[style]


def _right_edge(lines: list[_Line], body: tuple[float, bool, bool]) -> float:
    """Where body lines end when they are full (the 90th percentile of their right ends)."""
    ends = sorted(line.x1 for line in lines if line.style == body and not line.table and not line.front)
    return ends[int(0.9 * (len(ends) - 1))] if ends else 0.0


def _stands_alone(
    lines: list[_Line],
    run: list[int],
    styles: dict[int, tuple[float, bool, bool]],
    body_size: float,
    gap: float,
    right: float,
) -> bool:
    first, last = lines[run[0]], lines[run[-1]]
    text = " ".join(lines[index].text for index in run)
    if len(run) > _MAX_HEADING_LINES or text.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_END):
        return False  # a lead paragraph or a sentence in that style, not a heading
    following = lines[run[-1] + 1] if run[-1] + 1 < len(lines) else None
    if following is None or following.table or following.toc:
        return False  # a caption before a table, or the last line of the document
    if not following.bullet and _first_letter(following.text).islower():
        return False  # the sentence goes on: an emphasised phrase that filled its line
    previous = lines[run[0] - 1] if run[0] else None
    if previous is not None and previous.page == first.page and run[0] - 1 not in styles:
        full = previous.x1 >= right - 2 * body_size
        if full and not _ends_sentence(previous.text) and first.top - previous.bottom <= gap + _GAP_CUE * body_size:
            return False  # the paragraph of the full line before it goes on in another type
    apart = following.page != last.page or following.top - last.bottom > gap + _GAP_CUE * body_size
    return apart or following.bullet or last.x1 < right - 2 * body_size  # a full line, then more: a paragraph


_SENTENCE_END = tuple(".,;:!")
_CLOSERS = "\"'”’»)"


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS).endswith(tuple(".!?:;"))


def _first_letter(text: str) -> str:
    return next((character for character in text if character.isalpha()), "")


def _style_runs(lines: list[_Line], styles: dict[int, tuple[float, bool, bool]]) -> list[list[int]]:
    """Runs of consecutive lines in one heading style, set as one paragraph (tight line spacing)."""
    runs: list[list[int]] = []
    for line_index in sorted(styles):
        if runs:
            last = runs[-1][-1]
            previous, line = lines[last], lines[line_index]
            if (
                last == line_index - 1
                and styles[last] == styles[line_index]
                and previous.page == line.page
                and line.top - previous.bottom < 0.5 * line.size
            ):
                runs[-1].append(line_index)
                continue
        runs.append([line_index])
    return runs


# --- block starts ------------------------------------------------------------------------------


def _usual_gap(lines: list[_Line], body_size: float) -> float:
    """The most common gap between two consecutive body lines on a page: the line spacing."""
    gaps: Counter[float] = Counter()
    for previous, line in pairwise(lines):
        if _plain_body(previous, body_size) and _plain_body(line, body_size) and previous.page == line.page:
            gap = line.top - previous.bottom
            if -body_size < gap < body_size:
                gaps[round(gap * 2) / 2] += 1
    return gaps.most_common(1)[0][0] if gaps else 0.2 * body_size


def _plain_body(line: _Line, body_size: float) -> bool:
    return line.content and not line.table and line.heading_level is None and line.size == body_size


def _mark_block_starts(lines: list[_Line], body: tuple[float, bool, bool]) -> None:
    content = [line for line in lines if line.content]
    body_size = body[0]
    threshold = _usual_gap(content, body_size) + _GAP_CUE * body_size
    right = _right_edge(content, body)
    for position, line in enumerate(content):
        previous = content[position - 1] if position else None
        following = content[position + 1] if position + 1 < len(content) else None
        line.block_start = _starts_block(line, previous, following, threshold, body_size, right)


def _starts_block(
    line: _Line, previous: _Line | None, following: _Line | None, threshold: float, body_size: float, right: float
) -> bool:
    if previous is None or line.bullet:
        return True
    if line.table:
        return line.first_row or not previous.table  # a table is one block; its rows are its lines
    if previous.table:
        return True
    if line.heading_level != previous.heading_level:
        return True  # a change of style is a cue of its own, also across a page break
    if (line.front or previous.front) and (line.style != previous.style or line.page != previous.page):
        return True  # the cover's lines: a title, the parties, a date, each its own block
    if previous.page == line.page and line.top - previous.bottom > threshold:
        return True
    if _ends_sentence(previous.text) and previous.x1 < right - 3 * body_size and not previous.bullet:
        return True  # the line before ended its sentence well short of the margin: a paragraph ended
    return _first_line_indent(line, previous, following, threshold, body_size)


def _first_line_indent(
    line: _Line, previous: _Line | None, following: _Line | None, threshold: float, body_size: float
) -> bool:
    """Indented against the next line of the same paragraph, which starts further left.

    The last wrapped line of a bullet is indented against a next bullet or a next paragraph too:
    those are told apart because a bullet's lines follow a bullet line or an equally indented line.
    """
    if following is None or following.page != line.page or following.bullet or following.table:
        return False
    if following.heading_level != line.heading_level or following.top - line.bottom > threshold:
        return False
    if line.x0 - following.x0 < _INDENT_CUE * body_size:
        return False
    if previous is not None and (previous.bullet or abs(previous.x0 - line.x0) <= 1.0):
        return False
    return True
