"""Serialise a graph to bytes that do not change unless the graph does.

N-Triples one triple per line, sorted; Turtle written by pyoxigraph from those sorted triples
(consecutive triples of a subject grouped; forty times faster than rdflib's serialiser); JSON-LD
compacted with a prefix-only `@context` that is embedded and also shipped beside it as
`context.jsonld` (nothing is ever fetched), then every array and key sorted. Reads and writes no
files.

JSON-LD is written here from the triples, in the form rdflib's serialiser gives a graph of IRIs
and literals (rdflib's own context object compacts the names; typed booleans, integers, doubles
and strings as JSON values): the same bytes at half the time (issue 16; a test compares both on
the chapter and on a synthetic corpus). A graph with blank nodes, RDF lists, a literal `rdf:type`
or a single subject goes through rdflib's serialiser. One difference is kept: where a predicate
has several values and the first is `false`, `0` or `""`, rdflib keeps only the later ones; this
writer keeps them all.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from policykb.compile.terms import PREFIXES, Iris
from policykb.compile.triples import Triples, ntriple_rows


def context(names: Iris) -> dict[str, Any]:
    """The JSON-LD context: the project's prefixes and the public vocabularies'."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    prefixes.update({"kb": str(names.kb), "id": str(names.id)})
    return {"@context": dict(sorted(prefixes.items()))}


def turtle(triples: bytes, names: Iris) -> bytes:
    """Turtle of the graph whose sorted N-Triples (`ntriples`) are `triples`."""
    import pyoxigraph as ox

    # `id:` is left out: local names with `/` would need escapes (`id:measure\\/x`).
    prefixes = {prefix: iri for prefix, iri in context(names)["@context"].items() if prefix != "id"}
    parsed = ox.parse(triples, format=ox.RdfFormat.N_TRIPLES)
    serialized = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert serialized is not None  # without an output, serialize returns the bytes
    text = serialized.decode("utf-8")
    lines = text.splitlines(keepends=True)
    header = [line for line in lines if line.startswith("@prefix ")]
    return ("".join(sorted(header)) + "".join(lines[len(header) :])).encode("utf-8")


def ntriples(graph: Graph | Triples) -> bytes:
    """One triple per line (rdflib's rows: `compile/triples.py`), sorted as bytes, which for UTF-8
    is the order of the characters. A row is one line: a literal's line ends are escaped in it."""
    lines = sorted(row.rstrip(b"\n") for row in ntriple_rows(graph))
    return b"\n".join(lines) + b"\n"


def jsonld(graph: Graph | Triples, names: Iris, engine: str = "own") -> bytes:
    """The graph as compacted, sorted JSON-LD; `engine` `own` (this module's writer, rdflib's when
    the graph has blank nodes or lists) or `rdflib`."""
    ctx = context(names)
    nodes = _nodes(graph, ctx["@context"]) if engine == "own" else None
    if nodes is None:
        graph = graph.to_graph() if isinstance(graph, Triples) else graph
        data = json.loads(graph.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
        nodes = data.get("@graph", [data] if "@id" in data else [])
    ordered = {
        "@context": ctx["@context"],
        "@graph": sorted((_sorted(node) for node in nodes), key=lambda node: node.get("@id", "")),
    }
    return (json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _nodes(graph: Graph | Triples, prefixes: dict[str, str]) -> list[dict[str, Any]] | None:
    """The node objects rdflib's JSON-LD serialiser makes of a graph of IRIs and literals, or
    None for a graph with blank nodes or RDF lists (those it nests or lists)."""
    from rdflib import RDF, BNode, Literal
    from rdflib.plugins.serializers.jsonld import PLAIN_LITERAL_TYPES
    from rdflib.plugins.shared.jsonld.context import Context

    names = Context(prefixes)
    ids: dict[Any, str] = {}
    symbols: dict[Any, str] = {}

    def shrink(iri: Any) -> str:
        if iri not in ids:
            ids[iri] = names.shrink_iri(iri)
        return ids[iri]

    def symbol(iri: Any) -> str:
        if iri not in symbols:
            symbols[iri] = names.to_symbol(iri) or str(iri)
        return symbols[iri]

    first, kind, empty = RDF.first, RDF.type, RDF.nil
    nodes: dict[Any, dict[str, Any]] = {}
    for subject, predicate, value in graph:
        if isinstance(subject, BNode) or isinstance(value, BNode) or predicate == first or value == empty:
            return None  # lists and blank nodes: rdflib nests them
        if predicate == kind and isinstance(value, Literal):
            return None  # rdflib puts a literal type beside the others under @type
        node = nodes.get(subject)
        if node is None:
            node = nodes[subject] = {"@id": shrink(subject)}
        item: Any
        if predicate == kind:
            key, item = "@type", symbol(value)
        else:
            key = symbol(predicate)
            if isinstance(value, Literal):
                if value.datatype in PLAIN_LITERAL_TYPES:
                    item = value.toPython()
                elif value.datatype:
                    item = {"@type": symbol(value.datatype), "@value": str(value)}
                elif value.language:
                    item = {"@language": value.language, "@value": str(value)}
                else:
                    item = str(value)
            else:
                item = {"@id": shrink(value)}
        present = node.get(key)
        if present is None:
            node[key] = item
        elif isinstance(present, list):
            present.append(item)
        else:
            node[key] = [present, item]
    return list(nodes.values()) if len(nodes) > 1 else None  # one node: rdflib writes it without @graph


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return sorted(
            (_sorted(item) for item in value), key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True)
        )
    return value
