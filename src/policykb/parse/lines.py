"""The parse stage's common input: a source (text or PDF) read as a list of lines.

Both readers (`read_text` here, `read_pdf` in `policykb.parse.pdf`) produce `SourceLine`s; the
block builder (`policykb.parse.blocks`) turns them into headings, preambles, measures and excluded
spans without caring where they came from. A PDF reader fills the layout fields (page, residue,
heading level, block start, table); the text reader leaves them empty and the block builder finds
the same things from textual cues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Residue = Literal["page-number", "page-header", "page-footer"]


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of the source as received.

    `text` has no line terminator and keeps stray spaces; `number` is the 1-based line number in a
    text source, or the running line index in a PDF (for located messages).
    """

    text: str
    number: int
    page: int | None = None
    """The page the line is on (a PDF knows it: the printed number where found, else the index)."""
    residue: Residue | None = None
    """Layout residue: removed from text.txt and noted in the page map."""
    heading_level: int | None = None
    """The rank of the line's heading style, 1 = the highest; None = not a heading (PDF only:
    from size, weight, slant and the way the line stands alone). A rank, not yet a level: the
    table of contents may map ranks to levels (`policykb.parse.contents`)."""
    block_start: bool = False
    """A vertical gap or first-line indent says a new block starts at this line (PDF only)."""
    table: bool = False
    """The line lies inside a table the PDF reader detected (becomes an excluded `table` span)."""
    physical_page: int | None = None
    """The 1-based physical page: counted by form feeds in a text that has them, the PDF page."""
    page_printed: bool = False
    """`page` is the number printed on the page (or its place in the printed numbering), not the
    physical page: a PDF's page labels come from these."""
    front: bool = False
    """Front matter (a cover page, anything before the table of contents): PDF only."""
    indent: float | None = None
    """Where the line starts, in points from the page's left edge (PDF only)."""
    size: float | None = None
    """The line's main font size in points (PDF only)."""
    style: str | None = None
    """The line's type style as a reader names it (`Carlito 16 pt bold`; PDF only): for `--explain`."""
