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
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from policykb import yamlio
from policykb.model import Agreement, Measure, Structure, fingerprint, sha256_bytes, validate
from policykb.parse.blocks import Draft, build_draft
from policykb.parse.merge import Existing, FoundMeasure, merge
from policykb.parse.outline import apply_outline_hints, build_sections, measure_prefix
from policykb.parse.source import MAX_SOURCE_BYTES, SourceError, read_source
from policykb.problems import DataError, Problem
from policykb.repo import Repo
from policykb.text import is_commitment, sentences

__all__ = ["ParsePlan", "SourceError", "apply", "plan", "today"]


@dataclass
class ParsePlan:
    """Everything one parse would write, with the decisions it took."""

    agreement: str
    folder: Path
    files: dict[Path, bytes]
    log: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def changes(self) -> list[Path]:
        """The files whose content differs from what is on disk (or that do not exist yet)."""
        return [path for path, content in self.files.items() if not path.is_file() or path.read_bytes() != content]


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
) -> ParsePlan:
    """Parse one agreement in memory. Raises `SourceError` or `DataError`; writes nothing."""
    folder = repo.agreement_dir(agreement_id)
    agreement_path = folder / "agreement.yaml"
    agreement_raw = yamlio.load(agreement_path) if agreement_path.is_file() else None
    agreement = validate(Agreement, agreement_raw, agreement_path) if agreement_raw is not None else None

    if new_source is not None:
        source_name = "source.pdf" if _is_pdf(new_source) else "source.txt"
        source_path = new_source
    elif agreement is not None:
        source_name = agreement.source_file
        source_path = folder / source_name
        if not source_path.is_file():
            raise SourceError(f"{source_path}: missing; parse a source with `policykb parse SOURCE --agreement {agreement_id}`")
    else:
        raise SourceError(f"{folder}: no agreement here; create it with `policykb parse SOURCE --agreement {agreement_id}`")

    data, lines = read_source(source_path, max_bytes)
    draft = build_draft(lines, agreement.page_numbers if agreement else "ends-page")
    if not draft.blocks:
        raise SourceError(f"{source_path}: no text found after removing page residue")
    problems = apply_outline_hints(draft.blocks, [(hint.heading, hint.level) for hint in agreement.outline] if agreement else [], str(agreement_path))
    if problems:
        raise DataError(problems)

    previous_ids = _previous_section_ids(folder / "structure.yaml")
    sections, owner = build_sections(draft.blocks, previous_ids, _fallback_code(agreement_id))
    page_at = _page_lookup(draft)

    found = [
        FoundMeasure(block.text, owner[index].id, block.start, block.end, block.page, measure_prefix(owner[index]), index)
        for index, block in enumerate(draft.blocks)
        if block.kind == "bullet"
    ]
    preamble_blocks = [(index, block) for index, block in enumerate(draft.blocks) if block.kind == "prose"]
    existing = _load_measures(folder / "measures")
    measure_files, log = merge(
        found,
        existing,
        draft.text,
        [(owner[index].id, block.start, block.end) for index, block in preamble_blocks],
        page_at,
        folder / "measures",
        on or today(),
    )

    text_bytes = draft.text.encode("utf-8")
    structure = _structure(agreement_id, draft, sections, owner, preamble_blocks)
    promoted = [record.measure.text for record in existing if record.measure.origin == "prose"]
    for preamble in structure["preambles"]:
        for candidate in preamble["candidates"]:
            sentence = draft.text[candidate["start"] : candidate["end"]]
            if not any(text in sentence or sentence in text for text in promoted):
                log.append(f"candidate in {preamble['id']}: {sentence!r}")
    validate(Structure, structure, folder / "structure.yaml")  # a parse bug must not reach disk

    files: dict[Path, bytes] = {
        folder / source_name: data,
        folder / "text.txt": text_bytes,
        folder / "structure.yaml": yamlio.dumps(structure).encode("utf-8"),
    }
    hashes = (sha256_bytes(data), sha256_bytes(text_bytes))
    unchanged = (
        agreement is not None
        and agreement.sha256 is not None
        and (agreement.sha256.source, agreement.sha256.text) == hashes
        and agreement.source_file == source_name
    )
    if not unchanged:  # the curator's formatting of agreement.yaml stays as it is otherwise
        files[agreement_path] = yamlio.dumps(_agreement(agreement_raw, draft, agreement_id, source_name, *hashes)).encode("utf-8")
    for path, raw in measure_files.items():
        content = yamlio.dumps(raw)
        measure = validate(Measure, yamlio.loads(content, path), path)  # a parse bug must not reach disk
        source = measure.source
        if measure.lifecycle == "active" and source is not None and draft.text[source.start : source.end] != measure.text:
            raise DataError(Problem(path, None, "text", "parse would write a quote that differs from text.txt (a bug: nothing was written)"))
        files[path] = content.encode("utf-8")

    kinds = [block.kind for block in draft.blocks]
    counts = {
        "headings": kinds.count("heading"),
        "measures": len(found),
        "preambles": len(preamble_blocks),
        "excluded": sum(1 for kind in kinds if kind in ("toc", "table", "decoration")),
        "removed": len(draft.removed),
        "candidates": sum(len(preamble["candidates"]) for preamble in structure["preambles"]),
    }
    return ParsePlan(agreement_id, folder, files, log, counts)


def apply(parse_plan: ParsePlan) -> list[Path]:
    """Write the plan: a new agreement appears whole (staged, then renamed); an existing one gets
    each changed file replaced atomically. Returns the files written."""
    changed = parse_plan.changes()
    if not changed:
        return []
    folder = parse_plan.folder
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
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
    # Every file is written to a temporary beside its target first; only when all are written are
    # they renamed into place, so a failure while writing leaves the folder as it was.
    staged: list[tuple[Path, Path]] = []
    try:
        for path in changed:
            staged.append((yamlio.write_temporary(path, parse_plan.files[path]), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return changed


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-" or path.suffix.lower() == ".pdf"
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror}") from error


def _fallback_code(agreement_id: str) -> str:
    """Measure-id prefix for text before any heading: the agreement id's initials."""
    parts = agreement_id.split("-")
    code = "".join(part[0] for part in parts if part)
    return code if len(code) >= 2 else agreement_id[:3]


def _previous_section_ids(path: Path) -> dict[str, list[str]]:
    """Title -> ids (in order) from the last structure file: a heading that kept its title keeps its id."""
    if not path.is_file():
        return {}
    try:
        structure = validate(Structure, yamlio.read(path), path)
    except DataError:
        return {}  # parse owns this file and rewrites it whole
    ids: dict[str, list[str]] = {}
    for section in structure.sections:
        ids.setdefault(section.title, []).append(section.id)
    return ids


def _load_measures(folder: Path) -> list[Existing]:
    """Every measure on disk, validated; any problem stops the parse before anything is lost."""
    existing, problems = [], []
    for path in yamlio.iter_yaml_files(folder):
        try:
            raw = yamlio.read(path)
            measure = validate(Measure, raw, path)
        except DataError as error:
            problems.extend(error.problems)
            continue
        if path.stem != measure.id:
            problems.append(Problem(path, yamlio.line_of(raw, "id"), "id", f"'{measure.id}' differs from the file name '{path.stem}'"))
            continue
        existing.append(Existing(path, raw, measure))
    if problems:
        raise DataError(problems)
    return existing


def _page_lookup(draft: Draft):  # type: ignore[no-untyped-def]
    starts = [start for _, start, _ in draft.pages]

    def page_at(offset: int) -> int | None:
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and draft.pages[index][1] <= offset < draft.pages[index][2]:
            return draft.pages[index][0]
        return None

    return page_at


def _structure(agreement_id: str, draft: Draft, sections: list, owner: dict, preamble_blocks: list) -> dict[str, Any]:
    """The content of structure.yaml, as plain data in a fixed order."""
    counters: dict[str, int] = {}
    preambles = []
    texts = [block.text for _, block in preamble_blocks]
    for (index, block), spans in zip(preamble_blocks, sentences(texts), strict=True):
        section = owner[index].id
        counters[section] = counters.get(section, 0) + 1
        candidates = [
            {"start": block.start + start, "end": block.start + end, "fingerprint": fingerprint(block.text[start:end])}
            for start, end in spans
            if is_commitment(block.text[start:end])
        ]
        preambles.append(
            {"id": f"{section}-p{counters[section]}", "section": section, "start": block.start, "end": block.end, "page": block.page, "candidates": candidates}
        )
    return {
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
            {"start": block.start, "end": block.end, "page": block.page, "reason": block.kind, "section": owner[index].id if index in owner else None}
            for index, block in enumerate(draft.blocks)
            if block.kind in ("toc", "table", "decoration")
        ],
        "page_map": {
            "pages": [{"page": page, "start": start, "end": end} for page, start, end in draft.pages],
            "removed": [
                {"at": removed.at, "text": removed.text, "reason": removed.reason, "source_line": removed.source_line}
                for removed in draft.removed
            ],
        },
    }


def _agreement(raw: CommentedMap | None, draft: Draft, agreement_id: str, source_name: str, source_sha: str, text_sha: str) -> CommentedMap:
    """agreement.yaml: created once with what parse can know; afterwards only `sha256` (and
    `source_file` when a new source is parsed) change."""
    if raw is None:
        headings = [block.text for block in draft.blocks if block.kind == "heading"]
        raw = CommentedMap()
        raw["title"] = headings[0] if headings else agreement_id
        raw["parties"] = []
        raw["date"] = CommentedMap(value=None, note="Not recorded yet: give the date with its source.")
        raw["language"] = "nl"
        raw["origin"] = CommentedMap(url=None, note="Not recorded yet: give the URL the source was taken from.")
        raw["source_file"] = source_name
        raw["page_numbers"] = "ends-page"
    if raw.get("source_file", "source.txt") != source_name:
        raw["source_file"] = source_name
    hashes = CommentedMap(source=source_sha, text=text_sha)
    if isinstance(raw.get("sha256"), CommentedMap):
        raw["sha256"]["source"], raw["sha256"]["text"] = source_sha, text_sha
    else:
        raw["sha256"] = hashes
    return raw

