"""`policykb query`: SPARQL over the compiled knowledge base, in-process.

Reads a graph (compiled in memory from `policy/` and `kb/`, or an RDF file) and a query; returns
results as a table, CSV, TSV (SPARQL 1.1 Query Results CSV and TSV) or SPARQL 1.1 Query Results
JSON. Writes nothing. Two engines answer the same queries: `oxigraph` (pyoxigraph's Rust engine,
the default; see docs/decisions/0007) and `rdflib` (rdflib's pure-Python engine). A syntax error
becomes a `QueryError` with its line and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from rdflib import Graph

from policykb.compile.terms import PREFIXES, Iris

Engine = Literal["oxigraph", "rdflib"]
ENGINES: tuple[Engine, ...] = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "decimal", "double", "nonNegativeInteger")}


class QueryError(Exception):
    """A query that cannot be parsed or run, with its location when the engine gives one."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line, self.column = line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)


@dataclass(frozen=True)
class Term:
    """An RDF term as the results formats need it."""

    kind: Literal["uri", "literal", "bnode"]
    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Results:
    """A SELECT's variables and rows (a missing binding is `None`), or an ASK's answer, or a
    CONSTRUCT/DESCRIBE graph as N-Triples."""

    variables: list[str]
    rows: list[list[Term | None]]
    boolean: bool | None = None
    triples: str | None = None


class Store(Protocol):
    def query(self, text: str) -> Results: ...


class OxigraphStore:
    """pyoxigraph's in-memory store, loaded with N-Triples."""

    def __init__(self, ntriples: bytes) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.store = ox.Store()
        self.store.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES)

    def query(self, text: str) -> Results:
        try:
            result = self.store.query(text)
            return self._collect(result)
        except SyntaxError as error:
            found = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.S)
            if not found:
                raise QueryError(str(error)) from error
            # Oxigraph's parser reports the furthest point it tried, often the end of the query;
            # rdflib's parser points at the token where the query goes wrong, so take its place.
            line, column = _rdflib_location(text) or (int(found.group(1)), int(found.group(2)))
            raise QueryError(found.group(3), line, column) from error
        except (OSError, ValueError, RuntimeError) as error:  # raised while solutions are read, too
            raise QueryError(str(error)) from error

    def _collect(self, result: Any) -> Results:
        ox = self._ox
        if isinstance(result, ox.QueryBoolean):
            return Results([], [], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            return Results([], [], triples=result.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
        variables = [variable.value for variable in result.variables]
        rows = [[_ox_term(solution[name]) for name in variables] for solution in result]
        return Results(variables, rows)


class RdflibStore:
    """rdflib's in-memory graph and SPARQL engine."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def query(self, text: str) -> Results:
        from pyparsing import ParseException

        try:
            result = self.graph.query(text)
        except ParseException as error:
            raise QueryError(error.msg, error.lineno, error.col) from error
        except Exception as error:  # rdflib raises plain exceptions for evaluation errors
            raise QueryError(str(error)) from error
        if result.type == "ASK":
            return Results([], [], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Results([], [], triples=result.graph.serialize(format="nt"))
        variables = [str(variable) for variable in result.vars]
        rows = [[_rdflib_term(row[index]) for index in range(len(variables))] for row in result]
        return Results(variables, rows)


def open_store(engine: Engine, graph: Graph) -> Store:
    """A store of `engine` holding `graph`."""
    if engine == "oxigraph":
        from policykb.compile.dumps import ntriples

        return OxigraphStore(ntriples(graph))
    return RdflibStore(graph)


def load_graph(path: Path) -> Graph:
    """An RDF file (format from its extension: .ttl, .nt, .jsonld, .rdf)."""
    formats = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}
    if path.suffix not in formats:
        raise QueryError(f"{path}: unknown RDF format (use .ttl, .nt, .jsonld or .rdf)")
    return Graph().parse(path, format=formats[path.suffix])


def _rdflib_location(text: str) -> tuple[int, int] | None:
    """Where rdflib's SPARQL parser stops on `text`, if it does."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseException as error:
        return error.lineno, error.col
    except Exception:  # noqa: BLE001 - any other failure gives no location
        return None
    return None


# --- terms ----------------------------------------------------------------------------------------


def _ox_term(term: Any) -> Term | None:
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return Term("uri", term.value)
    if kind == "BlankNode":
        return Term("bnode", term.value)
    datatype = term.datatype.value if term.datatype is not None else None
    return Term("literal", term.value, term.language, None if term.language else datatype)


def _rdflib_term(term: Any) -> Term | None:
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    datatype = str(term.datatype) if term.datatype is not None else (None if term.language else XSD_STRING)
    return Term("literal", str(term), term.language, None if term.language else datatype)


# --- output ---------------------------------------------------------------------------------------


def render(results: Results, output: str, names: Iris) -> str:
    """`results` in one of `FORMATS`."""
    if results.boolean is not None:
        if output == "json":
            return json.dumps({"head": {}, "boolean": results.boolean}) + "\n"
        return ("true" if results.boolean else "false") + "\n"
    if results.triples is not None:
        return results.triples
    if output == "json":
        return json.dumps(_results_json(results), ensure_ascii=False, indent=1) + "\n"
    if output == "csv":
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(results.variables)
        writer.writerows([["" if term is None else term.value for term in row] for row in results.rows])
        return stream.getvalue()
    if output == "tsv":
        lines = ["\t".join("?" + name for name in results.variables)]
        lines += ["\t".join("" if term is None else _turtle(term) for term in row) for row in results.rows]
        return "\n".join(lines) + "\n"
    return _table(results, _prefixes(names))


def _results_json(results: Results) -> dict[str, Any]:
    bindings = []
    for row in results.rows:
        binding: dict[str, Any] = {}
        for name, term in zip(results.variables, row):
            if term is None:
                continue
            entry: dict[str, str] = {"type": term.kind, "value": term.value}
            if term.lang:
                entry["xml:lang"] = term.lang
            elif term.datatype and term.datatype != XSD_STRING:
                entry["datatype"] = term.datatype
            binding[name] = entry
        bindings.append(binding)
    return {"head": {"vars": results.variables}, "results": {"bindings": bindings}}


def _turtle(term: Term) -> str:
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.datatype in NUMERIC and term.datatype.endswith("integer") and re.fullmatch(r"-?\d+", term.value):
        return term.value
    escaped = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if term.lang:
        return f'"{escaped}"@{term.lang}'
    if term.datatype and term.datatype != XSD_STRING:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


def _prefixes(names: Iris) -> list[tuple[str, str]]:
    pairs = [(prefix, str(namespace)) for prefix, namespace in PREFIXES.items()]
    pairs += [("kb", str(names.kb)), ("id", str(names.id))]
    return sorted(pairs, key=lambda pair: -len(pair[1]))


def _short(term: Term, prefixes: Sequence[tuple[str, str]]) -> str:
    if term.kind == "uri":
        for prefix, namespace in prefixes:
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    return term.value


def _table(results: Results, prefixes: Sequence[tuple[str, str]]) -> str:
    cells = [[" ".join(_short(term, prefixes).split()) if term is not None else "" for term in row] for row in results.rows]
    widths = [max([len(name), *(len(row[index]) for row in cells)]) for index, name in enumerate(results.variables)]
    line = lambda values: "  ".join(value.ljust(width) for value, width in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(results.variables), line(["-" * width for width in widths]), *(line(row) for row in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
