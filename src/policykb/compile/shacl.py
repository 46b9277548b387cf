"""Run the SHACL shapes of a vocabulary folder's `shapes/` on a graph (pyshacl, no inference).

Reads the shapes files; returns whether the graph conforms and one `Violation` per result, sorted.
Writes nothing. `policykb check` reports them; the tests run each shape on a passing and a
failing graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from policykb.compile.terms import DEFAULT_BASE
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


def validate(data: Graph, shapes: Graph | None = None) -> tuple[bool, list[Violation]]:
    """Validate `data` against `shapes` (default: the project's)."""
    from pyshacl import validate as run

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _ = run(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        shape = report.value(result, SH.sourceShape)
        # a property shape is a blank node: name it after the node shape that holds it
        owner = shapes.value(None, SH.property, shape) if shape is not None else None
        values = {
            predicate: _text(report.value(result, predicate))
            for predicate in (SH.focusNode, SH.resultPath, SH.resultMessage, SH.resultSeverity)
        }
        violations.append(
            Violation(
                str(owner or shape),
                values[SH.focusNode],
                values[SH.resultPath],
                values[SH.resultMessage],
                values[SH.resultSeverity].rsplit("#", 1)[-1],
            )
        )
    return bool(conforms), sorted(violations)


def _text(value: object) -> str:
    return "" if value is None else str(value)
