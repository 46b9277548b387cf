"""Load a build into an existing triple store (`policykb publish --endpoint URL`).

Reads the compile output in `build/`: the data (`kb.nt`), the vocabulary (`policykb.ttl`), the
build's provenance (`provenance.ttl`) and the dataset description (`dataset.ttl`, whose
`dcat:version` names the release). Sends them, as one N-Triples body, to the store's SPARQL 1.1
Graph Store HTTP Protocol endpoint by `PUT ?graph=<release graph>`: the protocol's "replace this
graph", one request per graph, so there is no moment between a delete and a load. The
release graph is `<dataset>/release/<version>`; the same body also replaces `<dataset>/release/latest`
(unless `latest=False`), the name a researcher queries to always get the newest release. Older
release graphs stay until someone deletes them (`DELETE ?graph=…`). Writes nothing locally.

Tested against the Oxigraph server (`/store`) and Debian's Virtuoso 7 (`/sparql-graph-crud-auth`,
digest authentication) on loopback (tests/test_publish.py); where their SPARQL answers differ is
docs/query.md, "SPARQL dialects".
"""

from __future__ import annotations

import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from policykb.problems import DataError, Problem

DUMPS = ("kb.nt", "policykb.ttl", "provenance.ttl", "dataset.ttl")
"""What a release graph holds: the data, the vocabulary, the build's provenance, the description."""
PASSWORD_VARIABLE = "POLICYKB_STORE_PASSWORD"
"""Where the store's password is read from (never from the command line, where `ps` shows it)."""
DCAT = "http://www.w3.org/ns/dcat#"
HINTS = {
    401: f"(not authorised: give --user, with the password in ${PASSWORD_VARIABLE})",
    403: "(forbidden: the user may not write to this store)",
    404: "(no Graph Store Protocol here: Oxigraph's is /store, Virtuoso's /sparql-graph-crud-auth)",
}


@dataclass(frozen=True)
class Release:
    """What a build publishes: its version, the graphs it replaces, the triples it sends."""

    version: str
    graphs: tuple[str, ...]
    triples: int


def release_of(build: Path) -> tuple[str, str]:
    """The dataset IRI and the version that `dataset.ttl` of the build states."""
    import pyoxigraph

    path = build / "dataset.ttl"
    if not path.is_file():
        raise DataError(Problem(build, None, None, "no dataset.ttl in the build: run `policykb compile` first"))
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    answer = store.query(f"SELECT ?dataset ?version WHERE {{ ?dataset a <{DCAT}Dataset> ; <{DCAT}version> ?version }}")
    rows = list(answer)  # type: ignore[arg-type]
    if len(rows) != 1:
        raise DataError(Problem(path, None, None, f"{len(rows)} datasets with a dcat:version: expected one"))
    return rows[0]["dataset"].value, rows[0]["version"].value


def release_graphs(dataset: str, version: str, latest: bool = True) -> tuple[str, ...]:
    """The named graphs a release replaces: its own and, unless `latest` is off, the latest."""
    own = f"{dataset}/release/{version}"
    return (own, f"{dataset}/release/latest") if latest else (own,)


def _body(build: Path, folder: Path) -> tuple[Path, int]:
    """The release's triples in one N-Triples file; the file and the number of triples."""
    import pyoxigraph

    missing = [name for name in DUMPS if not (build / name).is_file()]
    if missing:
        raise DataError(
            Problem(build, None, None, f"no {', '.join(missing)} in the build: run `policykb compile` first")
        )
    store = pyoxigraph.Store()
    for name in DUMPS:
        store.bulk_load(path=str(build / name), format=pyoxigraph.RdfFormat.from_extension(name.rsplit(".", 1)[1]))
    body = folder / "release.nt"
    store.dump(str(body), format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return body, len(store)


def _opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    """An opener that answers the store's challenge (Basic or Digest) when a user is given."""
    if user is None:
        return urllib.request.build_opener()
    if password is None:
        raise DataError(Problem("--user", None, None, f"a user needs a password: set ${PASSWORD_VARIABLE}"))
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint, user, password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
    )


def _graph_url(endpoint: str, graph: str) -> str:
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _put(opener: urllib.request.OpenerDirector, endpoint: str, graph: str, body: bytes) -> None:
    """PUT the body as the graph. Bytes, not a stream: a store that asks for authentication (401) is
    sent the same request again, and a stream would then be empty."""
    request = urllib.request.Request(
        _graph_url(endpoint, graph),
        data=body,
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with opener.open(request, timeout=600) as response:
            response.read()
    except urllib.error.HTTPError as error:
        hint = HINTS.get(error.code, "")
        said = hint or " ".join(re.sub(r"<[^>]*>", " ", error.read().decode("utf-8", errors="replace")).split())
        raise DataError(
            Problem(endpoint, None, None, f"the store refused graph <{graph}>: HTTP {error.code} {said[:300]}".rstrip())
        ) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise DataError(Problem(endpoint, None, None, f"no store answers here: {reason}")) from None


def publish(
    build: Path, endpoint: str, user: str | None = None, password: str | None = None, latest: bool = True
) -> Release:
    """Replace the release's graphs in the store at `endpoint` (a Graph Store Protocol URL)."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise DataError(Problem("--endpoint", None, None, f"not an http(s) URL: {endpoint}"))
    dataset, version = release_of(build)
    graphs = release_graphs(dataset, version, latest)
    opener = _opener(endpoint, user, password)
    with tempfile.TemporaryDirectory(prefix="policykb-publish-") as folder:
        path, triples = _body(build, Path(folder))
        body = path.read_bytes()
        for graph in graphs:
            _put(opener, endpoint, graph, body)
    return Release(version, graphs, triples)
