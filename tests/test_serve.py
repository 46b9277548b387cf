"""`policykb serve` over HTTP: the real Oxigraph server, started by the command on 127.0.0.1 over a
compiled copy of the synthetic corpus and stopped by the test (also when it fails). The cookbook
answers as it does in process; GET and POST; results and graphs by Accept header; UPDATE refused;
CORS; the store removed when the server stops."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import SKOS, Graph

from conftest import copy_of, refused_on_a_busy_port
from policykb.compile.rdf import build_graph
from policykb.load import load_model
from policykb.query import open_store
from policykb.repo import Repo
from policykb.resources import QUERIES

POLICYKB = str(Path(sys.executable).parent / "policykb")
CAP = 1000
"""The endpoint's row cap in these tests: above every cookbook answer, below the corpus's triples."""
EXAMPLES = sorted(path for path in (QUERIES / "examples").glob("*.rq") if "federated" not in path.name)


def stores() -> set[str]:
    return {path.name for path in Path(tempfile.gettempdir()).glob("policykb-serve-*")}


@pytest.fixture(scope="module")
def root(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of(base, tmp_path_factory.mktemp("serve"))
    subprocess.run([POLICYKB, "compile", "--root", str(root)], check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def endpoint(root: Path) -> Iterator[str]:
    before = stores()
    server = subprocess.Popen(
        [POLICYKB, "serve", "--root", str(root), "--port", "0", "--timeout", "10", "--max-rows", str(CAP)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("SPARQL endpoint: http://127.0.0.1:"), first + (
            server.stderr.read() if server.stderr else ""
        )
        assert f"at most {CAP} rows per answer" in server.stdout.readline()
        yield first.split()[2]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0
    assert stores() == before, "the server's store is removed when it stops"
    assert not oxigraph_servers(), "the Oxigraph server stopped with it"


def oxigraph_servers() -> list[str]:
    """Running `oxigraph serve-read-only` processes over a policykb store."""
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve-read-only" in command and any(b"policykb-serve-" in part for part in command):
            found.append(status.parent.name)
    return found


def ask(url: str, query: str, accept: str = "application/sparql-results+json", post: bool = False) -> bytes:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = (
        urllib.request.Request(url, data=data, headers={"Accept": accept})
        if post
        else urllib.request.Request(f"{url}?{data.decode()}", headers={"Accept": accept})
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return response.read()


def rows_of(answer: bytes) -> list[tuple[str, ...]]:
    document = json.loads(answer)
    names = document["head"]["vars"]
    return [tuple(row.get(name, {}).get("value", "") for name in names) for row in document["results"]["bindings"]]


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_the_cookbook_answers_as_in_process(endpoint: str, root: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    local = open_store("oxigraph", build_graph(load_model(Repo(root)))).query(text)
    expected = [tuple("" if term is None else term.value for term in row) for row in local.rows]
    assert rows_of(ask(endpoint, text)) == expected
    assert rows_of(ask(endpoint, text, post=True)) == expected


PREFIXES = "PREFIX kb: <https://w3id.org/policykb/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
SELECT = (
    PREFIXES
    + "SELECT ?measure ?title WHERE { ?measure a kb:Measure ; skos:prefLabel ?title } ORDER BY ?measure LIMIT 5"
)


def test_select_results_in_every_format(endpoint: str) -> None:
    expected = rows_of(ask(endpoint, SELECT))
    assert len(expected) == 5
    table = list(csv.reader(io.StringIO(ask(endpoint, SELECT, "text/csv").decode("utf-8"))))
    assert [tuple(row) for row in table[1:]] == expected and table[0] == ["measure", "title"]
    tsv = ask(endpoint, SELECT, "text/tab-separated-values").decode("utf-8").splitlines()
    assert tsv[0] == "?measure\t?title" and len(tsv) == 6
    xml = ET.fromstring(ask(endpoint, SELECT, "application/sparql-results+xml"))
    assert len(xml.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 5


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_by_content_negotiation(endpoint: str, accept: str, rdflib_format: str) -> None:
    query = PREFIXES + "CONSTRUCT { ?m skos:prefLabel ?t } WHERE { ?m a kb:Measure ; skos:prefLabel ?t }"
    graph = Graph().parse(data=ask(endpoint, query, accept), format=rdflib_format)
    count = int(rows_of(ask(endpoint, PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?m a kb:Measure }"))[0][0])
    assert len(graph) == count == 40


def test_describe_a_measure(endpoint: str, root: Path) -> None:
    measure = next(record.measure for record in load_model(Repo(root)).measures())
    iri = f"https://w3id.org/policykb/id/measure/{measure.id}"
    graph = Graph().parse(data=ask(endpoint, f"DESCRIBE <{iri}>", "text/turtle"), format="turtle")
    titles = {str(title) for title in graph.objects(predicate=SKOS.prefLabel)}
    assert measure.title in titles


def test_the_vocabulary_answers_too(endpoint: str) -> None:
    """policykb.ttl is served with the data: a query over kb:concerns and its sub-properties."""
    query = PREFIXES + "ASK { kb:implements <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> kb:concerns }"
    assert json.loads(ask(endpoint, query))["boolean"] is True


def test_update_is_refused(endpoint: str) -> None:
    update = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(endpoint.replace("/query", "/update"), data=update), timeout=10)  # noqa: S310
    assert refused.value.code == 403
    assert rows_of(ask(endpoint, "SELECT ?s WHERE { <urn:a> ?p ?s }")) == []


def test_browser_clients_may_ask(endpoint: str) -> None:
    request = urllib.request.Request(
        f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}", headers={"Origin": "https://example.org"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://example.org")


def test_the_row_cap_is_an_error_that_names_it_never_a_cut_answer(endpoint: str) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    for query in (everything, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            ask(endpoint, query, "application/sparql-results+json" if "SELECT" in query else "text/turtle")
        assert refused.value.code == 400
        assert f"more than {CAP}" in refused.value.read().decode("utf-8")
    request = urllib.request.Request(
        f"{endpoint}?{urllib.parse.urlencode({'query': everything + f' LIMIT {CAP}'})}",
        headers={"Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.headers["X-SPARQL-MaxRows"] == str(CAP)
        assert len(list(csv.reader(io.StringIO(response.read().decode("utf-8"))))) == CAP + 1


def test_a_query_past_the_time_limit_is_an_error_not_a_200(root: Path) -> None:
    server = subprocess.Popen(
        [POLICYKB, "serve", "--root", str(root), "--port", "0", "--timeout", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[2]
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"  # Oxigraph: a 200, then cancelled
        with pytest.raises(urllib.error.HTTPError) as cancelled:
            ask(url, slow)
        assert cancelled.value.code == 503
        assert "ran past the time limit (1 s)" in cancelled.value.read().decode("utf-8")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


def test_a_missing_build_is_said(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    result = subprocess.run(
        [POLICYKB, "serve", "--root", str(root), "--port", "0"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "run `policykb compile` first" in result.stderr


def test_a_busy_port_is_refused_not_shared(root: Path) -> None:
    refused_on_a_busy_port("serve", "--root", str(root))
