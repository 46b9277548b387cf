"""Merge a fresh parse into the curated measures: match, update parse-owned fields, retire, add.

Reads the measure blocks of a new draft and the measures on disk (round-trip YAML, comments
kept); returns the new content of every measure file and one line per decision. Matching: exact
text first, then same section by similarity, then any section by higher similarity; an existing
measure left unmatched is retired, a block left unmatched becomes a new measure. Only the fields
parse owns are touched (`text`, `source`, `section`, `lifecycle`/`retired`; `id` and `title` on
creation); everything else is the curator's. A new id is never one in use anywhere in the
repository.

A curator's edit of a field parse owns is not merged but found first (`hand_edits`) and reported
as a conflict: reverting it silently would lose the edit, and matching on an edited text would
retire the measure with its links and status and bring its bullet back as a new one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from policykb.load import MeasureRecord
from policykb.model import Measure, SourceSpan, fingerprint
from policykb.text import title_from
from policykb.yamlio import Map, mapping, set_key

_NUMBERED_ID = re.compile(r"^(.+)-(\d+)$")
SAME_SECTION_SIMILARITY = 0.6
OTHER_SECTION_SIMILARITY = 0.85
BRUTE_FORCE_LIMIT = 200
"""Up to this many unmatched blocks, every edited measure is compared with every block."""
SHORTLIST = 25
"""Beyond it, each edited measure is compared with this many blocks that share its words."""


@dataclass(frozen=True)
class FoundMeasure:
    """A measure as the new parse finds it in the text."""

    text: str
    section: str
    start: int
    end: int
    page: int | None
    prefix: str
    order: int


@dataclass(frozen=True)
class HandEdit:
    """A parse-owned field of a measure that a person changed."""

    item: MeasureRecord
    field: str
    message: str


GONE = "its block is no longer in the source text"
"""The reason parse gives a measure it retires; a measure retired with it is parse's doing, even
where its words still stand in the text (a bullet that became prose)."""


def hand_edits(
    existing: list[MeasureRecord], previous_text: str | None, section_at: Callable[[int], str | None]
) -> list[HandEdit]:
    """The parse-owned fields curators changed since the last parse. `previous_text` is the
    `text.txt` that parse wrote (None when it is missing or was changed itself); `section_at`
    gives the section the previous structure puts an offset in."""
    edits = []
    for item in existing:
        measure, source = item.measure, item.measure.source
        if source is None:
            continue
        if measure.origin == "prose":  # its text is the curator's; parse places it (`source`)
            moved = (
                fingerprint(measure.text) == source.fingerprint
                and previous_text is not None
                and previous_text[source.start : source.end] != measure.text
            )
            if moved and measure.lifecycle == "active":
                edits.append(_span_edited(item, source))
            continue
        if fingerprint(measure.text) != source.fingerprint:
            edits.append(
                HandEdit(
                    item,
                    "text",
                    "edited by hand, but the text is parse's: it is the source's own words "
                    "(fix a typo in the source and re-parse)",
                )
            )
            continue
        if previous_text is None:
            continue
        quoted = previous_text[source.start : source.end] == measure.text
        if measure.lifecycle == "active" and not quoted:
            edits.append(_span_edited(item, source))
        elif measure.lifecycle == "active" and section_at(source.start) not in (None, measure.section):
            edits.append(
                HandEdit(
                    item,
                    "section",
                    f"edited by hand, but the section is parse's: the text stands in '{section_at(source.start)}'",
                )
            )
        elif measure.lifecycle == "retired" and quoted and (measure.retired is None or measure.retired.reason != GONE):
            edits.append(
                HandEdit(
                    item, "lifecycle", "retired by hand, but lifecycle is parse's: the text still stands in the source"
                )
            )
    return edits


def _span_edited(item: MeasureRecord, source: SourceSpan) -> HandEdit:
    return HandEdit(
        item,
        "source",
        f"edited by hand, but the span is parse's: text.txt[{source.start}:{source.end}] is not the measure's text",
    )


def restore(edit: HandEdit, previous_text: str | None) -> MeasureRecord | None:
    """The measure as parse last wrote it, as far as that can be known, to be merged and written
    back with the source's values (`--accept-source`: `merge` is told to write it back). None
    when the edited text of a retired measure cannot be recovered: no source holds it any more."""
    measure, source = edit.item.measure, edit.item.measure.source
    assert source is not None
    if edit.field == "text":
        original = previous_text[source.start : source.end] if previous_text is not None else None
        if original is not None and fingerprint(original) == source.fingerprint:
            measure = measure.model_copy(update={"text": original})
        elif measure.lifecycle == "retired":
            return None
    return replace(edit.item, measure=measure)


def merge(
    found: list[FoundMeasure],
    existing: list[MeasureRecord],
    text: str,
    preambles: list[tuple[str, int, int]],
    page_at: Callable[[int], int | None],
    measures_dir: Path,
    today: dt.date,
    taken: Callable[[], Iterable[str]] = lambda: (),
    restored: frozenset[Path] = frozenset(),
) -> tuple[dict[Path, Map], list[str]]:
    """The content every measure file should have, and the decisions taken, one line each.
    `taken` gives the measure ids in use elsewhere in the repository (other agreements); it is
    asked only when a new id is needed. `restored`: measures whose parse-owned fields are to be
    written back as the source has them, changed or not (`--accept-source`)."""
    log: list[str] = []
    result: dict[Path, Map] = {}
    matched: dict[int, MeasureRecord] = {}  # found order -> existing
    bullets = [item for item in existing if item.measure.origin == "bullet"]
    active = [item for item in bullets if item.measure.lifecycle == "active"]
    retired = [item for item in bullets if item.measure.lifecycle == "retired"]
    unmatched_existing = _match_exact(found, active, matched, "same text", log)
    _match_exact(found, retired, matched, "its text is back: revived", log)
    _match_similar(found, unmatched_existing, matched, log)

    matched_ids = {id(item) for item in matched.values()}
    for block in found:
        item = matched.get(block.order)
        if item is not None and _differs(item, block, restored):
            result[item.path] = _update(item.document.rt, block, revive=item.measure.lifecycle == "retired")

    for item in active:
        if id(item) not in matched_ids:
            raw = _put_back(item.document.rt, item.measure) if item.path in restored else item.document.rt
            result[item.path] = _retire(raw, today, GONE)
            log.append(f"retired {item.measure.id}: {GONE}")
    for item in retired:  # a retired measure edited by hand stays retired, with the text put back
        if item.path in restored and id(item) not in matched_ids:
            result[item.path] = _put_back(item.document.rt, item.measure)

    new_blocks = [block for block in found if block.order not in matched]
    highest = _highest_numbers([*(item.measure.id for item in existing), *taken()]) if new_blocks else {}
    prefixes = _section_prefixes(existing)
    for block in new_blocks:
        # A section keeps the code its measures already carry, even if codes computed from the
        # headings now come out differently (a section inserted before it, a renamed heading).
        prefix = prefixes.get(block.section, block.prefix)
        highest[prefix] = highest.get(prefix, 0) + 1
        measure_id = f"{prefix}-{highest[prefix]:03d}"
        result[measures_dir / f"{measure_id}.yaml"] = _create(measure_id, block)
        log.append(f"new {measure_id}: {title_from(block.text)!r}")

    for item in existing:
        if item.measure.origin == "prose":
            placed = _place_promoted(item, text, preambles, page_at, today, log, restored)
            if placed is not None:
                result[item.path] = placed
    return result, log


def _match_exact(
    found: list[FoundMeasure],
    candidates: list[MeasureRecord],
    matched: dict[int, MeasureRecord],
    why: str,
    log: list[str],
) -> list[MeasureRecord]:
    by_text: dict[str, list[FoundMeasure]] = {}
    for block in found:
        if block.order not in matched:
            by_text.setdefault(block.text, []).append(block)
    left = []
    for item in sorted(candidates, key=_position):
        blocks = by_text.get(item.measure.text)
        if blocks:
            # The same text may stand twice: prefer its own section, then the nearest place.
            block = min(blocks, key=lambda b: (b.section != item.measure.section, abs(b.start - _position(item))))
            blocks.remove(block)
            matched[block.order] = item
            if why != "same text" or _moved(item, block):
                log.append(f"kept {item.measure.id}: {why}")
        else:
            left.append(item)
    return left


def _match_similar(
    found: list[FoundMeasure], candidates: list[MeasureRecord], matched: dict[int, MeasureRecord], log: list[str]
) -> None:
    """Greedy best-first matching of edited measures to blocks left over.

    Every pair is compared when few blocks are left; with many (a large re-edit), each measure is
    compared only with the blocks that share the most of its less common words, so the work stays
    linear in the number of edits instead of growing with their square."""
    free = [block for block in found if block.order not in matched]
    shortlist = _shortlist(free) if len(free) > BRUTE_FORCE_LIMIT else None
    pairs = []
    for item in candidates:
        for block in shortlist(item.measure.text) if shortlist else free:
            same_section = block.section == item.measure.section
            threshold = SAME_SECTION_SIMILARITY if same_section else OTHER_SECTION_SIMILARITY
            matcher = SequenceMatcher(None, item.measure.text, block.text, autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                pairs.append((same_section, ratio, -abs(_position(item) - block.start), item, block))
    taken_items: set[int] = set()
    for same_section, ratio, _, item, block in sorted(pairs, key=lambda pair: pair[:3], reverse=True):
        if id(item) in taken_items or block.order in matched:
            continue
        taken_items.add(id(item))
        matched[block.order] = item
        where = "same section" if same_section else f"moved from {item.measure.section}"
        log.append(f"updated {item.measure.id}: text changed ({where}, similarity {ratio:.2f})")


def _shortlist(blocks: list[FoundMeasure]) -> Callable[[str], list[FoundMeasure]]:
    """A function giving, for a text, the blocks that share the most of its words (of four letters
    or more, leaving out the words too common to tell blocks apart)."""
    postings: dict[str, list[int]] = {}
    for index, block in enumerate(blocks):
        for word in _words(block.text):
            postings.setdefault(word, []).append(index)
    common = max(50, len(blocks) // 10)

    def candidates(text: str) -> list[FoundMeasure]:
        shared: Counter[int] = Counter()
        for word in _words(text):
            found = postings.get(word, [])
            if len(found) <= common:
                shared.update(found)
        return [blocks[index] for index, _ in shared.most_common(SHORTLIST)]

    return candidates


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.casefold()) if len(word) >= 4}


def _position(item: MeasureRecord) -> int:
    return item.measure.source.start if item.measure.source else 0


def _moved(item: MeasureRecord, block: FoundMeasure) -> bool:
    source = item.measure.source
    return source is None or source.start != block.start or item.measure.section != block.section


def _differs(item: MeasureRecord, block: FoundMeasure, restored: frozenset[Path]) -> bool:
    """Whether any field parse owns would change; an untouched file is left byte for byte."""
    measure, source = item.measure, item.measure.source
    return (
        item.path in restored
        or measure.lifecycle != "active"
        or measure.text != block.text
        or measure.section != block.section
        or source is None
        or (source.start, source.end, source.page) != (block.start, block.end, block.page)
    )


def _source_map(start: int, end: int, page: int | None, text: str) -> Map:
    return mapping(start=start, end=end, page=page, fingerprint=fingerprint(text))


def _update(raw: Map, block: FoundMeasure, revive: bool) -> Map:
    if revive:
        raw["lifecycle"] = "active"
        raw.pop("retired", None)
    set_key(raw, "section", block.section, "title")
    set_key(raw, "text", block.text, "section")
    set_key(raw, "source", _source_map(block.start, block.end, block.page, block.text), "text")
    if "title" not in raw:
        set_key(raw, "title", title_from(block.text), "lifecycle")
    return raw


def _put_back(raw: Map, measure: Measure) -> Map:
    """A hand-edited measure's text as `restore` recovered it (as parse last wrote it, where the
    old text still held it), and the fingerprint of that text: text and source agree again."""
    text = measure.text
    set_key(raw, "text", text, "section")
    if isinstance(raw.get("source"), dict):
        raw["source"]["fingerprint"] = fingerprint(text)
    return raw


def _retire(raw: Map, today: dt.date, reason: str) -> Map:
    if raw.get("lifecycle") == "retired":
        return raw
    set_key(raw, "lifecycle", "retired", "id")
    set_key(raw, "retired", mapping(date=today, reason=reason), "lifecycle")
    return raw


def _create(measure_id: str, block: FoundMeasure) -> Map:
    return mapping(
        id=measure_id,
        lifecycle="active",
        title=title_from(block.text),
        section=block.section,
        text=block.text,
        source=_source_map(block.start, block.end, block.page, block.text),
    )


def _section_prefixes(existing: list[MeasureRecord]) -> dict[str, str]:
    """Per section, the id prefix most of its active bullet measures carry."""
    counts: dict[str, Counter[str]] = {}
    for item in existing:
        match = _NUMBERED_ID.match(item.measure.id)
        if match and item.measure.lifecycle == "active" and item.measure.origin == "bullet":
            counts.setdefault(item.measure.section, Counter())[match.group(1)] += 1
    return {section: counter.most_common(1)[0][0] for section, counter in counts.items()}


def _highest_numbers(ids: Iterable[str]) -> dict[str, int]:
    """The highest number in use per id prefix (`ami-nat-004` -> {"ami-nat": 4}), retired included."""
    highest: dict[str, int] = {}
    for measure_id in ids:
        match = _NUMBERED_ID.match(measure_id)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), number)
    return highest


def _place_promoted(
    item: MeasureRecord,
    text: str,
    preambles: list[tuple[str, int, int]],
    page_at: Callable[[int], int | None],
    today: dt.date,
    log: list[str],
    restored: frozenset[Path],
) -> Map | None:
    """A measure a curator promoted from prose: find its text inside an intro paragraph (None when
    nothing parse owns would change)."""
    quote = item.measure.text
    places = []
    for section, start, end in preambles:
        position = text.find(quote, start, end)
        while position >= 0:
            places.append((section, position, page_at(position)))
            position = text.find(quote, position + 1, end)
    if not places:
        if item.measure.lifecycle == "active":
            log.append(f"retired {item.measure.id}: its promoted text no longer stands in an intro paragraph")
        return _retire(item.document.rt, today, "its promoted text no longer stands in an intro paragraph")
    same = [place for place in places if place[0] == item.measure.section]
    section, start, page = (same or places)[0]
    if len(places) > 1:
        log.append(f"note {item.measure.id}: its text stands {len(places)} times in intro paragraphs; took the first")
    block = FoundMeasure(quote, section, start, start + len(quote), page, "", -1)
    if not _differs(item, block, restored):
        return None
    return _update(item.document.rt, block, revive=item.measure.lifecycle == "retired")
