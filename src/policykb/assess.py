"""Record progress: append a dated assessment to a measure's status log (`policykb assess`).

Reads the repository (the measure, the kb records its evidence names, the vocabulary) and writes
only the measures assessed, each appended to in place (comments, order and every other line
stay; ruamel.yaml's round trip) and all files renamed into place at once (`writing.Changes`).
An assessment is refused, with nothing written, when its measure or status is unknown, it cites
no evidence or an unknown record, it says nobody made it, it is dated after today, or it is not
later than the measure's latest assessment (the log is in date order; the last is current).

One assessment comes from the command line; many from a YAML file mapping measure ids to
assessments in the form `measures/*.yaml` uses (`policykb assess --from FILE`), so a round of
research lands as one change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykb import yamlio
from policykb.load import MeasureRecord, load_model
from policykb.model import StatusAssessment
from policykb.problems import DataError, Problem
from policykb.repo import Repo
from policykb.validation import validate
from policykb.writing import Changes


@dataclass(frozen=True)
class Planned:
    """One assessment to append, validated."""

    record: MeasureRecord
    assessment: StatusAssessment
    raw: dict[str, Any]


def parse_evidence(values: list[str]) -> list[Any]:
    """`agreement`, a kb id, or `TYPE=URL` (`news=https://…`) from the command line."""
    items: list[Any] = []
    for value in values:
        kind, separator, url = value.partition("=")
        items.append({"type": kind, "url": url} if separator else value)
    return items


def plan(
    repo: Repo, entries: dict[str, dict[str, Any]], where: Path | str, today: dt.date | None = None
) -> list[Planned]:
    """Validate every entry (measure id -> assessment fields); raise `DataError` with all problems."""
    today = today or dt.date.today()
    model = load_model(repo)
    vocabulary = model.vocabulary
    records = {record.measure.id: record for record in model.measures()}
    problems: list[Problem] = []
    planned: list[Planned] = []
    for measure_id, raw in entries.items():
        record = records.get(measure_id)
        if record is None:
            problems.append(Problem(where, None, measure_id, f"no measure '{measure_id}' in policy/"))
            continue
        if record.measure.lifecycle != "active":
            problems.append(Problem(where, None, measure_id, f"'{measure_id}' is retired: its text left the source"))
            continue
        if not isinstance(raw, dict):
            problems.append(
                Problem(where, None, measure_id, "expected an assessment: {date, value, assessor, evidence}")
            )
            continue
        try:
            assessment = validate(StatusAssessment, raw, Path(where), context={"vocabulary": vocabulary})
        except DataError as error:
            problems += [
                Problem(where, None, f"{measure_id}.{p.field or ''}".rstrip("."), p.message) for p in error.problems
            ]
            continue
        if assessment.assessor is None:
            problems.append(Problem(where, None, f"{measure_id}.assessor", "say who made the assessment (--assessor)"))
        latest = record.measure.status[-1] if record.measure.status else None
        for item in assessment.evidence:
            if isinstance(item, str) and item != "agreement" and item not in model.kb:
                problems.append(Problem(where, None, f"{measure_id}.evidence", f"no kb record '{item}'"))
        if assessment.date > today:
            problems.append(Problem(where, None, f"{measure_id}.date", f"{assessment.date} is after today ({today})"))
        if latest is not None and assessment.date <= latest.date:
            problems.append(
                Problem(
                    where,
                    None,
                    f"{measure_id}.date",
                    f"{assessment.date} is not after the latest assessment of {measure_id} ({latest.date}, "
                    f"{latest.value}): the log is in date order; correct that assessment in "
                    f"{record.path.name} instead",
                )
            )
        planned.append(Planned(record, assessment, raw))
    if problems:
        raise DataError(problems)
    return planned


def changes(planned: list[Planned]) -> Changes:
    """The measure files with their assessments appended (several for one measure in order)."""
    result = Changes()
    documents: dict[Path, tuple[yamlio.Document, str | None]] = {}
    for item in planned:
        path = item.record.path
        if path not in documents:  # as load_model read it: a save since then is a conflict
            documents[path] = (item.record.document, item.record.document.digest)
        document, _ = documents[path]
        raw = document.rt
        status = raw.get("status")
        entry = _entry(item.raw)
        if status is None:  # where measure files keep it: before themes and links
            yamlio.insert_before(raw, "status", yamlio.sequence([entry]), ("themes", "links", "notes"))
        else:
            status.append(entry)
    for path, (document, read) in documents.items():
        result.put(path, yamlio.dumps(document.rt).encode("utf-8"), read)
    return result


_FIELDS = ("date", "value", "assessor", "evidence", "note")
_EVIDENCE_FIELDS = ("type", "url", "title", "date", "note")


def _entry(raw: dict[str, Any]) -> yamlio.Map:
    """The assessment's fields in the order the measure files use, each typed source on one line."""
    fields = {key: raw[key] for key in _FIELDS if raw.get(key) is not None}
    fields["evidence"] = [
        yamlio.mapping(*((key, item[key]) for key in _EVIDENCE_FIELDS if item.get(key) is not None), flow=True)
        if isinstance(item, dict)
        else item
        for item in fields["evidence"]
    ]
    return yamlio.mapping(*fields.items())
