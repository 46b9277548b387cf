"""The compiled graph as a set of triples indexed by predicate and subject, without rdflib's memory
store (issue 16: adding 220,000 triples to it took 2.5 s of a compile at 5,000 measures, and it
held 218 MB).

Holds rdflib terms (`URIRef`, `Literal`), so everything that writes or checks the graph reads
the same values as before: the N-Triples are rdflib's own rows (`_nt_row`), the JSON-LD writer
and the SHACL core (`shacl_core`) read the triples and the three patterns they ask for. An
rdflib `Graph` is made from it only where a caller needs one (rdflib's SPARQL, pySHACL, the tests'
queries): `to_graph`. Reads and writes no file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Graph
from rdflib.term import Node


class Triples:
    """A set of triples: predicate → subject → objects."""

    def __init__(self, namespaces: dict[str, str] | None = None) -> None:
        self.index: dict[Node, dict[Node, set[Node]]] = {}
        self.namespaces = dict(namespaces or {})
        """The prefixes an rdflib graph made of these triples binds (`to_graph`)."""
        self.size = 0

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        subject, predicate, value = triple
        values = self.index.setdefault(predicate, {}).setdefault(subject, set())
        if value not in values:
            values.add(value)
            self.size += 1

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        for predicate, subjects in self.index.items():
            for subject, values in subjects.items():
                for value in values:
                    yield subject, predicate, value

    def __contains__(self, triple: tuple[Node, Node, Node | None]) -> bool:
        """`(s, p, o) in triples`, or `(s, p, None)`: has `s` any `p`."""
        subject, predicate, value = triple
        if subject is None:
            raise ValueError("asked with a subject only: (s, p, o) or (s, p, None)")
        values = self.index.get(predicate, {}).get(subject)
        return bool(values) if value is None else values is not None and value in values

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for subject, values in self.index.get(predicate, {}).items():
            for value in values:
                yield subject, value

    def objects(self, subject: None, predicate: Node) -> Iterator[Node]:
        """The objects of `predicate` (of any subject: the one pattern asked)."""
        if subject is not None:
            raise ValueError("only the objects of a predicate are asked for")
        for _, value in self.subject_objects(predicate):
            yield value

    def subjects(self, predicate: Node, value: None) -> Iterator[Node]:
        """The subjects of `predicate` (with any object: the one pattern asked)."""
        if value is not None:
            raise ValueError("only the subjects of a predicate are asked for")
        yield from self.index.get(predicate, {})

    def to_graph(self) -> Graph:
        """The same triples in an rdflib graph, with the prefixes bound."""
        graph = Graph()
        for prefix, namespace in self.namespaces.items():
            graph.bind(prefix, namespace)
        for triple in self:
            graph.add(triple)
        return graph


def ntriple_rows(triples: Any) -> Iterator[bytes]:
    """Each triple as rdflib writes it in N-Triples (its own row function), UTF-8."""
    from rdflib.plugins.serializers.nt import _nt_row

    for triple in triples:
        yield _nt_row(triple).encode("utf-8")
