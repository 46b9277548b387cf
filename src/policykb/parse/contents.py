"""The table of contents as evidence for the heading tree.

Reads the draft's `toc` blocks (their lines: a title, leaders or a tab stop, a printed page) and its
heading blocks; changes the headings' levels and kinds in place and returns what it found. Nothing
is written here; the table itself stays an excluded span.

- **Entries.** Each entry has a title, a printed page and a level: from its numbering (`2.3` is
  level 2), else from its indent (the PDF's, or a text's leading spaces: the distinct indents of the
  table, left to right), else 1. A title that wraps onto the next line is joined to it.
- **Matching.** Entries are matched to headings in order, by their title with numbering, case,
  spacing and hyphenation ignored. An entry that matches no heading may match a short block of its
  own (a line set in body type that the layout did not tell apart): it becomes a heading. An entry
  found nowhere is reported.
- **Levels.** A matched heading takes its entry's level. A heading the table leaves out takes the
  level its style (a PDF's style rank, or a text's numbering) has among the matched ones: the level
  most headings of that style have in the table, or one below the deepest style above it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from policykb.language import structural_words
from policykb.parse.blocks import Block
from policykb.parse.lines import SourceLine

_ENTRY = re.compile(r"^(?P<title>.*?[^\s.…])[\s.…]*?(?:\.{2,}|…+|(?:\. ?){2,}|\t+|\s+)\s*(?P<page>\d{1,4})\s*$")
_NUMBERING = re.compile(r"^\s*(?P<number>(?:\d{1,2}|[IVXLC]{1,6}|[A-Z])(?:\.\d{1,2})*)(?:\.|\))?\s+(?=\S)")
_TITLE = re.compile(r"^\s*(?:" + "|".join(re.escape(word) for word in structural_words("contents_titles")) + r")\b")
_MAX_PROMOTED_CHARACTERS = 160
"""A block promoted to a heading because the table names it is short: one or two lines."""


@dataclass
class Entry:
    """One entry of a table of contents."""

    title: str
    page: int
    level: int
    heading: Block | None = None
    """The heading it names, once matched."""


@dataclass
class Contents:
    """What the table of contents told: its entries (matched or not) and the headings it confirmed."""

    entries: list[Entry]
    promoted: int = 0

    @property
    def confirmed(self) -> int:
        return sum(1 for entry in self.entries if entry.heading is not None)

    @property
    def missing(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.heading is None]


def read_entries(blocks: list[Block]) -> list[Entry]:
    """The entries of every table of contents in the draft, in order."""
    raw: list[tuple[str, int, float | None, int | None]] = []
    for block in blocks:
        if block.kind != "toc":
            continue
        pending: list[SourceLine] = []
        for line in block.lines:
            text = " ".join(line.text.split()) if "\t" not in line.text else line.text.strip()
            if not pending and _TITLE.match(text.casefold()) and not re.search(r"\d\s*$", text):
                continue  # the table's own title
            match = _ENTRY.match(" ".join(part.text.strip() for part in [*pending, line]))
            if match is None:
                pending.append(line)
                continue
            first = pending[0] if pending else line
            title = " ".join(match.group("title").split())
            raw.append((title, int(match.group("page")), _indent(first), _depth(title)))
            pending = []
    indents = sorted({round(indent) for _, _, indent, depth in raw if indent is not None and depth is None})
    entries = []
    for title, page, indent, depth in raw:
        if depth is not None:
            level = depth
        elif indent is not None and indents:
            level = 1 + sum(1 for known in indents if known < round(indent) - 2)
        else:
            level = 1
        entries.append(Entry(title, page, level))
    if entries:  # numbering may start at chapter depth 2 ("1.1" first): the shallowest is level 1
        shallowest = min(entry.level for entry in entries)
        for entry in entries:
            entry.level -= shallowest - 1
    return entries


def _indent(line: SourceLine) -> float | None:
    if line.indent is not None:
        return line.indent
    spaces = len(line.text) - len(line.text.lstrip(" "))
    return float(spaces) * 3 if spaces else 0.0  # a text's indent in spaces, as points apart


def _depth(title: str) -> int | None:
    """The depth of an entry's arabic numbering (`2.3` is 2), None when it has none."""
    match = re.match(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S", title)
    return match.group(1).count(".") + 1 if match else None


def key(title: str) -> str:
    """A title as a table of contents and a heading share it: numbering, case, accents kept,
    spacing, hyphenation and dashes ignored."""
    text = unicodedata.normalize("NFC", title).replace("\u00ad", "")
    text = _NUMBERING.sub("", text, count=1)
    text = re.sub(r"[\u2010-\u2015-]", "-", text)
    text = re.sub(r"-\s+", "-", text)
    return " ".join(text.casefold().split()).rstrip(" .:")


def reconcile(blocks: list[Block]) -> Contents:
    """Match the table of contents with the headings of an assembled draft (see the module
    docstring); levels and kinds change in place."""
    entries = read_entries(blocks)
    contents = Contents(entries)
    if not entries:
        return contents
    candidates = [index for index, block in enumerate(blocks) if block.kind in ("heading", "prose")]
    cursor = 0
    for entry in entries:
        wanted = key(entry.title)
        found = None
        for position in range(cursor, len(candidates)):
            block = blocks[candidates[position]]
            if key(block.text) != wanted:
                continue
            if block.kind == "prose" and len(block.text) > _MAX_PROMOTED_CHARACTERS:
                continue
            found = position
            break
        if found is None:
            continue
        block = blocks[candidates[found]]
        if block.kind == "prose":
            block.kind = "heading"
            block.cues = [f"a short block of its own that the table of contents names (page {entry.page})"]
            contents.promoted += 1
        entry.heading = block
        cursor = found + 1
    _levels(blocks, entries)
    return contents


def _levels(blocks: list[Block], entries: list[Entry]) -> None:
    """Matched headings take their entry's level; the others the level of their style."""
    by_style: dict[int, Counter[int]] = {}
    matched = {id(entry.heading): entry for entry in entries if entry.heading is not None}
    for confirmed in matched.values():
        assert confirmed.heading is not None
        style = confirmed.heading.level
        if style is not None:
            by_style.setdefault(style, Counter())[confirmed.level] += 1
    level_of: dict[int, int] = {style: counts.most_common(1)[0][0] for style, counts in by_style.items()}
    styles = sorted({block.level for block in blocks if block.kind == "heading" and block.level is not None})
    deepest = 0
    for style in styles:
        if style in level_of:
            deepest = max(deepest, level_of[style])
        else:
            level_of[style] = deepest + 1
            deepest += 1
    for block in blocks:
        if block.kind != "heading":
            continue
        entry = matched.get(id(block))
        if entry is not None:
            block.level = entry.level
            block.cues.append(f"in the table of contents: level {entry.level}, page {entry.page}")
        else:
            block.level = level_of.get(block.level or 1, block.level or 1)
            block.cues.append(f"not in the table of contents: level {block.level} from its style")
