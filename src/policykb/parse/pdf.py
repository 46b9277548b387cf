"""Read a PDF into `SourceLine`s, with the layout facts that plain text loses.

`read_pdf(path)` opens the PDF with pdfplumber (pdfminer.six underneath) and returns one
`SourceLine` per printed line of every page, in reading order (top to bottom; a single-column
layout is assumed, as in coalition agreements). The fields are filled as follows:

- `text`: the words of the line, verbatim, joined by single spaces. Accents and curly quotes come
  out as printed; a ligature glyph (ﬁ, ﬂ, ﬀ, ...) comes out as its letters, and decomposed
  accents are composed (NFC), so `financiële` reads the same as in the source. A bullet keeps the
  glyph the PDF gives (•, –, or a Symbol-font private-use character such as U+F0B7) as its first
  character, followed by one space and the text. Rotated text (watermarks, side notes) is skipped.
- `number`: the running 1-based line index over the whole document.
- `page`: the printed page number where the page's header or footer carries one and the numbers
  agree with the page order (printed = physical index + a constant offset, verified across
  pages); a page without one inside the numbered range gets index + offset; any other page (no
  numbering at all, or front matter such as a cover before printed page 1) its 1-based physical
  index.
- `residue`: page furniture, found with evidence, never by pattern alone. A line is a running
  header or footer (`page-header` / `page-footer`; `page-number` when it is only a page number:
  `3`, `- 3 -`, `Pagina 3 van 50`) only where position, repetition and size agree: it stands in
  the top or bottom margin (at a page edge, set apart from the body by more than a paragraph's
  spacing), the same line (digits masked) stands at the same height in the same size on most
  pages, and it is not a list item. Residue is marked, never dropped; what parse removes is
  listed in the page map and limited in share (`max_removed_percent`).
- `heading_level`: a line in a bigger font than the body text (the most common size by character
  count), or in bold throughout, is a heading; the distinct heading styles (size, bold) are ranked
  from the largest, 1 first. Bullets, table rows, residue and table-of-contents entries (leader
  dots and a page number) are never headings.
- `block_start`: a vertical gap clearly larger than the usual gap between body lines, a first-line
  indent, a bullet glyph, or a change of style (heading to body and back, into or out of a table).
  The gap and indent cues are only read within a page, so the first line of a page continues the
  block of the previous page unless it has a cue of its own (a bullet split over a page break
  stays one bullet).
- `table`: a table pdfplumber finds from the ruling lines of a page (`find_tables`, at least two
  rows and two columns) becomes one line per row, its cells joined with " | " in column order (a
  cell's own wrapped lines joined with a space; an empty cell stays empty: `Totaal |  | 120`).

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

from policykb.parse.lines import Residue, SourceLine
from policykb.problems import refuse

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
_BULLET_GLYPHS = frozenset("•◦▪▫■□●○‣⁃∙·–—-►▶▸➢➤✓✔❖◆◇★*")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?"  # "- ", "Pagina ", "blz. "
    r"(\d{1,4})"
    r"(?:\s*(?:van|of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",  # " van 50", " / 50", " -"
    re.IGNORECASE,
)
_TOC_ENTRY = re.compile(r"(?:\.\s*){4,}\d{1,4}\s*$|…+\s*\d{1,4}\s*$")
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
    table: bool = False
    first_row: bool = False
    """The first row of a table found on this page."""
    residue: Residue | None = None
    heading_level: int | None = None
    block_start: bool = False

    @property
    def content(self) -> bool:
        return self.residue is None


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
    body_size = _body_size(lines)
    _mark_headings(lines, body_size)
    _mark_block_starts(lines, body_size)
    return [
        SourceLine(
            text=line.text,
            number=number,
            page=printed[line.page],
            residue=line.residue,
            heading_level=line.heading_level,
            block_start=line.block_start,
            table=line.table,
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
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for index, page in enumerate(pdf.pages):
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
    return _Line(
        page=page,
        text=_clean(" ".join(word.text for word in words)),
        x0=words[0].x0,
        top=min(word.top for word in words),
        bottom=max(word.bottom for word in words),
        size=size,
        bold=_all_bold(chars, size),
        bullet=bullet,
    )


def _all_bold(chars: list[dict[str, Any]], size: float) -> bool:
    """Every char is bold, footnote marks and other smaller chars aside."""
    main = [char for char in chars if float(char["size"]) >= size - 1.0]
    return bool(main) and all(_BOLD_FONT.search(char.get("fontname", "")) for char in main)


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


def _printed_pages(pages: list[_Page]) -> dict[int, int]:
    """Page index -> the page number to report (see the module docstring)."""
    offset = _page_offset(pages)
    if offset is None:
        return {page.index: page.index + 1 for page in pages}
    printed = {}
    for page in pages:
        number = page.index + 1 + offset
        printed[page.index] = number if number >= 1 else page.index + 1
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


# --- headings ----------------------------------------------------------------------------------


def _body_size(lines: list[_Line]) -> float:
    """The most common font size by character count, over content lines outside tables."""
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.content and not line.table:
            sizes[line.size] += len(line.text.replace(" ", ""))
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _heading_style(line: _Line, body_size: float) -> tuple[float, bool] | None:
    if not line.content or line.table or line.bullet or _TOC_ENTRY.search(line.text):
        return None
    if not any(char.isalpha() for char in line.text):
        return None
    bigger = line.size >= body_size + _BIGGER
    if bigger or (line.bold and line.size >= body_size - 0.5):
        return (line.size, line.bold)
    return None


def _mark_headings(lines: list[_Line], body_size: float) -> None:
    styles = {line_index: style for line_index, line in enumerate(lines) if (style := _heading_style(line, body_size))}
    for run in _style_runs(lines, styles):
        if len(run) > _MAX_HEADING_LINES:  # a lead paragraph in a bigger font, not a heading
            for line_index in run:
                del styles[line_index]
    ranked = sorted(set(styles.values()), key=lambda style: (-style[0], not style[1]))
    level = {style: rank for rank, style in enumerate(ranked, start=1)}
    for line_index, style in styles.items():
        lines[line_index].heading_level = level[style]


def _style_runs(lines: list[_Line], styles: dict[int, tuple[float, bool]]) -> list[list[int]]:
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


def _mark_block_starts(lines: list[_Line], body_size: float) -> None:
    content = [line for line in lines if line.content]
    threshold = _usual_gap(content, body_size) + _GAP_CUE * body_size
    for position, line in enumerate(content):
        previous = content[position - 1] if position else None
        following = content[position + 1] if position + 1 < len(content) else None
        line.block_start = _starts_block(line, previous, following, threshold, body_size)


def _starts_block(
    line: _Line, previous: _Line | None, following: _Line | None, threshold: float, body_size: float
) -> bool:
    if previous is None or line.bullet:
        return True
    if line.table:
        return line.first_row or not previous.table  # a table is one block; its rows are its lines
    if previous.table:
        return True
    if line.heading_level != previous.heading_level:
        return True  # a change of style is a cue of its own, also across a page break
    if previous.page == line.page and line.top - previous.bottom > threshold:
        return True
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
