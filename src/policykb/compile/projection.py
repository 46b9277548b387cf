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

from policykb.compile.rdf import PATH_OF_KIND
from policykb.load import Model
from policykb.model import KbRecord, target_class

ADOPTED = {"bill": ("aangenomen-eerste-kamer", "vastgesteld", "bekendgemaakt"), "eu-procedure": ("vastgesteld",)}
"""The stages after which a bill or EU procedure no longer holds a measure up."""


def node_of(record: KbRecord) -> str:
    return f"{PATH_OF_KIND[record.kind]}/{record.id}"


def project(model: Model) -> nx.MultiDiGraph:
    """Measures, sections and active kb records as nodes; confirmed links, themes, sections, parts,
    parents and conditions as labelled edges."""
    graph = nx.MultiDiGraph()
    kb = {key: entry.record for key, entry in sorted(model.kb.items()) if entry.record.lifecycle == "active"}
    for record in kb.values():
        graph.add_node(node_of(record), type=record.kind, label=record.name.nl, id=record.id)
    for record in kb.values():
        for part in record.parts:
            graph.add_edge(node_of(record), node_of(kb[part]), key="hasPart", relation="hasPart")
        if record.parent and record.parent in kb:
            relation = "broader" if record.kind == "theme" else "subOrganizationOf"
            graph.add_edge(node_of(record), node_of(kb[record.parent]), key=relation, relation=relation)
        for relation in record.relations:
            if relation.target in kb:
                graph.add_edge(node_of(record), node_of(kb[relation.target]), key=relation.relation, relation=relation.relation)
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
    """Measures per organisation and per instrument, the instruments most measures depend on, the
    measures that wait (on a bill not yet adopted or an EU act not yet applicable on `on`), and the
    groups of measures that hang together through the instruments they concern."""
    kb = {key: entry.record for key, entry in model.kb.items()}
    per_organisation: dict[str, set[str]] = defaultdict(set)
    per_instrument: dict[str, set[str]] = defaultdict(set)
    for source, target, data in graph.edges(data=True):
        if graph.nodes[source]["type"] != "measure" or data["relation"] in ("statedIn", "subject"):
            continue
        kind = graph.nodes[target]["type"]
        (per_organisation if target_class(kind) == "organisation" else per_instrument)[graph.nodes[target]["id"]].add(graph.nodes[source]["id"])
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
            wanted = ADOPTED.get(target.kind, ("van-toepassing", "in-werking-getreden"))
            if not _reached(target, wanted, on):
                reasons.append({"on": target.id, "waits_for": wanted[0]})
        if reasons:
            waiting.append({"measure": measure.id, "reasons": reasons})
    instruments = nx.Graph()
    for source, target, data in graph.edges(data=True):
        if graph.nodes[source]["type"] == "measure" and target_class(graph.nodes[target]["type"]) in ("instrument", "document") and data["relation"] != "statedIn":
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
        "most_depended_on": _ranked(per_instrument)[:10],
        "waiting": waiting,
        "groups": sorted(groups, key=lambda group: (-len(group["measures"]), group["measures"])),
    }


def _reached(record: KbRecord, stages: tuple[str, ...], on: dt.date) -> bool:
    return any(event.stage in stages and event.date <= on for event in record.events)


def _ranked(table: dict[str, set[str]]) -> list[dict[str, Any]]:
    rows = [{"id": key, "count": len(values), "measures": sorted(values)} for key, values in table.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["id"]))
