"""The model as a NetworkX graph, and the analyses policy staff ask of it.

Reads a validated `Model`; returns a `networkx.MultiDiGraph` (typed nodes named by their IRI path,
such as `measure/ami-nat-001` or `organisation/ind`; edges keyed and labelled by relation) and a
JSON-ready dict of analyses. Writes nothing. The same model gives the same graph: nodes and edges
are added in sorted order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import networkx as nx

from policykb.load import Model
from policykb.model import KbRecord


def project(model: Model) -> nx.MultiDiGraph:
    """Measures, sections and active kb records as nodes; confirmed links, themes, sections, parts,
    parents and conditions as labelled edges."""
    vocabulary = model.vocabulary

    def node_of(record: KbRecord) -> str:
        """A record's node: its IRI path (`law/vreemdelingenwet-2000`)."""
        return f"{vocabulary.kinds[record.kind].path}/{record.id}"

    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    kb = {key: entry.record for key, entry in sorted(model.kb.items()) if entry.record.lifecycle == "active"}
    for record in kb.values():
        graph.add_node(node_of(record), type=record.kind, label=record.name.nl, id=record.id)
    for record in kb.values():
        for part in record.parts:
            graph.add_edge(node_of(record), node_of(kb[part]), key="hasPart", relation="hasPart")
        if record.parent and record.parent in kb:
            upward = "broader" if vocabulary.target_class(record.kind) == "theme" else "subOrganizationOf"
            graph.add_edge(node_of(record), node_of(kb[record.parent]), key=upward, relation=upward)
        for relation in record.relations:
            if relation.target in kb:
                graph.add_edge(
                    node_of(record), node_of(kb[relation.target]), key=relation.relation, relation=relation.relation
                )
    for agreement in model.agreements:
        for section in agreement.structure.sections:
            graph.add_node(f"section/{agreement.id}/{section.id}", type="section", label=section.title, id=section.id)
        for item in sorted(agreement.measures, key=lambda r: r.measure.id):
            measure = item.measure
            if measure.lifecycle != "active":
                continue
            node = f"measure/{measure.id}"
            status = measure.status[-1].value if measure.status else ""
            graph.add_node(node, type="measure", label=measure.title, id=measure.id, status=status)
            graph.add_edge(node, f"section/{agreement.id}/{measure.section}", key="statedIn", relation="statedIn")
            for link in measure.links:
                if link.review == "confirmed" and link.target in kb:
                    graph.add_edge(node, node_of(kb[link.target]), key=link.relation, relation=link.relation)
            for theme in measure.themes:
                graph.add_edge(node, node_of(kb[theme]), key="subject", relation="subject")
            for waits in measure.condition.waits_for() if measure.condition else []:
                graph.add_edge(node, node_of(kb[waits.bill]), key="waitsOn", relation="waitsOn", stage=waits.stage)
    return graph


def analyse(model: Model, graph: nx.MultiDiGraph, on: dt.date) -> dict[str, Any]:
    """Measures per organisation and per instrument, the instruments most measures depend on (a
    `depends-on` link or a condition waiting for it), the
    measures that wait (on a bill not yet adopted or an EU act not yet applicable on `on`), and the
    groups of measures that hang together through the instruments they concern."""
    kb = {key: entry.record for key, entry in model.kb.items()}
    vocabulary = model.vocabulary

    def class_of(node: str) -> str:
        """A record node's class (organisation, instrument …); any other node its type (section)."""
        kind = graph.nodes[node]["type"]
        return vocabulary.target_class(kind) if kind in vocabulary.kinds else kind

    per_organisation: dict[str, set[str]] = defaultdict(set)
    per_instrument: dict[str, set[str]] = defaultdict(set)
    depended_on: dict[str, set[str]] = defaultdict(set)
    for source, target, data in graph.edges(data=True):
        if graph.nodes[source]["type"] != "measure" or data["relation"] in ("statedIn", "subject"):
            continue
        measure, record = graph.nodes[source]["id"], graph.nodes[target]["id"]
        (per_organisation if class_of(target) == "organisation" else per_instrument)[record].add(measure)
        if data["relation"] in ("depends-on", "waitsOn"):
            depended_on[record].add(measure)
    waiting = []
    for record in model.measures():
        measure = record.measure
        if measure.lifecycle != "active":
            continue
        reasons = []
        for waits in measure.condition.waits_for() if measure.condition else []:
            if not _reached(kb[waits.bill], (waits.stage,), on):
                reasons.append({"on": waits.bill, "waits_for": waits.stage})
        for link in measure.links:
            if link.review != "confirmed" or link.relation != "depends-on" or link.target not in kb:
                continue
            target = kb[link.target]
            wanted = tuple(vocabulary.kinds[target.kind].adopted)
            if wanted and not _reached(target, wanted, on):
                reasons.append({"on": target.id, "waits_for": wanted[0]})
        if reasons:
            waiting.append({"measure": measure.id, "reasons": reasons})
    instruments: nx.Graph = nx.Graph()
    for source, target in graph.edges():
        if graph.nodes[source]["type"] == "measure" and class_of(target) in ("instrument", "document"):
            instruments.add_edge(source, target)
    groups = []
    for component in nx.connected_components(instruments):
        measures = sorted(graph.nodes[node]["id"] for node in component if graph.nodes[node]["type"] == "measure")
        linked = sorted(graph.nodes[node]["id"] for node in component if graph.nodes[node]["type"] != "measure")
        if len(measures) > 1:
            groups.append({"measures": measures, "instruments": linked})
    return {
        "on": on.isoformat(),
        "measures_per_organisation": _ranked(per_organisation),
        "measures_per_instrument": _ranked(per_instrument),
        "most_depended_on": _ranked(depended_on)[:10],
        "waiting": waiting,
        "groups": sorted(groups, key=lambda group: (-len(group["measures"]), group["measures"])),
    }


def _reached(record: KbRecord, stages: tuple[str, ...], on: dt.date) -> bool:
    return any(event.stage in stages and event.date <= on for event in record.events)


def _ranked(table: dict[str, set[str]]) -> list[dict[str, Any]]:
    rows = [{"id": key, "count": len(values), "measures": sorted(values)} for key, values in table.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["id"]))
