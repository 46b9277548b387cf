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
    """1 = largest heading style; None = body text (PDF only: from font size and weight)."""
    block_start: bool = False
    """A vertical gap or first-line indent says a new block starts at this line (PDF only)."""
    table: bool = False
    """The line lies inside a table the PDF reader detected (becomes an excluded `table` span)."""
    physical_page: int | None = None
    """Text sources only: the 1-based page counted by form feeds, when the text has any."""
