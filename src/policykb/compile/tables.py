"""One CSV per entity type, for spreadsheet users: measures, sections, links, and one per kb folder.

Reads a validated `Model` and the builder's IRIs; returns `{file name: bytes}`. UTF-8, comma
separated, `\\n` line ends, rows sorted by id; lists inside a cell are joined with `; `.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from policykb.compile.rdf import Builder
from policykb.load import Model


def tables(model: Model, builder: Builder) -> dict[str, bytes]:
    kb = {key: entry.record for key, entry in model.kb.items()}
    vocabulary = model.vocabulary
    measures, links, sections = [], [], []
    for agreement in model.agreements:
        for section in agreement.structure.sections:
            sections.append(
                [
                    agreement.id,
                    section.id,
                    str(builder.section_iri(agreement.id, section.id)),
                    section.title,
                    section.level,
                    section.parent or "",
                ]
            )
        for record in agreement.measures:
            measure = record.measure
            if measure.lifecycle != "active":
                continue
            confirmed = [link for link in measure.links if link.review == "confirmed" and link.target in kb]
            status = measure.status[-1] if measure.status else None
            source = measure.source
            measures.append(
                [
                    measure.id,
                    str(builder.id[f"measure/{measure.id}"]),
                    agreement.id,
                    measure.section,
                    measure.title,
                    source.page if source and source.page else "",
                    source.start if source else "",
                    source.end if source else "",
                    status.value if status else "",
                    status.date.isoformat() if status else "",
                    _join(
                        link.target
                        for link in confirmed
                        if vocabulary.target_class(kb[link.target].kind) == "organisation"
                    ),
                    _join(
                        link.target
                        for link in confirmed
                        if vocabulary.target_class(kb[link.target].kind) != "organisation"
                    ),
                    _join(measure.themes),
                    measure.text,
                ]
            )
            for link in confirmed:
                links.append(
                    [measure.id, link.relation, link.target, kb[link.target].kind, link.added, link.justification]
                )
    files = {
        "measures.csv": _csv(
            [
                "id",
                "iri",
                "agreement",
                "section",
                "title",
                "page",
                "start",
                "end",
                "status",
                "status_date",
                "organisations",
                "instruments",
                "themes",
                "text",
            ],
            measures,
        ),
        "sections.csv": _csv(["agreement", "id", "iri", "title", "level", "parent"], sections),
        "links.csv": _csv(["measure", "relation", "target", "target_kind", "added", "justification"], links),
    }
    for folder in sorted(vocabulary.folders):
        rows = []
        for key in sorted(kb):
            kb_record = kb[key]
            if vocabulary.kinds[kb_record.kind].folder != folder:
                continue
            identifiers = _join(
                f"{scheme}={identifier.value}" for scheme, identifier in sorted(kb_record.identifiers.items())
            )
            rows.append(
                [
                    kb_record.id,
                    str(builder.iri_of(kb_record.id)) if kb_record.lifecycle == "active" else "",
                    kb_record.kind,
                    kb_record.name.nl,
                    kb_record.name.en,
                    _join(alias.text for alias in kb_record.alias_forms()),
                    identifiers,
                    kb_record.parent or "",
                    kb_record.lifecycle,
                ]
            )
        files[f"{folder}.csv"] = _csv(
            ["id", "iri", "kind", "name_nl", "name_en", "aliases", "identifiers", "parent", "lifecycle"], rows
        )
    return files


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows, key=lambda row: [str(cell) for cell in list(row)[:2]]))
    return stream.getvalue().encode("utf-8")
