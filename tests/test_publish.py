"""`policykb publish` into real stores: the Oxigraph server and Debian's Virtuoso 7, started by the
tests on 127.0.0.1 (tests/stores.py) and stopped after, also when a test fails. A compiled copy of
the synthetic corpus is published; every cookbook example answers in the store as in process; the
graph read back conforms to the shapes; a second publish of changed data replaces the latest
release and keeps the old one; Virtuoso's row cap (docs/query.md, "SPARQL dialects") is real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

import stores
from conftest import copy_of
from policykb.compile.rdf import build_graph
from policykb.compile.shacl import validate
from policykb.load import load_model
from policykb.publish import PASSWORD_VARIABLE, release_graphs, release_of
from policykb.query import open_store
from policykb.repo import Repo
from policykb.resources import QUERIES

POLICYKB = str(Path(sys.executable).parent / "policykb")
EXAMPLES = sorted(path for path in (QUERIES / "examples").glob("*.rq") if "federated" not in path.name)


@pytest.fixture(scope="module")
def root(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of(base, tmp_path_factory.mktemp("publish"))
    subprocess.run([POLICYKB, "compile", "--root", str(root)], check=True, capture_output=True)
    return root


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest) -> Iterator[stores.RunningStore]:
    with getattr(stores, request.param)() as running:
        yield running


def publish(
    root: Path, store: stores.RunningStore, *extra: str, atomic: bool = True
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    command = [POLICYKB, "publish", "--root", str(root), "--endpoint", store.graph_store, *extra]
    if atomic:
        command += ["--update", store.update]
    if store.user is not None:
        command += ["--user", store.user[0]]
        environment[PASSWORD_VARIABLE] = store.user[1]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment)


@pytest.fixture(scope="module")
def published(root: Path, store: stores.RunningStore) -> str:
    result = publish(root, store)
    assert result.returncode == 0, result.stderr
    return result.stdout


def select(store: stores.RunningStore, text: str, graph: str | None = None) -> list[tuple[str, ...]]:
    parameters = {"query": text} | ({"default-graph-uri": graph} if graph else {})
    request = urllib.request.Request(
        f"{store.query}?{urllib.parse.urlencode(parameters)}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        document = json.loads(response.read())
    names = document["head"]["vars"]
    return [tuple(row.get(name, {}).get("value", "") for name in names) for row in document["results"]["bindings"]]


def count(store: stores.RunningStore, graph: str) -> int:
    return int(select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0][0])


def latest(root: Path) -> str:
    return release_graphs(*release_of(root / "build"))[1]


def test_publish_replaces_the_release_graph_and_the_latest(
    root: Path, store: stores.RunningStore, published: str
) -> None:
    dataset, version = release_of(root / "build")
    own, newest = release_graphs(dataset, version)
    lines = published.splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines] == [f"<{own}>", f"<{newest}>"]
    triples = int(lines[0].split()[1])
    assert count(store, own) == count(store, newest) == triples > 2000
    # the same release again: replaced, not added to
    assert publish(root, store).returncode == 0
    assert count(store, newest) == triples


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_the_cookbook_answers_in_the_store_as_in_process(
    root: Path, store: stores.RunningStore, published: str, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    local = open_store("oxigraph", build_graph(load_model(Repo(root)))).query(text)
    expected = [tuple("" if term is None else term.value for term in row) for row in local.rows]
    assert select(store, text, latest(root)) == expected


def test_the_graph_read_back_conforms_to_the_shapes(root: Path, store: stores.RunningStore, published: str) -> None:
    """The store's integers (it keeps the offsets' xsd:nonNegativeInteger as xsd:integer) still
    conform."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{latest(root)}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{store.query}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        graph = Graph().parse(data=response.read().decode("utf-8"), format="nt")
    assert len(graph) > 2000
    conforms, violations = validate(graph)
    assert conforms, violations[:5]


def test_the_row_cap_is_as_documented(store: stores.RunningStore, published: str, root: Path) -> None:
    """docs/query.md: Virtuoso cuts an answer at 10,000 rows and says so only in a header; the
    Oxigraph server has no cap."""
    text = "SELECT * WHERE { ?s ?p ?o . VALUES ?copy { 1 2 3 4 5 } }"
    request = urllib.request.Request(
        f"{store.query}?{urllib.parse.urlencode({'query': text, 'default-graph-uri': latest(root)})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        rows = json.loads(response.read())["results"]["bindings"]
        header = response.headers["X-SPARQL-MaxRows"]
    if store.name == "virtuoso":
        assert (len(rows), header) == (10_000, "10000")
    else:
        assert (len(rows), header) == (5 * count(store, latest(root)), None)


def test_a_changed_build_becomes_the_latest_and_the_old_release_stays(
    root: Path, store: stores.RunningStore, published: str, tmp_path: Path
) -> None:
    old = release_graphs(*release_of(root / "build"))[0]
    changed = copy_of(root, tmp_path)
    measure = next(record for record in load_model(Repo(changed)).measures())
    path = measure.path
    text = path.read_text(encoding="utf-8")
    title = measure.measure.title
    path.write_text(
        text.replace(f"title: {title}", "title: Een nieuwe titel na de eerste publicatie"), encoding="utf-8"
    )
    subprocess.run([POLICYKB, "compile", "--root", str(changed)], check=True, capture_output=True)
    try:
        assert publish(changed, store).returncode == 0
        new, newest = release_graphs(*release_of(changed / "build"))
        assert new != old
        iri = f"https://w3id.org/policykb/id/measure/{measure.measure.id}"
        query = f"SELECT ?t WHERE {{ <{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?t }}"
        assert select(store, query, newest) == [("Een nieuwe titel na de eerste publicatie",)]
        assert select(store, query, old) == [(title,)]
    finally:
        assert publish(root, store).returncode == 0  # the other tests' latest again


def test_a_store_that_refuses_is_said(root: Path, store: stores.RunningStore, published: str) -> None:
    if store.user is None:
        wrong = store.graph_store.replace("/store", "/nothing")
        missing = publish(root, stores.RunningStore("none", wrong, store.update, "", None), atomic=False)
        assert missing.returncode == 2 and "HTTP 404" in missing.stderr
        return
    environment = dict(os.environ) | {PASSWORD_VARIABLE: "not-the-password"}
    command = [POLICYKB, "publish", "--root", str(root), "--endpoint", store.graph_store, "--user", store.user[0]]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    assert refused.returncode == 2 and "HTTP 401 (not authorised: check --user" in refused.stderr
    anonymous = subprocess.run(command[:-2], capture_output=True, text=True, timeout=120)  # no --user
    assert anonymous.returncode == 2 and "HTTP 401" in anonymous.stderr


def test_no_store_is_said(root: Path) -> None:
    nowhere = f"http://127.0.0.1:{stores.free_port()}"
    result = publish(root, stores.RunningStore("none", f"{nowhere}/store", f"{nowhere}/update", "", None))
    assert result.returncode == 2 and "no store answers here" in result.stderr


def test_a_password_in_the_url_is_refused_and_never_shown(root: Path) -> None:
    secret = stores.RunningStore("none", "http://dba:s3cret@127.0.0.1:9/store", "", "", None)
    result = publish(root, secret, atomic=False)
    assert result.returncode == 2 and "no user or password in the URL" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_a_release_changed_after_compile_is_refused(root: Path, tmp_path: Path) -> None:
    changed = copy_of(root, tmp_path)
    version = release_of(changed / "build")[1]
    dump = changed / "build" / "release" / version / "kb.nt"
    dump.write_bytes(dump.read_bytes() + b"<urn:a> <urn:b> <urn:c> .\n")
    nowhere = f"http://127.0.0.1:{stores.free_port()}"
    result = publish(changed, stores.RunningStore("none", f"{nowhere}/store", f"{nowhere}/update", "", None))
    assert result.returncode == 2 and "kb.nt" in result.stderr and "changed since compile" in result.stderr
