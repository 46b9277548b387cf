"""From source lines to a classified draft: the normalised text and every block in it.

Reads `SourceLine`s (from a text or a PDF) and returns a `Draft`: `text` (what `text.txt` holds)
and, in order, every block with its kind — heading, bullet (a measure), prose (a preamble),
`toc` / `table` / `decoration` / `front-matter` (kept in the text, excluded from content) — its
code-point span, its page and the cues that decided it (for `policykb parse --explain`), plus
the page residue it removed. Nothing is written here; the table of contents is read and
reconciled with the headings in `policykb.parse.contents`, the front matter in
`policykb.parse.front`.

Cues, in short (the decision record `docs/decisions/0005-parse-cues-and-ids.md` has the why):
- A double-spaced extraction (each text line followed by an empty line) makes empty lines
  meaningless; whitespace-only lines then separate blocks.
- A bullet is a line opening with a list glyph; an unambiguous glyph in mid-line starts a bullet
  that lost its line break. A bullet runs until a break, the next bullet or a heading, also across
  a page break.
- A heading is a short line that opens with a capital or a number, does not end a sentence, comes
  after a block ended, and is followed by the start of a new block (or, from a PDF, a heading
  style). Numbered headings take their level from the numbering.
- A table of contents is one block: lines with leaders (dots, a tab, wide spaces) and a page
  number among others like them, and under a contents title ("Inhoud", from
  `policykb/languages/`) also `Präambel 9` without leaders, for as long as the page numbers do
  not go down. Its title is part of it.
- Front matter: the lines a PDF reader marked `front` and, in a text, every block before a table
  of contents that follows some text (a cover).
- Page numbers (digits-only lines) and running headers (a short line, not a list item, next to
  more than half of the page breaks) are removed and noted; whitespace lines around them are
  part of the residue. A parse that would remove more than the agreement's
  `max_removed_percent` of the text fails (the caller checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from policykb.language import structural_words
from policykb.parse.lines import Residue, SourceLine

BlockKind = Literal["heading", "bullet", "prose", "toc", "table", "decoration", "front-matter"]
EXCLUDED: tuple[BlockKind, ...] = ("toc", "table", "decoration", "front-matter")
"""Blocks kept in the text but not content: each is an excluded span with its kind as reason."""

# Glyphs that only ever mark list items (also Symbol/Wingdings private-use glyphs from PDFs).
BULLET_GLYPHS = "•▪◦●■□○▫‣⁃∙\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e0"
DASH_GLYPHS = "-–—"
_BULLET = re.compile(rf"^\s*([{BULLET_GLYPHS}]|[\uf000-\uf0ff])[\s\u00a0]+(?=\S)")
_DASH_BULLET = re.compile(rf"^\s*([{DASH_GLYPHS}])[\s\u00a0]+(?=\S)")
_MID_BULLET = re.compile(rf"(?<=\S)[ \t\u00a0]+(?=(?:[{BULLET_GLYPHS}]|[\uf000-\uf0ff])[\s\u00a0]+\S)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?(\d{1,4})(?:\s*(?:van|of|/)\s*\d{1,4})?(?:\s*[-–])?\s*$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(?=\S)")
# Each leader alternative matches a character one way only: no exponential backtracking.
_TOC_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.{3,}|…+|(?:\. ?){3,}|\t+|\s{3,})\s*(?P<page>\d{1,4})\s*$")
_TOC_TITLE = re.compile(
    r"^\s*(" + "|".join(re.escape(word) for word in structural_words("contents_titles")) + r")\s*:?\s*$", re.IGNORECASE
)
_TOC_LOOSE = re.compile(r"^(?P<title>.*?[^\d\s.])\s+(?P<page>\d{1,4})\s*$")
"""Under a contents title, a title and a page number are an entry even without leaders."""
_CELL_SPLIT = re.compile(r"\t+| {2,}|\s\|\s")
_NUMERIC_CELL = re.compile(r"^[€$£]?\s*[-+−]?\s*[\d.,]+\s*%?$|^[-–—]$")
_ANNEX = re.compile(
    r"^(" + "|".join(re.escape(word) for word in structural_words("annex_words")) + r")\b", re.IGNORECASE
)
_SENTENCE_END = tuple(".!?:;")
_CLOSERS = "\"'”’»)"


@dataclass
class Block:
    """One block of the draft, with its span in the normalised text once assembled."""

    kind: BlockKind
    lines: list[SourceLine]
    marker: str | None = None
    level: int | None = None
    numbering: str | None = None
    text: str = ""
    start: int = 0
    end: int = 0
    page: int | None = None
    removals: list[tuple[int, SourceLine]] = field(default_factory=list)
    """Residue removed inside or just before this block: (lines of the block before it, line)."""
    cues: list[str] = field(default_factory=list)
    """Why the block is what it is, in a curator's words (`policykb parse --explain`)."""


@dataclass(frozen=True)
class Removed:
    """Layout residue taken out of the text."""

    at: int
    text: str
    reason: Residue
    source_line: int


@dataclass
class Draft:
    """The normalised text, its blocks in order, page ranges and removed residue."""

    text: str
    blocks: list[Block]
    pages: list[tuple[int, int, int]]  # (page, start, end)
    removed: list[Removed]


@dataclass
class _Item:
    """A line in the stream, with the role the cues gave it."""

    line: SourceLine
    role: Literal["content", "break", "residue", "ignore"]
    residue: Residue | None = None
    page: int | None = None
    kind: BlockKind | Literal["text"] = "text"
    marker: str | None = None
    body: str = ""
    heading_level: int | None = None
    numbering: str | None = None
    removals_before: list[SourceLine] = field(default_factory=list)
    index: int = 0
    cue: str = ""


def build_draft(lines: list[SourceLine], page_numbers: str = "ends-page") -> Draft:
    """Classify `lines` and assemble the normalised text (see the module docstring)."""
    from_pdf = any(line.style is not None for line in lines)
    items = _roles(_split_mid_line_bullets(lines), from_pdf)
    _assign_pages(items, from_pdf, page_numbers)
    typical, width = _widths(items)
    _line_kinds(items, from_pdf, typical, width)
    blocks = _group(items, width, from_pdf)
    _front_matter(blocks)
    _heading_levels(blocks, from_pdf)
    return _assemble(blocks)


# --- lines -------------------------------------------------------------------------------------


def _split_mid_line_bullets(lines: list[SourceLine]) -> list[SourceLine]:
    """A bullet that lost its line break (`... tegen. • Volgende ...`) becomes its own line."""
    result = []
    for line in lines:
        parts = _MID_BULLET.split(line.text) if line.residue is None and not line.table else [line.text]
        result.append(_replace(line, text=parts[0]))
        result.extend(_replace(line, text=part, block_start=True) for part in parts[1:])
    return result


def _replace(line: SourceLine, **changes: object) -> SourceLine:
    values = {name: getattr(line, name) for name in line.__slots__}
    values.update(changes)
    return SourceLine(**values)


def _roles(lines: list[SourceLine], from_pdf: bool) -> list[_Item]:
    """Content, break, residue or ignorable: what each line is in the stream."""
    double_spaced = _double_spaced(lines)

    items = []
    for line in lines:
        if line.residue is not None:
            items.append(_Item(line, "residue", residue=line.residue))
        elif line.text == "":
            items.append(_Item(line, "ignore" if double_spaced else "break"))
        elif not line.text.strip():
            items.append(_Item(line, "break"))
        else:
            items.append(_Item(line, "content"))
    for index, item in enumerate(items):
        item.index = index
    if not from_pdf:
        _find_text_residue(items)
    # Whitespace lines around residue belong to the residue: a bullet split by a page break
    # must join up again.
    for index, item in enumerate(items):
        if item.role != "residue":
            continue
        for step in (-1, 1):
            neighbour = index + step
            while 0 <= neighbour < len(items) and items[neighbour].role in ("break", "ignore"):
                items[neighbour].role = "ignore"
                neighbour += step
    return items


def _inside_a_sentence(items: list[_Item], item: _Item) -> bool:
    """A number line between a line that runs on and a line that continues in lower case, with no
    break on either side, is part of the sentence (`elk jaar / 40 / miljoen`), not a page number."""
    before = _neighbour(items, item.index, -1)
    after = _neighbour(items, item.index, 1)
    if before is None or after is None or before.role != "content" or after.role != "content":
        return False
    if before.line.physical_page != after.line.physical_page:
        return False
    return not _ends_sentence(before.line.text) and _first_letter(after.line.text).islower()


def _double_spaced(lines: list[SourceLine]) -> bool:
    """Every text line followed by an empty line, and sentences run on across those empty lines:
    the empty lines are an artefact of the extraction, not paragraph breaks."""
    non_empty = [index for index, line in enumerate(lines[:-2]) if line.text.strip()]
    if not non_empty:
        return False
    followed_by_empty = [index for index in non_empty if lines[index + 1].text == ""]
    run_on = sum(
        1
        for index in followed_by_empty
        if not _ends_sentence(lines[index].text) and _first_letter(lines[index + 2].text).islower()
    )
    # One sentence running on across an empty line is rare in single-spaced text; in a
    # double-spaced extraction most wrapped lines do. Lines of spaces beside the empty ones are
    # the other tell: the extraction then marks real breaks with them.
    space_lines = sum(1 for line in lines if line.text and not line.text.strip())
    soft = sum(
        1 for index in followed_by_empty if not _ends_sentence(lines[index].text) and lines[index + 2].text.strip()
    )
    evidence = run_on >= max(1, 0.05 * len(followed_by_empty)) or (space_lines >= 2 and soft >= 1)
    return len(followed_by_empty) >= 0.8 * len(non_empty) and evidence


def _first_letter(text: str) -> str:
    """The first letter of a line, past quotes and brackets (`‘rust’` starts with `r`)."""
    return next((character for character in text if character.isalpha()), "")


def _find_text_residue(items: list[_Item]) -> None:
    """Page numbers and running headers/footers in a text source."""
    contents = [item for item in items if item.role == "content"]
    for position, item in enumerate(contents):
        match = _PAGE_NUMBER.match(item.line.text)
        if not match:
            continue
        neighbours = contents[max(0, position - 1) : position] + contents[position + 1 : position + 2]
        # A column of bare numbers is a table, not a page number.
        if any(_PAGE_NUMBER.match(other.line.text) for other in neighbours):
            continue
        if int(match.group(1)) == 0 or _inside_a_sentence(items, item):
            continue
        _mark_residue(item, "page-number")

    # Running headers/footers: the same short line, next to a page break, again and again.
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", " ".join(text.split())).lower()

    # A line counts as running header/footer when it stands next to most page breaks; then every
    # occurrence goes, also the one on the first page (which has no page break before it).
    breaks = max(
        sum(1 for item in items if item.residue == "page-number"),
        len({item.line.physical_page for item in items if item.line.physical_page is not None}) - 1,
    )
    lengths = sorted(len(item.line.text.strip()) for item in items if item.role == "content")
    short = 0.8 * lengths[int(0.98 * (len(lengths) - 1))] if lengths else 0
    near: dict[str, set[object]] = {}
    for index, item in enumerate(items):
        text = item.line.text.strip()
        # Running headers are short: a full-width line is body text, however often it recurs.
        if (
            item.role == "content"
            and len(text) <= short
            and not _BULLET.match(text)
            and not _DASH_BULLET.match(text)
            and not _ends_sentence(text)
        ):
            page_break = _near_page_break(items, index)
            if page_break is not None:
                near.setdefault(key(text), set()).add(page_break)
    # Counted per distinct page break: a line repeated around one break is not a running header;
    # one must stand at more than half of them.
    running = {line for line, page_breaks in near.items() if len(page_breaks) >= 2 and 2 * len(page_breaks) > breaks}
    first_content: dict[int | None, int] = {}
    for index, item in enumerate(items):
        if item.role == "content":
            first_content.setdefault(item.line.physical_page, index)
    for index, item in enumerate(items):
        if item.role == "content" and key(item.line.text.strip()) in running:
            _mark_residue(item, "page-header" if _before_page_start(items, index, first_content) else "page-footer")


def _mark_residue(item: _Item, residue: Residue) -> None:
    item.role, item.residue = "residue", residue
    item.line = _replace(item.line, residue=residue)


def _near_page_break(items: list[_Item], index: int) -> object | None:
    """The page break (a page number's index, or a form feed) right next to the line, if any:
    running headers and footers stand at the page edge, beside the page number."""
    for step in (-1, 1):
        seen = 0
        neighbour = index + step
        while 0 <= neighbour < len(items) and seen == 0:
            other = items[neighbour]
            if other.residue == "page-number":
                return neighbour
            if other.line.physical_page != items[index].line.physical_page:
                return ("form-feed", min(other.line.physical_page or 0, items[index].line.physical_page or 0))
            if other.role == "content":
                seen += 1
            neighbour += step
    return None


def _before_page_start(items: list[_Item], index: int, first_content: dict[int | None, int]) -> bool:
    """The line opens a page (a header) rather than closes one (a footer)."""
    page = items[index].line.physical_page
    if page is not None:
        return index <= first_content.get(page, index)
    if index <= first_content.get(None, index):
        return True  # the top of the first page
    distance = {}
    for step in (-1, 1):
        neighbour = index + step
        while 0 <= neighbour < len(items) and items[neighbour].residue != "page-number":
            neighbour += step
        distance[step] = abs(neighbour - index) if 0 <= neighbour < len(items) else len(items)
    # Nearer to the page number before it: it follows a page break, so it heads the new page.
    return distance[-1] <= distance[1]


def _assign_pages(items: list[_Item], from_pdf: bool, page_numbers: str) -> None:
    """The page of each line, where a page marker or the PDF bounds it; never extrapolated."""
    if from_pdf:
        for item in items:
            item.page = item.line.page
        return
    if any(item.line.physical_page is not None for item in items):
        printed: dict[int, int] = {}
        for item in items:
            if item.residue == "page-number" and item.line.physical_page is not None:
                printed.setdefault(item.line.physical_page, _page_value(item.line.text))
        for item in items:
            item.page = printed.get(item.line.physical_page or 0)
        return
    markers = [
        (index, _page_value(item.line.text)) for index, item in enumerate(items) if item.residue == "page-number"
    ]
    if page_numbers == "ends-page":
        # Each marker closes its page: everything since the previous marker is on it.
        cursor = 0
        for index, value in markers:
            for item in items[cursor:index]:
                item.page = value
            cursor = index + 1
    else:
        for position, (index, value) in enumerate(markers):
            stop = markers[position + 1][0] if position + 1 < len(markers) else len(items)
            for item in items[index + 1 : stop]:
                item.page = value


def _page_value(text: str) -> int:
    match = _PAGE_NUMBER.match(text)
    assert match is not None
    return int(match.group(1))


def _widths(items: list[_Item]) -> tuple[int, int]:
    """A typical line length (90th percentile) and the full width of the text block (the longest
    line, ignoring the top 2 % as outliers)."""
    lengths = sorted(len(item.line.text.strip()) for item in items if item.role == "content")
    if not lengths:
        return 80, 80
    return lengths[int(0.9 * (len(lengths) - 1))], lengths[int(0.98 * (len(lengths) - 1))]


def _line_kinds(items: list[_Item], from_pdf: bool, typical: int, width: int) -> None:
    """Bullet, heading, toc or table for each content line (text otherwise)."""
    positions = [index for index, item in enumerate(items) if item.role == "content"]
    contents = [items[index] for index in positions]
    table_like = [_table_like(item) for item in contents]
    entries = _contents_entries(contents)
    for position, item in enumerate(contents):
        text = item.line.text
        bullet = _BULLET.match(text)
        if item.line.table or (table_like[position] and _run_of(table_like, position)):
            item.kind, item.body = "table", text.strip()
            item.cue = "a row of a ruled table" if item.line.table else "a row of figures in cells"
        elif not bullet and ((_TOC_LINE.match(text) and _toc_context(contents, position)) or position in entries):
            item.kind, item.body = "toc", text.rstrip()  # the indent of an entry can be its level
            item.cue = "an entry of the table of contents"
        elif bullet:
            item.kind, item.marker, item.body = "bullet", bullet.group(1), text[bullet.end() :]
            item.cue = f"opens with the list glyph {bullet.group(1)!r}"
        elif _dash_bullet(contents, position):
            dash = _DASH_BULLET.match(text)
            assert dash is not None
            item.kind, item.marker, item.body = "bullet", dash.group(1), text[dash.end() :]
            item.cue = f"opens with the dash {dash.group(1)!r} where a list can start"
        elif from_pdf and item.line.heading_level is not None and not item.line.front:
            item.kind, item.body, item.heading_level = "heading", " ".join(text.split()), item.line.heading_level
            item.cue = f"heading type {item.line.style}, the {_ordinal(item.line.heading_level)} heading style"
        elif not from_pdf and _heading_cues(items, positions[position], typical, width):
            item.kind, item.body = "heading", " ".join(text.split())
            item.cue = "a short line that opens with a capital, ends no sentence and stands between blocks"
        else:
            item.body = text
            item.cue = "front matter" if item.line.front else "running text"
        if item.kind == "heading":
            numbered = _NUMBERED.match(item.body)
            item.numbering = numbered.group(1) if numbered else None


def _ordinal(rank: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(rank, f"{rank}th")


def _contents_entries(contents: list[_Item]) -> set[int]:
    """The lines under a contents title ("Inhoud") that are its entries even without leaders: a
    title and a page number not lower than the entry before (`Präambel 9`), or a title that wraps
    onto the next entry line. The first line that is neither ends the table."""
    entries: set[int] = set()
    pages = [item.line.physical_page or item.line.page or 0 for item in contents]
    highest = max(pages) if any(pages) else 9999  # an entry names a page the document has
    position = 0
    while position < len(contents):
        if not _TOC_TITLE.match(contents[position].line.text):
            position += 1
            continue
        last_page, position = 0, position + 1
        while position < len(contents):
            text = contents[position].line.text
            entry = _TOC_LINE.match(text) or _TOC_LOOSE.match(text)
            if entry and last_page <= int(entry.group("page")) <= highest:
                last_page = int(entry.group("page"))
            elif _ends_sentence(text) or not (
                position + 1 < len(contents) and _entry_after_wrap(contents[position + 1].line.text, last_page, highest)
            ):
                break
            entries.add(position)
            position += 1
    return entries


def _entry_after_wrap(text: str, last_page: int, highest: int) -> bool:
    entry = _TOC_LINE.match(text) or _TOC_LOOSE.match(text)
    return entry is not None and last_page <= int(entry.group("page")) <= highest and not _ends_sentence(text)


def _table_like(item: _Item) -> bool:
    cells = [cell for cell in _CELL_SPLIT.split(item.line.text.strip()) if cell.strip()]
    numeric = sum(1 for cell in cells if _NUMERIC_CELL.match(cell.strip()))
    return len(cells) >= 3 and numeric >= 2


def _run_of(flags: list[bool], position: int) -> bool:
    """Part of a run of at least two flagged lines."""
    return (position > 0 and flags[position - 1]) or (position + 1 < len(flags) and flags[position + 1])


def _toc_context(contents: list[_Item], position: int) -> bool:
    """A toc line stands among other toc lines or right after a toc title."""
    window = contents[max(0, position - 2) : position + 3]
    others = sum(1 for item in window if item is not contents[position] and _TOC_LINE.match(item.line.text))
    titled = any(_TOC_TITLE.match(item.line.text) for item in contents[max(0, position - 3) : position])
    return others >= 1 or titled


def _dash_bullet(contents: list[_Item], position: int) -> bool:
    """A dash opens a list item only where a list can start: not as the tail of a broken sentence."""
    if not _DASH_BULLET.match(contents[position].line.text):
        return False
    if position == 0 or contents[position].line.block_start:
        return True
    previous = contents[position - 1]
    return previous.kind == "bullet" or _ends_sentence(previous.line.text)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _heading_cues(items: list[_Item], index: int, typical: int, width: int) -> bool:
    """A short, capitalised, unpunctuated line between two blocks."""
    item = items[index]
    text = " ".join(item.line.text.split())
    body = _NUMBERED.sub("", text, count=1)
    if not body or not (body[0].isupper() or body[0].isdigit()) or not any(c.isalpha() for c in body):
        return False
    if len(text) > max(40, 0.8 * typical) or len(text.split()) > 15:
        return False
    if body.endswith((".", ",", ";", ":", "!")) or re.search(r"[.!?] \S", body):
        return False
    previous = _neighbour(items, index, -1)
    following = _neighbour(items, index, 1)
    opens = (
        previous is None
        or previous.role == "break"
        or previous.kind in ("heading", "toc", "table")
        or _ends_sentence(previous.line.text)
    )
    if following is None or following.role == "break" or _BULLET.match(following.line.text):
        closes = True
    else:
        first = following.line.text.lstrip()[:1]
        # A wrapped line ends where the next word would not fit; a heading ends where it ends.
        closes = (first.isupper() or first.isdigit()) and _next_word_fits(text, following.line.text, width)
    return opens and closes


def _next_word_fits(text: str, following: str, width: int) -> bool:
    """The first word of `following` would have fitted on the line `text`: the break is deliberate.

    A little slack (5 %) stands for indented lines, such as a bullet's, which wrap earlier."""
    words = following.split()
    return bool(words) and len(text.strip()) + 1 + len(words[0]) <= width - max(2, round(0.05 * width))


def _neighbour(items: list[_Item], index: int, step: int) -> _Item | None:
    """The nearest content line or break, skipping ignorable lines and residue."""
    index += step
    while 0 <= index < len(items):
        if items[index].role in ("content", "break"):
            return items[index]
        index += step
    return None


# --- blocks ------------------------------------------------------------------------------------


def _group(items: list[_Item], width: int, from_pdf: bool) -> list[Block]:
    """Lines into blocks; residue is attached to the block it interrupts, for the page map."""
    blocks: list[Block] = []
    current: Block | None = None
    pending: list[SourceLine] = []
    previous_content: _Item | None = None

    for item in items:
        if item.role == "residue":
            if current is not None:
                current.removals.append((len(current.lines), item.line))
            else:
                pending.append(item.line)
            continue
        if item.role == "break":
            current = None
            continue
        if item.role == "ignore":
            continue
        line = _replace(item.line, text=item.body, page=item.page)
        kind = item.kind
        starts_new = (
            current is None
            or kind in ("heading", "bullet")
            or (kind in ("toc", "table")) != (current.kind in ("toc", "table"))
            or (kind in ("toc", "table") and kind != current.kind)
            or current.kind == "heading"
            or item.line.block_start
            or (previous_content is not None and previous_content.line.front != item.line.front)
            or (
                current.kind == "prose"
                and not from_pdf  # a PDF's paragraphs end where its layout says (the reader's block starts)
                and previous_content is not None
                and _paragraph_ended(previous_content, item, width)
            )
        )
        if kind == "toc" and current is not None and current.kind == "toc":
            starts_new = False  # a table of contents is one block, its entries its lines
        if kind == "heading" and current is not None and current.kind == "heading" and not item.line.block_start:
            # A long heading wrapped over two lines in a PDF.
            if item.heading_level is not None and item.heading_level == current.level:
                starts_new = False
        if starts_new:
            block_kind: BlockKind = "prose" if kind == "text" else kind
            current = Block(block_kind, [], marker=item.marker, level=item.heading_level, numbering=item.numbering)
            current.cues = [item.cue] if item.cue else []
            blocks.append(current)
            current.removals.extend((0, residue) for residue in pending)
            pending = []
        assert current is not None
        current.lines.append(line)
        previous_content = item
    if pending and blocks:
        blocks[-1].removals.extend((len(blocks[-1].lines), residue) for residue in pending)
    _merge_toc_titles(blocks)
    for block in blocks:
        if block.kind == "prose" and not any(character.isalnum() for line in block.lines for character in line.text):
            block.kind = "decoration"
            block.cues = ["no letter or digit: a rule or an ornament"]
    return blocks


def _front_matter(blocks: list[Block]) -> None:
    """The agreement's front matter is not content: the lines the PDF reader marked (a cover
    page, whatever precedes the table of contents) and, in a text, every block before a table of
    contents that follows some text."""
    first_toc = next((index for index, block in enumerate(blocks) if block.kind == "toc"), None)
    for index, block in enumerate(blocks):
        if all(line.front for line in block.lines):
            block.kind = "front-matter"
            block.cues = ["front matter: before the table of contents, or a page without body text"]
        elif first_toc is not None and index < first_toc:
            block.kind = "front-matter"
            block.cues = ["front matter: it comes before the table of contents"]


def _paragraph_ended(previous: _Item, item: _Item, width: int) -> bool:
    """A prose line that ends a sentence where the next word would still have fitted ends its
    paragraph (the writer broke the line, not the margin)."""
    text = previous.line.text.strip()
    return _ends_sentence(text) and _next_word_fits(text, item.line.text, width)


def _merge_toc_titles(blocks: list[Block]) -> None:
    """`Inhoud` right before a table of contents is part of it, not a heading."""
    for index in range(len(blocks) - 2, -1, -1):
        block = blocks[index]
        if block.kind in ("heading", "prose") and len(block.lines) == 1 and _TOC_TITLE.match(block.lines[0].text):
            if blocks[index + 1].kind == "toc":
                following = blocks.pop(index + 1)
                block.kind, block.level = "toc", None
                block.cues = ["the title of the table of contents, then its entries"]
                block.lines.extend(following.lines)
                block.removals.extend((count + 1, line) for count, line in following.removals)


def _heading_levels(blocks: list[Block], from_pdf: bool) -> None:
    """Levels: a PDF's styles, or numbering depth, or title-then-sections; hints come later."""
    headings = [block for block in blocks if block.kind == "heading"]
    if not headings:
        return
    if from_pdf and all(block.level is not None for block in headings):
        return
    numbered_depths = [block.numbering.count(".") + 1 for block in headings if block.numbering]
    base_depth = min(numbered_depths) if numbered_depths else 1
    title_first = headings[0].numbering is None and len(headings) > 1
    offset = 1 if title_first else 0
    last_numbered: int | None = None
    for position, block in enumerate(headings):
        if block.numbering:
            block.level = block.numbering.count(".") + 1 - base_depth + 1 + offset
            last_numbered = block.level
        elif position == 0 and title_first:
            block.level = 1
        elif last_numbered is not None and _ANNEX.match(block.lines[0].text):
            block.level = 1 + offset  # an annex after numbered chapters stands beside them
        elif last_numbered is not None:
            block.level = last_numbered + 1
        else:
            block.level = 1 + offset


# --- text --------------------------------------------------------------------------------------


def join_lines_with_ends(lines: list[str]) -> tuple[str, list[int]]:
    """Join wrapped lines into one, and where each line ends in the result: a hyphen at a line
    end is kept and joined without a space, soft hyphens are dropped (a line ending in one joins
    without a space), anything else is joined with one space; runs of spaces collapse. Linear in
    the length of the block."""
    parts: list[str] = []
    ends: list[int] = []
    length = 0
    glue = ""
    for raw in lines:
        stripped = raw.rstrip()
        piece = " ".join(stripped.replace("\u00ad", "").split())
        if piece:
            if parts:
                parts.append(glue)
                length += len(glue)
            parts.append(piece)
            length += len(piece)
            hyphenated = piece.endswith("-") and len(piece) > 1 and piece[-2].isalnum()
            glue = "" if stripped.endswith("\u00ad") or hyphenated else " "
        ends.append(length)
    return "".join(parts), ends


def _assemble(blocks: list[Block]) -> Draft:
    """The normalised text: blocks separated by an empty line; spans and pages recorded."""
    parts: list[str] = []
    offset = 0
    removed: list[Removed] = []
    page_of_offsets: list[tuple[int, int, int | None]] = []
    kept = []
    for block in blocks:
        if block.kind in ("toc", "table"):
            segments = [
                " ".join(line.text.split()) if block.kind == "toc" else line.text.strip() for line in block.lines
            ]
            segments = [segment for segment in segments if segment]
            text = "\n".join(segments)
            ends = _cumulative(segments, 1)
        else:
            text, ends = join_lines_with_ends([line.text for line in block.lines])
        if not text:
            continue
        if offset:
            parts.append("\n\n")
            offset += 2
        block.text, block.start, block.end = text, offset, offset + len(text)
        block.page = block.lines[0].page
        line_start = 0
        for line, end in zip(block.lines, ends, strict=True):
            if end > line_start:
                page_of_offsets.append((offset + line_start, offset + end, line.page))
            line_start = end + 1 if end < len(text) and text[end] in " \n" else end
        for count, residue in block.removals:
            at = offset + (ends[count - 1] if count else 0)
            removed.append(
                Removed(at, " ".join(residue.text.split()), residue.residue or "page-number", residue.number)
            )
        parts.append(text)
        offset += len(text)
        kept.append(block)
    text = "".join(parts) + ("\n" if parts else "")
    return Draft(text=text, blocks=kept, pages=_page_ranges(page_of_offsets), removed=removed)


def _cumulative(segments: list[str], separator: int) -> list[int]:
    ends, total = [], 0
    for index, segment in enumerate(segments):
        total += len(segment) + (separator if index else 0)
        ends.append(total)
    return ends


def _page_ranges(pieces: list[tuple[int, int, int | None]]) -> list[tuple[int, int, int]]:
    """Merge consecutive pieces on the same known page into ranges."""
    ranges: list[tuple[int, int, int]] = []
    for start, end, page in pieces:
        if page is None:
            continue
        if ranges and ranges[-1][0] == page:
            ranges[-1] = (page, ranges[-1][1], end)
        else:
            ranges.append((page, start, end))
    return ranges
