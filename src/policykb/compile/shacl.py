"""Run the SHACL shapes of a vocabulary folder's `shapes/` on a graph (no inference).

Reads the shapes files; returns whether the graph conforms and one `Violation` per result, sorted.
Writes nothing. `policykb check` reports them. The engine is `shacl_core` (SHACL Core over an
index of the graph, ten times pySHACL's speed); shapes that use what it does not implement are
run by pySHACL, which the tests also run on each shape's passing and failing graphs to require
the same results of both (decision 0022).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import SH
from rdflib.term import Node

from policykb.compile.terms import DEFAULT_BASE
from policykb.compile.triples import Triples
from policykb.vocab import PACKAGE_SCHEMA


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the shape, the node, the path and the message."""

    shape: str
    focus: str
    path: str
    message: str
    severity: str


def shapes_graph(base: str = DEFAULT_BASE, folder: Path = PACKAGE_SCHEMA) -> Graph:
    """Every `*.ttl` of the `shapes/` of the vocabulary `folder`, under `base`."""
    graph = Graph()
    for path in sorted((folder / "shapes").glob("*.ttl")):
        graph.parse(data=path.read_text(encoding="utf-8").replace(DEFAULT_BASE, base), format="turtle")
    return graph


def validate(data: Graph | Triples, shapes: Graph | None = None, engine: str = "core") -> tuple[bool, list[Violation]]:
    """Validate `data` against `shapes` (default: the project's) with `engine`: `core`
    (`shacl_core`, pySHACL when the shapes need more) or `pyshacl`."""
    from policykb.compile import shacl_core

    shapes = shapes if shapes is not None else shapes_graph()
    if engine == "core":
        try:
            results = shacl_core.validate(shapes, data)
        except shacl_core.Unsupported:
            return validate(data, shapes, "pyshacl")
        violations = [
            Violation(str(_owner(shapes, shape)), str(focus), path, message, severity)
            for shape, focus, path, message, severity in results
        ]
        return all(item.severity in ("Warning", "Info") for item in violations), sorted(violations)
    from pyshacl import validate as run

    data = data.to_graph() if isinstance(data, Triples) else data

    conforms, report, _ = run(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    violations = []
    for result in report.objects(None, SH.result):  # not the sh:detail results nested in them
        shape = report.value(result, SH.sourceShape)
        values = {
            predicate: _text(report.value(result, predicate))
            for predicate in (SH.focusNode, SH.resultPath, SH.resultMessage, SH.resultSeverity)
        }
        violations.append(
            Violation(
                str(_owner(shapes, shape)),
                values[SH.focusNode],
                _path(report, report.value(result, SH.resultPath)),
                values[SH.resultMessage],
                values[SH.resultSeverity].rsplit("#", 1)[-1],
            )
        )
    return bool(conforms), sorted(violations)


def _owner(shapes: Graph, shape: Node | None) -> Node | None:
    """A property shape is a blank node: name it after the node shape that holds it."""
    return (shapes.value(None, SH.property, shape) if shape is not None else None) or shape


def _path(report: Graph, path: Node | None) -> str:
    """A predicate path as its IRI, an inverse path as `^IRI` (pySHACL copies it as a blank node)."""
    inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
    return f"^{inverse}" if inverse is not None else _text(path)


def _text(value: object) -> str:
    return "" if value is None else str(value)
