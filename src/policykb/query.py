"""`policykb query`: SPARQL over the compiled knowledge base, in-process, bounded and local.

Reads a graph (compiled in memory from `policy/` and `kb/`, or an RDF file) and a query; returns
results as a table, CSV, TSV (SPARQL 1.1 Query Results CSV and TSV) or SPARQL 1.1 Query Results
JSON. Writes nothing. Two engines answer the same queries: `oxigraph` (pyoxigraph's Rust engine,
the default; see docs/decisions/0007) and `rdflib` (rdflib's pure-Python engine). A syntax error
becomes a `QueryError` with its line and column.

Local: a query never reaches the network. `SERVICE` is refused unless the caller allows it (the
command line's `--allow-service`; never the site build or the checks), `FROM` is refused (the
graph is the knowledge base), rdflib never loads graphs named in a query, and a JSON-LD file with
a remote `@context` is refused instead of fetched. Bounded: `run` evaluates in a child process
with a time limit, a row limit and a memory budget, each ending in a clear `QueryError`.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import rdflib.plugins.sparql
from rdflib import Graph

from policykb.compile.terms import PREFIXES, Iris
from policykb.compile.triples import Triples
from policykb.problems import DataError, Problem

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # rdflib would fetch every graph a query names

Engine = Literal["oxigraph", "rdflib"]
ENGINES: tuple[Engine, ...] = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "tsv", "json")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NUMERIC = {
    f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "decimal", "double", "nonNegativeInteger")
}


class QueryError(DataError):
    """A query that cannot be parsed or run, or data it cannot read: one located problem, at the
    query's line and column when the engine gives them (`file` "query" until the caller names it)."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None, file: Path | str = "query"
    ) -> None:
        self.line, self.column = line, column
        super().__init__(Problem(file, line, None, message, column=column))

    @property
    def message(self) -> str:
        return self.problems[0].message


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


@dataclass(frozen=True)
class Limits:
    """What one query may take. `max_rows` bounds a SELECT's rows (more is an error, never a
    silently cut table); `memory_mb` is the address space the evaluation may add."""

    seconds: float = 60.0
    max_rows: int = 100_000
    memory_mb: int = 2048
    allow_service: bool = False


class Store(Protocol):
    def query(self, text: str, allow_service: bool = False, max_rows: int | None = None) -> Results: ...


_LONG_STRINGS = r'"""(?:[^"\\]|\\.|"(?!""))*"""' + "|" + r"'''(?:[^'\\]|\\.|'(?!''))*'''"
_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<string>" + _LONG_STRINGS + r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<variable>[?$]\w+)"
    r"|(?P<name>[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*)"
    r"|(?P<word>[A-Za-z_]\w*)",
    re.DOTALL,
)
"""The SPARQL tokens that can hide a keyword (comments, IRIs, strings, variables, prefixed names),
so that only a real keyword is read as one."""


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str | None:
    """The form of a query (`SELECT`, `ASK`, `CONSTRUCT`, `DESCRIBE`): its first such keyword,
    read on its tokens (a word in a comment, string or IRI does not count); None for none."""
    for match in _TOKEN.finditer(text):
        word = (match.group("word") or "").upper()
        if word in QUERY_FORMS:
            return word
    return None


def refuse_remote(text: str, allow_service: bool = False) -> None:
    """Refuse a query that would reach beyond the local graph: `SERVICE` (unless allowed) and
    `FROM` / `FROM NAMED`. Read on the query's tokens, so the words in a comment, a string, an
    IRI or a local name (`ex:service`) do not count; a name whose prefix is one of them
    (`SERVICE:g`) does, because an engine may read it as the keyword before `:g`."""
    for match in _TOKEN.finditer(text):
        word = match.group("word") or (match.group("name") or "").split(":", 1)[0]
        if not word:
            continue
        keyword = word.upper()
        if keyword == "SERVICE" and not allow_service:
            raise QueryError(
                "SERVICE sends part of the query to another endpoint over the network: refused "
                "(`policykb query --allow-service` allows it; the site and the checks never do)",
                *_line_column(text, match.start()),
            )
        if keyword == "FROM":
            raise QueryError(
                "FROM names a graph to read instead of the knowledge base: refused (the query runs on the "
                "knowledge base, or on --data FILE)",
                *_line_column(text, match.start()),
            )


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


RowT = TypeVar("RowT")


def _bounded(rows: Iterable[RowT], max_rows: int | None) -> list[RowT]:
    """The rows, or a `QueryError` as soon as there are more than `max_rows`."""
    collected: list[RowT] = []
    for row in rows:
        if max_rows is not None and len(collected) >= max_rows:
            raise QueryError(f"more than {max_rows:,} rows: stopped (add a LIMIT, or raise --max-rows)")
        collected.append(row)
    return collected


class OxigraphStore:
    """pyoxigraph's in-memory store, loaded with N-Triples."""

    def __init__(self, ntriples: bytes) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self.store = ox.Store()
        self.store.bulk_load(ntriples, ox.RdfFormat.N_TRIPLES)

    def query(self, text: str, allow_service: bool = False, max_rows: int | None = None) -> Results:
        refuse_remote(text, allow_service)
        try:
            result = self.store.query(text)
            return self._collect(result, max_rows)
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

    def _collect(self, result: Any, max_rows: int | None) -> Results:
        ox = self._ox
        if isinstance(result, ox.QueryBoolean):
            return Results([], [], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = _bounded(result, max_rows)
            return Results([], [], triples=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
        variables = [variable.value for variable in result.variables]
        rows = _bounded(([_ox_term(solution[name]) for name in variables] for solution in result), max_rows)
        return Results(variables, rows)


class RdflibStore:
    """rdflib's in-memory graph and SPARQL engine."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def query(self, text: str, allow_service: bool = False, max_rows: int | None = None) -> Results:
        from pyparsing import ParseException

        refuse_remote(text, allow_service)
        try:
            result = self.graph.query(text)
            if result.type == "ASK":
                return Results([], [], boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                assert result.graph is not None
                _bounded(result.graph, max_rows)
                return Results([], [], triples=result.graph.serialize(format="nt"))
            variables = [str(variable) for variable in result.vars or []]
            solutions: Iterable[Any] = result
            rows = _bounded(
                ([_rdflib_term(row[index]) for index in range(len(variables))] for row in solutions), max_rows
            )
        except QueryError:
            raise
        except ParseException as error:
            raise QueryError(error.msg, error.lineno, error.col) from error
        except Exception as error:  # rdflib raises plain exceptions for evaluation errors, also while rows are read
            message = str(error)
            if "requiring a dataset" in message:
                message = (
                    "GRAPH needs named graphs, and the knowledge base is one graph: "
                    "leave GRAPH out (or use --engine oxigraph)"
                )
            raise QueryError(message) from error
        return Results(variables, rows)


def open_store(engine: Engine, graph: Graph | Triples, triples: bytes | None = None) -> Store:
    """A store of `engine` holding `graph`; `triples`: its N-Triples when already written."""
    if engine == "oxigraph":
        from policykb.compile.dumps import ntriples

        return OxigraphStore(triples if triples is not None else ntriples(graph))
    return RdflibStore(graph.to_graph() if isinstance(graph, Triples) else graph)


def run(engine: Engine, graph: Graph, text: str, limits: Limits = Limits()) -> Results:
    """Answer `text` on `graph` with `engine`, bounded (`bounded`)."""
    return bounded(open_store(engine, graph), text, limits)


def bounded(store: Store, text: str, limits: Limits = Limits()) -> Results:
    """Answer `text` in a child process forked from this one (so the store is shared, not copied)
    that may take `limits.seconds`, `limits.max_rows` rows and `limits.memory_mb` more memory;
    over any of them is a `QueryError` and the child is stopped. Where processes cannot be
    forked, the query runs here with the row limit only."""
    refuse_remote(text, limits.allow_service)
    if "fork" not in multiprocessing.get_all_start_methods():
        return store.query(text, limits.allow_service, limits.max_rows)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(store, text, limits, sender), daemon=True)
    child.start()
    sender.close()
    outcome: Results | QueryError | None = None
    try:
        if not receiver.poll(limits.seconds):
            raise QueryError(
                f"stopped after {limits.seconds:g} s, the time limit: the query may never end (a cartesian "
                "product?); narrow it, or raise --timeout"
            )
        try:
            outcome = receiver.recv()
        except EOFError:
            pass  # the child ended without an answer: said below, once its exit code is known
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if outcome is None:
        if child.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):  # an allocation refused
            raise QueryError(
                f"the query needed more than the memory budget of {limits.memory_mb:,} MB and was stopped; narrow it"
            )
        raise QueryError(f"the query's process ended without an answer (exit code {child.exitcode})")
    if isinstance(outcome, QueryError):
        raise outcome
    return outcome


def _answer(store: Store, text: str, limits: Limits, sender: Any) -> None:
    """The child's work: bound its memory, answer, send the results (or the error) back."""
    _limit_memory(limits.memory_mb)
    outcome: Results | QueryError
    try:
        outcome = store.query(text, limits.allow_service, limits.max_rows)
    except QueryError as error:
        outcome = error
    except MemoryError:
        outcome = QueryError(
            f"the query needed more than the memory budget of {limits.memory_mb:,} MB and was stopped; narrow it"
        )
    except Exception as error:  # noqa: BLE001 - a failure of the engine, said in one line
        outcome = QueryError(
            f"the query failed: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        )
    sender.send(outcome)
    sender.close()


def _limit_memory(budget_mb: int) -> None:
    """Cap this process's address space at what it uses now plus `budget_mb` (Linux)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as stream:
            used = int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + budget_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, ImportError):
        pass  # no /proc or no setrlimit: the time limit still holds


def load_graph(path: Path) -> Graph:
    """An RDF file (format from its extension: .ttl, .nt, .jsonld, .rdf), read locally: a JSON-LD
    file whose `@context` would be fetched from the network is refused, and a file that does not
    parse is a `QueryError` naming it."""
    formats = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}
    if path.suffix not in formats:
        raise QueryError("unknown RDF format (use .ttl, .nt, .jsonld or .rdf)", file=path)
    try:
        if formats[path.suffix] == "json-ld":
            data = json.loads(path.read_text(encoding="utf-8"))
            remote = next(_remote_contexts(data), None)
            if remote is not None:
                raise QueryError(
                    f"its @context is fetched from {remote}: refused, policykb never fetches one "
                    "(use the dump's own context, embedded, or a local file)",
                    file=path,
                )
            return Graph().parse(data=json.dumps(data), format="json-ld", base=path.resolve().as_uri())
        return Graph().parse(path, format=formats[path.suffix])
    except QueryError:
        raise
    except Exception as error:  # every parser has its own errors; all mean "not readable as this format"
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise QueryError(f"cannot be read as {formats[path.suffix]}: {detail}", file=path) from error


def _remote_contexts(value: Any) -> Iterator[str]:
    """Every remote reference in the JSON-LD's contexts (`@context` or `@import` with a URL)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import"):
                for reference in item if isinstance(item, list) else [item]:
                    if (
                        isinstance(reference, str)
                        and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", reference)
                        and not reference.startswith("file:")
                    ):
                        yield reference
            yield from _remote_contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _remote_contexts(item)


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
        for name, term in zip(results.variables, row, strict=True):
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
    escaped = (
        term.value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
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
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    return term.value


def _table(results: Results, prefixes: Sequence[tuple[str, str]]) -> str:
    cells = [
        [" ".join(_short(term, prefixes).split()) if term is not None else "" for term in row] for row in results.rows
    ]
    widths = [max([len(name), *(len(row[index]) for row in cells)]) for index, name in enumerate(results.variables)]
    line = lambda values: "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(results.variables), line(["-" * width for width in widths]), *(line(row) for row in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
