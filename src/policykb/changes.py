"""The dated log of what happened, in the site's words: every status assessment and every stage of
a bill, procedure or act, newest first, each with its evidence and the pages and records it
concerns. The site's "Wat is er veranderd" page, the timelines of measure and record pages and
the Atom feeds all read it (`policykb.site`); `status_as_of` answers "where did each measure stand
on day D". Reads the loaded model; writes nothing.

Every entry has a stable id (an IRI under the base made from what it is — the measure, the day,
the status; the record, the stage, the day and, for two on one day, its source — never from its
position), so a feed reader sees an entry once however often the site is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from policykb.compile.terms import DEFAULT_BASE
from policykb.language import language
from policykb.load import Model
from policykb.model import Evidence, KbRecord, Measure
from policykb.progress import STATE_NL, Evaluation, assessment_on, evaluate

CHANGE_PATH = "id/change/"
"""Entry ids are IRIs under the repository's base (`https://w3id.org/policykb/id/change/…`)."""
_UNVERIFIED = "Niet geverifieerd in een primaire bron."
"""The summary of a stage whose source the verification could not confirm."""


@dataclass(frozen=True)
class Source:
    """Evidence as the site shows it: a label, a URL or a record, and whether it is news."""

    label: str
    url: str | None = None
    record: str | None = None
    news: bool = False
    unverified: bool = False


@dataclass(frozen=True)
class Entry:
    """One dated change."""

    id: str
    date: dt.date
    kind: Literal["assessment", "stage"]
    title: str
    summary: str
    page: str
    """The site page it is about (relative to the site root: `maatregel/ami-nat-001/`)."""
    sources: tuple[Source, ...] = ()
    concerns: frozenset[str] = field(default_factory=frozenset)
    """The kb records it concerns: a measure's linked records, or the record itself and the
    records of the measures waiting on it (the per-record feeds select on this)."""
    measures: frozenset[str] = field(default_factory=frozenset)
    """The measures it concerns (their timelines select on this)."""


def log(model: Model, record_path: dict[str, str], base: str = DEFAULT_BASE) -> list[Entry]:
    """Every dated change, newest first (then by page). `record_path` gives each active kb
    record's page (`instrument/kst-36703/`); entry ids are IRIs under `base`."""
    tag = f"{base}{CHANGE_PATH}"
    vocabulary = model.vocabulary
    records = {key: entry.record for key, entry in model.kb.items() if entry.record.lifecycle == "active"}
    measures = [record.measure for record in model.measures() if record.measure.lifecycle == "active"]
    linked: dict[str, set[str]] = {
        measure.id: {link.target for link in measure.links if link.review == "confirmed" and link.target in records}
        | ({wait.bill for wait in measure.condition.waits_for()} if measure.condition else set())
        for measure in measures
    }
    entries: list[Entry] = []
    for measure in measures:
        previous: str | None = None
        for assessment in measure.status:
            status = vocabulary.statuses[assessment.value].nl
            if previous is None:
                title = f"{measure.title}: {status}"
            elif previous == assessment.value:
                title = f"{measure.title}: opnieuw beoordeeld, {status}"
            else:
                title = f"{measure.title}: van {vocabulary.statuses[previous].nl} naar {status}"
            previous = assessment.value
            sources = tuple(_source(item, records, model) for item in assessment.evidence)
            entries.append(
                Entry(
                    id=f"{tag}assessment/{measure.id}/{assessment.date.isoformat()}/{assessment.value}",
                    date=assessment.date,
                    kind="assessment",
                    title=title,
                    summary=assessment.note or "",
                    page=f"maatregel/{measure.id}/",
                    sources=sources,
                    concerns=frozenset(linked[measure.id]),
                    measures=frozenset({measure.id}),
                )
            )
    waiting: dict[str, set[str]] = {}
    for measure in measures:
        for key in linked[measure.id]:
            waiting.setdefault(key, set()).add(measure.id)
    for record in records.values():
        for event in record.events:
            stage = vocabulary.stages[event.stage].nl
            entries.append(
                Entry(
                    id=f"{tag}event/{record.id}/{event.stage}/{event.date.isoformat()}",
                    date=event.date,
                    kind="stage",
                    title=f"{record.name.nl}: {stage}",
                    summary="Niet geverifieerd: alleen gelezen in een secundaire bron."
                    if event.status == "unverified"
                    else "",
                    page=record_path[record.id],
                    sources=(Source(host(event.source), url=event.source, unverified=event.status == "unverified"),),
                    concerns=frozenset({record.id}),
                    measures=frozenset(waiting.get(record.id, set())),
                )
            )
    counts = Counter(entry.id for entry in entries)
    unique = [  # two steps of one stage on one day (a report and a reply): told apart by their source
        replace(entry, id=f"{entry.id}/{_short_hash(entry.sources[0].url or '')}") if counts[entry.id] > 1 else entry
        for entry in entries
    ]
    return sorted(unique, key=lambda entry: (-entry.date.toordinal(), entry.page, entry.id))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def host(url: str) -> str:
    """Where a source was published, for its label (`zoek.officielebekendmakingen.nl`)."""
    return urlsplit(url).netloc.removeprefix("www.") or url


def _source(item: str | Evidence, records: dict[str, KbRecord], model: Model) -> Source:
    if isinstance(item, Evidence):
        kind = model.vocabulary.evidence[item.type]
        return Source(item.title or kind.nl, url=item.url, news=kind.news)
    if item == "agreement":
        return Source("het akkoord")
    record = records.get(item)
    return Source(record.name.nl if record else item, record=item if record else None)


@dataclass(frozen=True)
class Standing:
    """Where one measure stood on a day."""

    measure: str
    status: str | None
    """The status of the latest assessment dated on or before the day; None before the first."""
    assessed: dt.date | None
    condition: Evaluation | None


def status_as_of(model: Model, day: dt.date) -> list[Standing]:
    """Each active measure's status and condition state on `day`, from the dated assessments and
    the events recorded up to that day."""
    kb = {key: entry.record for key, entry in model.kb.items()}
    result = []
    for record in model.measures():
        measure: Measure = record.measure
        if measure.lifecycle != "active":
            continue
        assessment = assessment_on(measure, day)
        condition = evaluate(measure.condition, kb, model.vocabulary, as_of=day) if measure.condition else None
        result.append(
            Standing(
                measure.id,
                assessment.value if assessment else None,
                assessment.date if assessment else None,
                condition,
            )
        )
    return result


def condition_nl(evaluation: Evaluation, names: dict[str, str] | None = None) -> str:
    """`vervuld op 2 juni 2026 (Wet invoering tweestatusstelsel)`, in a line: the bill by its name
    in `names` (its id otherwise)."""
    text = STATE_NL[evaluation.state]
    decided = evaluation.decided_by
    if decided is not None and decided.event is not None:
        text += f" op {dutch_date(decided.event.date)} ({(names or {}).get(decided.bill, decided.bill)})"
        if evaluation.unverified:
            text += ", niet geverifieerd"
    return text


def dutch_date(day: dt.date) -> str:
    """`18 februari 2026` (the month names of `languages/nl.yaml`)."""
    return f"{day.day} {language('nl').months[day.month - 1]} {day.year}"
