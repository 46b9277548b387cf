"""The parse stage: from a source (text or PDF) to `policy/<agreement>/`.

Reads `source.txt` or `source.pdf` (or a new source given on the command line), the curated
`agreement.yaml`, the previous `structure.yaml` and the measures on disk. Writes exactly what
parse owns: `text.txt`, `structure.yaml`, the `sha256` of `agreement.yaml` (the rest of that file
is created once, then the curator's), and in measures `id` and `title` on creation, `text`,
`source`, `section` and `lifecycle`/`retired`. `plan` computes everything in memory; `apply`
writes it atomically; `--check` compares and writes nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykb import yamlio
from policykb.language import Language, detect
from policykb.language import language as language_of
from policykb.load import MeasureRecord, read_measures
from policykb.model import MAX_REMOVED_PERCENT, Agreement, Measure, Structure, fingerprint, sha256_bytes
from policykb.parse.blocks import EXCLUDED, Draft, build_draft
from policykb.parse.contents import Contents, reconcile
from policykb.parse.front import FrontMatter, read_front_matter
from policykb.parse.lines import SourceLine
from policykb.parse.merge import FoundMeasure, hand_edits, merge, restore
from policykb.parse.outline import apply_outline_hints, build_sections, measure_prefix
from policykb.parse.source import MAX_SOURCE_BYTES, is_pdf, read_source
from policykb.problems import DataError, Problem, refuse
from policykb.repo import Repo
from policykb.text import furniture_share, sentences
from policykb.validation import validate
from policykb.writing import Changes, digest, digest_of, staging_folder

__all__ = ["ParsePlan", "apply", "plan", "today"]


@dataclass
class ParsePlan:
    """Everything one parse would write (with the state each file was read in), and the
    decisions it took."""

    folder: Path
    pending: Changes
    log: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    """One line: what the parse found (headings per level and how many the contents confirmed)."""
    explanation: list[str] = field(default_factory=list)
    """Per block, what it is and the cues that decided it (`policykb parse --explain`)."""

    @property
    def files(self) -> dict[Path, bytes]:
        return self.pending.files

    def changes(self) -> list[Path]:
        """The files whose content differs from what is on disk (or that do not exist yet)."""
        return self.pending.changes()


def today() -> dt.date:
    """Today, or the date of `SOURCE_DATE_EPOCH` when set (reproducible retirement dates)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def plan(
    repo: Repo,
    agreement_id: str,
    new_source: Path | None = None,
    *,
    on: dt.date | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
    accept_source: bool = False,
    max_removed: float | None = None,
    unit: str | None = None,
    language: str | None = None,
    measures: list[MeasureRecord] | None = None,
) -> ParsePlan:
    """Parse one agreement in memory. Raises `DataError` for a source that cannot be parsed and
    for bad curated data (a curator's edit of a field parse owns is one, unless `accept_source`
    puts the source's value back); writes nothing.
    `max_removed`: the share of the text (in %) page furniture may take, instead of the
    agreement's own limit. `unit` and `language`: a new agreement's unit of commitment and
    language (an existing one has them in its `agreement.yaml`; the language of a new one is
    detected when not given). `measures`: the agreement's measures as already loaded and
    validated (`policykb check`), instead of reading them again; their round-trip forms are read
    afresh if the plan needs them, so it never edits the caller's."""
    folder = repo.agreement_dir(agreement_id)
    context = {"vocabulary": repo.vocabulary}
    pending = Changes()
    agreement_path = folder / "agreement.yaml"
    agreement_document = yamlio.read(agreement_path) if agreement_path.is_file() else None
    agreement = (
        validate(Agreement, agreement_document, agreement_path, context) if agreement_document is not None else None
    )

    if new_source is not None:
        source_path = new_source
    elif agreement is not None:
        source_path = folder / agreement.source_file
        if not source_path.exists():
            raise refuse(
                source_path, f"missing; parse a source with `policykb parse SOURCE --agreement {agreement_id}`"
            )
    else:
        raise refuse(folder, f"no agreement here; create it with `policykb parse SOURCE --agreement {agreement_id}`")

    data, lines = read_source(source_path, max_bytes)
    source_name = (
        ("source.pdf" if is_pdf(data, source_path) else "source.txt") if new_source is not None else source_path.name
    )
    target = folder / source_name  # as it was when read: the very bytes parsed, or the file a new source replaces
    source_read = digest_of(data) if target.exists() and target.resolve() == source_path.resolve() else digest(target)
    draft = build_draft(lines, agreement.page_numbers if agreement else "ends-page")
    if not draft.blocks:
        raise refuse(source_path, "no text found after removing page residue")
    contents = reconcile(draft.blocks)
    front = read_front_matter(draft.blocks)
    code = agreement.language if agreement else language or detect(draft.text)
    words = language_of(code)
    unit = agreement.unit if agreement else unit or "bullet"
    is_measure = [_is_measure(draft.blocks, index, unit) for index in range(len(draft.blocks))]
    limit = (
        max_removed if max_removed is not None else agreement.max_removed_percent if agreement else MAX_REMOVED_PERCENT
    )
    raise_with = (
        "`max_removed_percent` in agreement.yaml" if agreement and max_removed is None else "`--max-removed PERCENT`"
    )
    _refuse_heavy_removal(draft, limit, source_path, raise_with)
    problems = apply_outline_hints(
        draft.blocks,
        [(hint.heading, hint.level) for hint in agreement.outline] if agreement else [],
        str(agreement_path),
    )
    if problems:
        raise DataError(problems)

    previous = _previous(folder, agreement)
    sections, owner = build_sections(draft.blocks, previous.section_ids, _fallback_code(agreement_id))
    page_at = _page_lookup(draft)
    id_prefix = agreement.id_prefix if agreement else _new_id_prefix(repo, agreement_id)

    found = [
        FoundMeasure(
            block.text,
            owner[index].id,
            block.start,
            block.end,
            block.page,
            _joined(id_prefix, measure_prefix(owner[index])),
            index,
        )
        for index, block in enumerate(draft.blocks)
        if is_measure[index]
    ]
    preamble_blocks = [
        (index, block) for index, block in enumerate(draft.blocks) if block.kind == "prose" and not is_measure[index]
    ]
    if measures is not None:
        existing = [
            MeasureRecord(
                item.path, item.measure, yamlio.Document(item.path, item.document.data, digest=item.document.digest)
            )
            for item in measures
        ]
        problems = []
    else:
        existing, problems = read_measures(folder / "measures", repo.vocabulary)
    if problems:  # a measure that does not load stops the parse before anything is lost
        raise DataError(problems)
    edits = hand_edits(existing, previous.text, previous.section_at)
    if edits and not accept_source:
        raise DataError(
            [
                Problem(
                    edit.item.path,
                    yamlio.line_of(edit.item.document, edit.field),
                    edit.field,
                    f"{edit.message}; put it back, or run `policykb parse --accept-source` to take the source's value",
                )
                for edit in edits
            ]
        )
    restored = {edit.item.path: restore(edit, previous.text) for edit in edits}
    lost = [edit for edit in edits if restored[edit.item.path] is None]
    if lost:
        raise DataError(
            [
                Problem(
                    edit.item.path,
                    yamlio.line_of(edit.item.document, "text"),
                    "text",
                    "edited by hand, and no source holds its text any more (the measure is retired): "
                    "put the text back by hand, from version control",
                )
                for edit in lost
            ]
        )
    existing = [restored.get(item.path) or item for item in existing]
    measure_files, log = merge(
        found,
        existing,
        draft.text,
        [(owner[index].id, block.start, block.end) for index, block in preamble_blocks],
        page_at,
        folder / "measures",
        on or today(),
        lambda: _ids_elsewhere(repo, agreement_id),
        frozenset(restored),
    )
    log[:0] = [f"accepted the source for {edit.item.measure.id}: {edit.field} as the source has it" for edit in edits]

    text_bytes = draft.text.encode("utf-8")
    structure = _structure(agreement_id, draft, sections, owner, preamble_blocks, words, contents, front, lines)
    promoted = [record.measure.text for record in existing if record.measure.origin == "prose"]
    for preamble in structure["preambles"]:
        for candidate in preamble["candidates"]:
            sentence = draft.text[candidate["start"] : candidate["end"]]
            if not any(text in sentence or sentence in text for text in promoted):
                log.append(f"candidate in {preamble['id']}: {sentence!r}")
    validate(Structure, structure, folder / "structure.yaml", context)  # a parse bug must not reach disk

    pending.put(target, data, source_read)
    pending.put(folder / "text.txt", text_bytes, previous.text_digest)
    pending.put(folder / "structure.yaml", yamlio.dumps(structure).encode("utf-8"), previous.structure_digest)
    hashes = (sha256_bytes(data), sha256_bytes(text_bytes))
    unchanged = (
        agreement is not None
        and agreement.sha256 is not None
        and (agreement.sha256.source, agreement.sha256.text) == hashes
        and agreement.source_file == source_name
    )
    if not unchanged:  # the curator's formatting of agreement.yaml stays as it is otherwise
        raw = (
            _suggested(agreement_document.rt, front)
            if agreement_document is not None
            else _new_agreement(draft, agreement_id, source_name, id_prefix, max_removed, front, code, unit)
        )
        pending.put(
            agreement_path,
            yamlio.dumps(_agreement(raw, source_name, *hashes)).encode("utf-8"),
            agreement_document.digest if agreement_document is not None else None,
        )
    documents = {item.path: item.document for item in existing}
    for path, raw in measure_files.items():
        content = yamlio.dumps(raw)
        measure = validate(Measure, yamlio.loads(content, path), path, context)  # a parse bug must not reach disk
        source = measure.source
        if (
            measure.lifecycle == "active"
            and source is not None
            and draft.text[source.start : source.end] != measure.text
        ):
            raise DataError(
                Problem(
                    path,
                    None,
                    "text",
                    "parse would write a quote that differs from text.txt (a bug: nothing was written)",
                )
            )
        pending.put(path, content.encode("utf-8"), documents[path].digest if path in documents else None)

    kinds = [block.kind for block in draft.blocks]
    counts = {
        "headings": kinds.count("heading"),
        "measures": len(found),
        "preambles": len(preamble_blocks),
        "excluded": sum(1 for kind in kinds if kind in EXCLUDED),
        "removed": len(draft.removed),
        "candidates": sum(len(preamble["candidates"]) for preamble in structure["preambles"]),
    }
    log.extend(
        f"not in the text: the table of contents' entry {entry.title!r} (page {entry.page})"
        for entry in contents.missing
    )
    return ParsePlan(
        folder, pending, log, counts, _summary(counts, sections, contents), explain(draft, owner, sections)
    )


def _is_measure(blocks: list, index: int, unit: str) -> bool:
    """A bullet is a measure; with `unit: paragraph` so is every body paragraph, but for a lead-in
    ("Dazu gehören:") that announces the bullets after it."""
    block = blocks[index]
    if block.kind == "bullet":
        return True
    if unit != "paragraph" or block.kind != "prose":
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return not (block.text.rstrip().endswith(":") and following is not None and following.kind == "bullet")


def _summary(counts: dict[str, int], sections: list, contents: Contents) -> str:
    """`62 headings (7 level 1, 18 level 2, 37 level 3; 25 confirmed by the table of contents), …`"""
    levels = sorted({section.level for section in sections if section.heading is not None})
    per_level = ", ".join(
        f"{sum(1 for s in sections if s.heading is not None and s.level == level)} level {level}" for level in levels
    )
    confirmed = f"{contents.confirmed} of {len(contents.entries)} in the table of contents" if contents.entries else ""
    detail = "; ".join(part for part in (per_level, confirmed) if part)
    headings = f"{counts['headings']} headings" + (f" ({detail})" if detail else "")
    rest = ", ".join(f"{value} {name}" for name, value in counts.items() if name != "headings")
    return f"{headings}, {rest}"


def explain(draft: Draft, owner: dict, sections: list) -> list[str]:
    """One line per block: its page, kind (and level), the start of its text, the section it falls
    in and the cues that decided it."""
    out = []
    for index, block in enumerate(draft.blocks):
        kind = f"{block.kind} {block.level}" if block.kind == "heading" else block.kind
        section = owner[index].id if index in owner and block.kind != "heading" else None
        text = block.text if len(block.text) <= 60 else block.text[:59] + "…"
        where = f"p.{block.page}" if block.page is not None else "p.-"
        cues = "; ".join(block.cues) or "-"
        out.append(f"{where:>6}  {kind:<12} {text!r}" + (f" in {section}" if section else "") + f": {cues}")
    return out


def apply(parse_plan: ParsePlan) -> list[Path]:
    """Write the plan: a new agreement appears whole (staged, then renamed); an existing one gets
    its changed files replaced together (`Changes.apply`: refused, with nothing written, when a
    file changed since parse read it). Returns the files written."""
    changed = parse_plan.changes()
    if not changed:
        return []
    folder = parse_plan.folder
    if folder.exists():
        return parse_plan.pending.apply()
    staging = staging_folder(folder)
    try:
        for path, content in parse_plan.files.items():
            target = staging / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed


def _refuse_heavy_removal(draft: Draft, limit: float, source: Path, how: str) -> None:
    """Fail loudly when page furniture would take more than `limit` % of the text's characters."""
    _, share = furniture_share(draft.text, (item.text for item in draft.removed))
    if share <= limit:
        return
    examples = ", ".join(repr(item.text) for item in draft.removed[:3])
    raise refuse(
        source,
        f"{len(draft.removed)} lines ({share:.1f} % of the text) would be removed as page numbers, headers and "
        f"footers, more than the limit of {limit:g} % (such as {examples}): if they "
        "are page furniture, raise the limit "
        f"with {how}",
    )


def _fallback_code(agreement_id: str) -> str:
    """Measure-id prefix for text before any heading: the agreement id's initials."""
    parts = agreement_id.split("-")
    code = "".join(part[0] for part in parts if part)
    return code if len(code) >= 2 else agreement_id[:3]


@dataclass
class _Previous:
    """What the last parse wrote: the text and structure (when they are as it wrote them)."""

    text: str | None
    text_digest: str | None
    structure_digest: str | None
    section_ids: dict[str, list[str]]
    """Title -> ids (in order): a heading that kept its title keeps its id."""
    headings: list[tuple[int, str]]
    before_headings: str | None

    def section_at(self, offset: int) -> str | None:
        """The section of the previous structure that `offset` of the previous text lies in."""
        index = bisect.bisect_right(self.headings, (offset, chr(0x10FFFF))) - 1
        return self.headings[index][1] if index >= 0 else self.before_headings


def _previous(folder: Path, agreement: Agreement | None) -> _Previous:
    text_path, structure_path = folder / "text.txt", folder / "structure.yaml"
    text_data = text_path.read_bytes() if text_path.is_file() else None
    expected = agreement.sha256.text if agreement is not None and agreement.sha256 is not None else None
    text = text_data.decode("utf-8") if text_data is not None and sha256_bytes(text_data) == expected else None
    structure_digest, structure = None, None
    if structure_path.is_file():
        try:
            document = yamlio.read(structure_path)
            structure_digest = document.digest
            structure = validate(Structure, document, structure_path)
        except DataError:
            pass  # parse owns this file and rewrites it whole
    ids: dict[str, list[str]] = {}
    headings: list[tuple[int, str]] = []
    before = None
    for section in structure.sections if structure is not None else []:
        ids.setdefault(section.title, []).append(section.id)
        if section.heading is None:
            before = section.id
        else:
            headings.append((section.heading.start, section.id))
    if structure is None or structure.text.sha256 != expected:
        text = None  # offsets cannot be compared with a text the structure does not describe
    return _Previous(
        text, None if text_data is None else sha256_bytes(text_data), structure_digest, ids, sorted(headings), before
    )


def _new_id_prefix(repo: Repo, agreement_id: str) -> str | None:
    """The id prefix of a new agreement: none for the first in a repository; a short code from
    its id (`provincie-utrecht-2027` -> `pu2027`), unused by the others, when there are others,
    so its measure ids never collide with theirs however alike their headings are."""
    others = [other for other in repo.agreement_ids() if other != agreement_id]
    if not others:
        return None
    taken = set()
    for other in others:
        try:
            path = repo.policy / other / "agreement.yaml"
            taken.add(validate(Agreement, yamlio.read(path), path, {"vocabulary": repo.vocabulary}).id_prefix)
        except DataError:
            continue
    parts = [part for part in agreement_id.split("-") if part]
    code = "".join(part if part.isdigit() else part[0] for part in parts)[:12]
    code = code if len(code) >= 2 else agreement_id[:12].strip("-")
    candidate, counter = code, 2
    while candidate in taken:
        candidate, counter = f"{code[:9]}-{counter}", counter + 1
    return candidate


def _joined(id_prefix: str | None, prefix: str) -> str:
    return f"{id_prefix}-{prefix}" if id_prefix else prefix


def _ids_elsewhere(repo: Repo, agreement_id: str) -> list[str]:
    """The measure ids of every other agreement (file names: each equals its id)."""
    return [
        path.stem
        for other in repo.agreement_ids()
        if other != agreement_id
        for path in yamlio.iter_yaml_files(repo.policy / other / "measures")
    ]


def _page_lookup(draft: Draft):
    starts = [start for _, start, _ in draft.pages]

    def page_at(offset: int) -> int | None:
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and draft.pages[index][1] <= offset < draft.pages[index][2]:
            return draft.pages[index][0]
        return None

    return page_at


def _structure(
    agreement_id: str,
    draft: Draft,
    sections: list,
    owner: dict,
    preamble_blocks: list,
    words: Language,
    contents: Contents,
    front: FrontMatter | None,
    lines: list[SourceLine],
) -> dict[str, Any]:
    """The content of structure.yaml, as plain data in a fixed order (keys a text without a
    table of contents, front matter or page labels does not need are left out)."""
    counters: dict[str, int] = {}
    preambles = []
    texts = [block.text for _, block in preamble_blocks]
    for (index, block), spans in zip(preamble_blocks, sentences(texts, words.spacy), strict=True):
        section = owner[index].id
        counters[section] = counters.get(section, 0) + 1
        candidates = [
            {"start": block.start + start, "end": block.start + end, "fingerprint": fingerprint(block.text[start:end])}
            for start, end in spans
            if words.is_commitment(block.text[start:end])
        ]
        preambles.append(
            {
                "id": f"{section}-p{counters[section]}",
                "section": section,
                "start": block.start,
                "end": block.end,
                "page": block.page,
                "candidates": candidates,
            }
        )
    section_of = {id(section.heading): section.id for section in sections if section.heading is not None}
    structure: dict[str, Any] = {
        "agreement": agreement_id,
        "text": {"sha256": sha256_bytes(draft.text.encode("utf-8")), "length": len(draft.text)},
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "level": section.level,
                "parent": section.parent,
                "heading": None
                if section.heading is None
                else {"start": section.heading.start, "end": section.heading.end, "page": section.heading.page},
            }
            for section in sections
        ],
        "preambles": preambles,
        "excluded": [
            {
                "start": block.start,
                "end": block.end,
                "page": block.page,
                "reason": block.kind,
                "section": owner[index].id if index in owner else None,
            }
            for index, block in enumerate(draft.blocks)
            if block.kind in EXCLUDED
        ],
        "page_map": {
            "pages": [{"page": page, "start": start, "end": end} for page, start, end in draft.pages],
            "removed": [
                {"at": removed.at, "text": removed.text, "reason": removed.reason, "source_line": removed.source_line}
                for removed in draft.removed
            ],
        },
    }
    labels = page_labels(lines)
    if labels:
        structure["page_map"]["labels"] = labels
    if contents.entries:
        structure["contents"] = [
            {
                "title": entry.title,
                "level": entry.level,
                "page": entry.page,
                "section": section_of.get(id(entry.heading)) if entry.heading is not None else None,
            }
            for entry in contents.entries
        ]
    if front is not None:
        structure["front_matter"] = front.as_data()
    return structure


def page_labels(lines: list[SourceLine]) -> list[dict[str, int]]:
    """The PDF pages that print a number, as ranges (`first`, `last`, `printed`)."""
    pages = sorted({(line.physical_page, line.page) for line in lines if line.page_printed and line.physical_page})
    labels: list[dict[str, int]] = []
    for physical, printed in pages:
        assert physical is not None and printed is not None
        last = labels[-1] if labels else None
        if last and physical == last["last"] + 1 and printed == last["printed"] + physical - last["first"]:
            last["last"] = physical
        elif not last or physical > last["last"]:
            labels.append({"first": physical, "last": physical, "printed": printed})
    return labels


_NO_DATE = "Not recorded yet: give the date with its source."


def _new_agreement(
    draft: Draft,
    agreement_id: str,
    source_name: str,
    id_prefix: str | None,
    max_removed: float | None,
    front: FrontMatter | None,
    language: str,
    unit: str,
) -> yamlio.Map:
    """agreement.yaml as parse first creates it, with what parse can know (what the front matter
    says, marked `unconfirmed`); the curator fills in the rest."""
    headings = [block.text for block in draft.blocks if block.kind == "heading"]
    raw = yamlio.mapping(
        title=headings[0] if headings else agreement_id,
        parties=[],
        date=yamlio.mapping(value=None, note=_NO_DATE),
        language=language,
        origin=yamlio.mapping(url=None, note="Not recorded yet: give the URL the source was taken from."),
        source_file=source_name,
        page_numbers="ends-page",
    )
    if unit != "bullet":
        yamlio.set_key(raw, "unit", unit, "language")
    if id_prefix:
        raw["id_prefix"] = id_prefix
    if max_removed is not None:
        raw["max_removed_percent"] = max_removed
    filled = []
    if front is not None and front.title:
        raw["title"] = front.title
        filled.append("title")
    return _suggested(raw, front, filled)


def _suggested(raw: yamlio.Map, front: FrontMatter | None, filled: list[str] | None = None) -> yamlio.Map:
    """agreement.yaml with its empty parties and date filled from the front matter, each listed
    in `unconfirmed`; a curated value is never replaced."""
    filled = list(filled or [])
    if front is not None:
        if not raw.get("parties") and front.parties:
            raw["parties"] = yamlio.sequence(front.parties, flow=True)
            filled.append("parties")
        date = raw.get("date")
        if isinstance(date, dict) and date.get("value") is None and front.date_text is not None:
            printed = yamlio.mapping(text=front.date_text, page=front.date_page, flow=True)
            if front.date is not None:
                new_date = yamlio.mapping(value=front.date, printed=printed)
                if date.get("note") not in (None, _NO_DATE):
                    new_date["note"] = date["note"]
                raw["date"] = new_date
                filled.append("date")
            elif date.get("note") == _NO_DATE:
                raw["date"] = yamlio.mapping(
                    value=None, note=f"The front matter prints {front.date_text!r}: give the day with its source."
                )
    if filled:
        unconfirmed = [
            *raw.get("unconfirmed", []),
            *(name for name in filled if name not in raw.get("unconfirmed", [])),
        ]
        yamlio.set_key(raw, "unconfirmed", yamlio.sequence(unconfirmed, flow=True), "notes" if "notes" in raw else None)
    return raw


def _agreement(raw: yamlio.Map, source_name: str, source_sha: str, text_sha: str) -> yamlio.Map:
    """agreement.yaml with parse's fields current: `sha256`, and `source_file` when a new source
    is parsed; nothing else changes (a curator's comments and order stay)."""
    if raw.get("source_file", "source.txt") != source_name:
        raw["source_file"] = source_name
    yamlio.set_key(raw, "sha256", yamlio.mapping(source=source_sha, text=text_sha))
    return raw
