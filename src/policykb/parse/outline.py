"""Sections and ids: the heading tree of a draft, with ids that stay stable across re-parses.

Reads the draft's heading blocks, the outline hints of `agreement.yaml` and the previous
`structure.yaml` (to keep section ids of headings that kept their title). Section ids are slugs of
the heading (`ami-nationale-maatregelen`: the chapter's initials, then the title); measure ids are
`<chapter code>-<section code>-<nnn>` (`ami-nat-001`), assigned once and never renumbered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from policykb.parse.blocks import Block
from policykb.problems import Problem

STOPWORDS = frozenset(
    "aan als bij de den der des door een en het in met na naar of om onder op over te ten ter tot "
    "uit van voor and the of for to on".split()
)
_NUMBERING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")


@dataclass
class SectionDraft:
    """A heading in the tree (or the text before any heading, `heading is None`)."""

    id: str
    title: str
    level: int
    parent: str | None
    heading: Block | None
    code: str
    """Short code used in measure ids of this section (`nat`)."""
    chapter_code: str


def slug(text: str, limit: int = 40) -> str:
    """Lowercase ASCII slug, cut at a word boundary within `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    result = result or (words[0][:limit] if words else "")
    return result if len(result) >= 2 else f"{result}-x".lstrip("-") if result else "xx"


def _significant(title: str) -> list[str]:
    words = slug(_NUMBERING.sub("", title), limit=200).split("-")
    return [word for word in words if word not in STOPWORDS] or words


def _chapter_code(title: str) -> str:
    words = _significant(title)
    initials = "".join(word[0] for word in words)
    return initials if len(initials) >= 2 else words[0][:3]


def apply_outline_hints(blocks: list[Block], hints: list[tuple[str, int]], source: str) -> list[Problem]:
    """Force heading levels named in `agreement.yaml`'s `outline`; an unknown heading is a problem."""
    problems = []
    headings = {" ".join(block.text.split()).casefold(): block for block in blocks if block.kind == "heading"}
    for heading, level in hints:
        block = headings.get(" ".join(heading.split()).casefold())
        if block is None:
            problems.append(Problem(source, None, "outline", f"no heading '{heading}' in the text"))
        else:
            block.level = level
    return problems


def build_sections(
    blocks: list[Block], previous_ids: dict[str, list[str]], fallback_code: str
) -> tuple[list[SectionDraft], dict[int, SectionDraft]]:
    """The heading tree, and the section each block belongs to (by block index).

    Text before the first heading gets a section of its own only if it holds content (a measure
    or a preamble); a table of contents there belongs to no section."""
    sections: list[SectionDraft] = []
    owner: dict[int, SectionDraft] = {}
    stack: list[SectionDraft] = []
    used_ids: set[str] = set()
    used_codes: set[tuple[str, str]] = set()
    current: SectionDraft | None = None
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            level = block.level or 1
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            chapter_code = parent.chapter_code if parent else _chapter_code(block.text)
            kept = previous_ids.get(block.text)
            section_id = (
                kept.pop(0)
                if kept
                else (slug(block.text) if parent is None else f"{chapter_code}-{slug(_NUMBERING.sub('', block.text))}")
            )
            section_id = _unique(section_id, used_ids)
            code = "" if parent is None else _section_code(block.text, chapter_code, used_codes)
            current = SectionDraft(
                section_id, block.text, level, parent.id if parent else None, block, code, chapter_code
            )
            sections.append(current)
            stack.append(current)
            owner[index] = current
            continue
        if current is None and block.kind in ("bullet", "prose"):
            current = SectionDraft(
                _unique(f"{fallback_code}-begin", used_ids), "(zonder kop)", 1, None, None, "", fallback_code
            )
            sections.append(current)
        if current is not None:
            owner[index] = current
    return sections, owner


def _unique(candidate: str, used: set[str]) -> str:
    result, counter = candidate, 2
    while result in used:
        result = f"{candidate[:60]}-{counter}"
        counter += 1
    used.add(result)
    return result


def _section_code(title: str, chapter_code: str, used: set[tuple[str, str]]) -> str:
    word = _significant(title)[0]
    for length in range(3, len(word) + 1):
        code = word[:length]
        if (chapter_code, code) not in used:
            used.add((chapter_code, code))
            return code
    counter = 2
    while (chapter_code, f"{word[:3]}{counter}") in used:
        counter += 1
    used.add((chapter_code, f"{word[:3]}{counter}"))
    return f"{word[:3]}{counter}"


def measure_prefix(section: SectionDraft) -> str:
    """The id prefix of new measures in `section` (`ami-nat`, or `ami` directly under a chapter)."""
    return f"{section.chapter_code}-{section.code}" if section.code else section.chapter_code
