"""What an agreement's front matter says about the agreement: its title, parties and date.

Reads the draft's `front-matter` blocks (a cover page, whatever precedes the table of contents) and
returns suggestions, never facts: parse fills the empty fields of `agreement.yaml` with them once
and lists them as `unconfirmed` for the curator. Writes nothing.

- **Title**: the lines of the cover set in its largest type (a PDF), or its first block (a text),
  joined by a space.
- **Parties**: a line that is a list of two to eight names (`VVD, D66 en CDA`, `SPD · GRÜNE ·
  FDP`), each short and capitalised; or consecutive lines that each hold one acronym-like name.
- **Date**: a day, a month name and a year in any language parse knows (`12 november 2026`,
  `7. Dezember 2026`) or `12-11-2026`; a month and a year alone are noted, not made a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from policykb.language import every_language, month_number
from policykb.parse.blocks import Block
from policykb.parse.lines import SourceLine

_NAME = re.compile(r"^[A-ZÀ-Ý0-9][\w'’./&+-]*(?:\s[\w'’./&+-]+){0,4}$")
_ACRONYM = re.compile(r"^(?=(?:.*[A-ZÀ-Ý0-9]){2})[A-ZÀ-Ý][\w/&+-]{1,30}(?:\s[\w/&+-]+){0,3}$")
"""A party's name alone on a line: capitalised, with a second capital or a digit (`GroenLinks`, `D66`)."""
_SEPARATORS = re.compile(r"\s*(?:,|;|·|•|\||\s[–—-]\s)\s*")
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>[0-3]?\d)\.?\s+(?P<month>[^\W\d_]{3,})\s+(?P<year>(?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(r"\b(?P<month>[^\W\d_]{3,})\s+(?P<year>(?:19|20)\d\d)\b")
_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)[-./](?P<month>[01]?\d)[-./](?P<year>(?:19|20)\d\d)\b")


@dataclass
class FrontMatter:
    """Suggestions from the front matter; each `None` (or empty) when it does not say."""

    title: str | None = None
    parties: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_text: str | None = None
    """The date as printed (`12 november 2026`), also when it names no day (`december 2026`)."""
    date_page: int | None = None
    blocks: int = 0

    def as_data(self) -> dict[str, object]:
        """The suggestions as `structure.yaml` records them."""
        data: dict[str, object] = {"title": self.title, "parties": list(self.parties)}
        data["date"] = (
            None
            if self.date_text is None
            else {
                "value": self.date,
                "printed": self.date_text,
                "page": self.date_page,
            }
        )
        return data


def read_front_matter(blocks: list[Block]) -> FrontMatter | None:
    """The suggestions of the draft's front matter, None when it has none."""
    front = [block for block in blocks if block.kind == "front-matter"]
    if not front:
        return None
    lines = [line for block in front for line in block.lines if line.text.strip()]
    result = FrontMatter(blocks=len(front))
    result.title = _title(front, lines)
    for line in lines:
        if result.date_text is None:
            found = _date(line.text)
            if found is not None:
                result.date, result.date_text = found
                result.date_page = line.page
                continue
        if not result.parties and " ".join(line.text.split()) != result.title:
            result.parties = _parties(line.text)
    if not result.parties:
        result.parties = _parties_on_lines(lines, result.title)
    return result


def _title(front: list[Block], lines: list[SourceLine]) -> str | None:
    sized = [line for line in lines if line.size is not None]
    if sized:
        largest = max(line.size or 0.0 for line in sized)
        return _joined([line.text for line in sized if line.size == largest]) or None
    return " ".join(front[0].text.split()) or None


def _joined(lines: list[str]) -> str:
    """Lines of a title as one: a line that ends in a dash (`2026–`) runs on without a space."""
    out = ""
    for line in (" ".join(text.split()) for text in lines):
        out += ("" if not out or out.endswith(("-", "–", "—")) else " ") + line
    return out


def _date(text: str) -> tuple[dt.date | None, str] | None:
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = month_number(match.group("month"))
        if month is not None:
            try:
                return dt.date(int(match.group("year")), month, int(match.group("day"))), match.group(0)
            except ValueError:
                continue
    numeric = _NUMERIC.search(text)
    if numeric:
        try:
            value = dt.date(int(numeric.group("year")), int(numeric.group("month")), int(numeric.group("day")))
            return value, numeric.group(0)
        except ValueError:
            pass
    for month_year in _MONTH_YEAR.finditer(text):
        if month_number(month_year.group("month")) is not None:
            return None, month_year.group(0)
    return None


def _and_words() -> str:
    words = sorted({word for each in every_language() for word in each.and_}, key=len, reverse=True)
    return "|".join(re.escape(word) for word in words)


def _parties(text: str) -> list[str]:
    """The names of a line that lists parties, or nothing."""
    line = " ".join(text.split())
    if line.endswith((".", ":", "?", "!")):
        return []
    items = [item for item in _SEPARATORS.split(re.sub(rf"\s+(?:{_and_words()})\s+", ", ", line)) if item]
    if not 2 <= len(items) <= 8:
        return []
    if all(_NAME.match(item) and len(item) <= 40 and _date(item) is None for item in items):
        return items
    return []


def _parties_on_lines(lines: list[SourceLine], title: str | None) -> list[str]:
    """Two or more consecutive lines that each hold one acronym-like name (`VVD` / `D66` / `CDA`)."""
    best: list[str] = []
    run: list[str] = []
    for line in lines:
        text = " ".join(line.text.split())
        if text != title and _ACRONYM.match(text) and _date(text) is None:
            run.append(text)
            continue
        best = run if len(run) > len(best) else best
        run = []
    best = run if len(run) > len(best) else best
    return best if 2 <= len(best) <= 8 else []
