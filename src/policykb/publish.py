"""Load a release into an existing triple store (`policykb publish --endpoint URL`).

Reads the release the last compile wrote, `build/release/<version>/` (the version is the
`dcat:version` of `build/dataset.ttl`), after checking every file against its `SHA256SUMS`: the
data (`kb.nt`), the vocabulary (`policykb.ttl`), the build's provenance and the dataset
description. Sends them as one N-Triples body to the store's SPARQL 1.1 Graph Store HTTP Protocol
endpoint. The release graph is `<dataset>/release/<version>`; the same triples also replace
`<dataset>/release/latest` (unless `latest=False`), the name to query for the newest release.

- With `update` (the store's SPARQL 1.1 Update endpoint) the replacement is atomic: the body is
  PUT into a staging graph, then one update request copies it to the release graph and moves it
  to the latest. A store applies an update request as one transaction (Oxigraph: pyoxigraph's
  `Store.update`), so a query sees the old release or the new one, never an empty or half graph,
  and a failed upload leaves both as they were.
- Without it, each graph is one `PUT ?graph=` ("replace this graph"); the Oxigraph server clears
  the graph and then loads it, so a query in between may see it empty.

Older release graphs stay until someone deletes them (`DELETE ?graph=…`). Writes nothing locally.
Tested against the Oxigraph server and Debian's Virtuoso 7 (tests/test_publish.py); where their
SPARQL answers differ is docs/query.md, "SPARQL dialects".
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from policykb.problems import DataError, Problem
from policykb.serve import load_dumps

PASSWORD_VARIABLE = "POLICYKB_STORE_PASSWORD"
"""Where the store's password is read from (never from the command line, where `ps` shows it)."""
DCAT = "http://www.w3.org/ns/dcat#"
HINTS = {
    401: "not authorised: check --user and the password in ${variable}",
    403: "forbidden: this user may not write to this store",
    404: "no such endpoint: Oxigraph's Graph Store is /store and its update /update; Virtuoso's "
    "/sparql-graph-crud-auth and /sparql-auth",
}


@dataclass(frozen=True)
class Release:
    """What was published: the version, the graphs replaced, the triples sent, and whether the
    replacement was one transaction."""

    version: str
    graphs: tuple[str, ...]
    triples: int
    atomic: bool


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


def checked_release(build: Path, version: str) -> Path:
    """The release folder of `version`, every file of it as its `SHA256SUMS` says."""
    folder = build / "release" / version
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise DataError(Problem(folder, None, None, "no release here: run `policykb compile` first"))
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise DataError(Problem(sums, number, name, "this file has changed since compile wrote it: compile again"))
    return folder


def _body(release: Path) -> tuple[bytes, int]:
    """The release's triples as one N-Triples body, and their number."""
    import pyoxigraph

    store = pyoxigraph.Store()
    triples = load_dumps(release, store)
    body = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    assert body is not None
    return body, triples


def _safe(url: str, option: str) -> str:
    """`url`, refused when it is not http(s) or carries a user and password (give --user)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DataError(Problem(option, None, None, "not an http(s) URL"))
    if parts.username or parts.password:
        raise DataError(
            Problem(option, None, None, f"no user or password in the URL: give --user and ${PASSWORD_VARIABLE}")
        )
    return url


class _Store:
    """The store's Graph Store (and Update) endpoints, with the user's credentials if any."""

    def __init__(self, endpoint: str, update: str | None, user: str | None, password: str | None) -> None:
        self.endpoint, self.update = endpoint, update
        if user is None:
            self.opener = urllib.request.build_opener()
            return
        if password is None:
            raise DataError(Problem("--user", None, None, f"a user needs a password: set ${PASSWORD_VARIABLE}"))
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in filter(None, (endpoint, update)):
            passwords.add_password(None, url, user, password)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
        )

    def put(self, graph: str, body: bytes) -> None:
        """PUT the body as the graph. Bytes, not a stream: a store that asks for authentication
        (401) is sent the same request again, and a stream would then be empty."""
        separator = "&" if urllib.parse.urlsplit(self.endpoint).query else "?"
        url = f"{self.endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples"}
        self._send(urllib.request.Request(url, data=body, method="PUT", headers=headers), self.endpoint, graph)

    def run(self, update: str) -> None:
        assert self.update is not None
        data = urllib.parse.urlencode({"update": update}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self._send(urllib.request.Request(self.update, data=data, method="POST", headers=headers), self.update, None)

    def _send(self, request: urllib.request.Request, url: str, graph: str | None) -> None:
        what = f"graph <{graph}>" if graph else "the update"
        try:
            with self.opener.open(request, timeout=600) as response:
                response.read()
        except urllib.error.HTTPError as error:
            said = " ".join(re.sub(r"<[^>]*>", " ", error.read().decode("utf-8", errors="replace")).split())[:300]
            hint = HINTS.get(error.code, "").replace("{variable}", PASSWORD_VARIABLE)
            reason = "; ".join(filter(None, (hint, said)))
            raise DataError(
                Problem(url, None, None, f"the store refused {what}: HTTP {error.code} ({reason})")
            ) from None
        except urllib.error.URLError as error:
            raise DataError(Problem(url, None, None, f"no store answers here: {error.reason}")) from None
        except (ConnectionError, TimeoutError) as error:
            raise DataError(
                Problem(url, None, None, f"the connection broke while sending {what}: {error}; nothing is known of it")
            ) from None
        except ValueError as error:  # urllib's answer to a challenge it cannot meet
            raise DataError(Problem(url, None, None, f"cannot authenticate to this store: {error}")) from None


def publish(
    build: Path,
    endpoint: str,
    user: str | None = None,
    password: str | None = None,
    latest: bool = True,
    update: str | None = None,
) -> Release:
    """Replace the release's graphs in the store whose Graph Store Protocol URL is `endpoint`
    (atomically when its SPARQL Update URL `update` is given)."""
    store = _Store(_safe(endpoint, "--endpoint"), _safe(update, "--update") if update else None, user, password)
    dataset, version = release_of(build)
    graphs = release_graphs(dataset, version, latest)
    release = checked_release(build, version)
    body, triples = _body(release)
    if update is None:
        for graph in graphs:
            store.put(graph, body)
        return Release(version, graphs, triples, atomic=False)
    staging = f"{graphs[0]}/staging"
    store.put(staging, body)
    *copies, last = graphs
    store.run(" ; ".join([*(f"COPY <{staging}> TO <{graph}>" for graph in copies), f"MOVE <{staging}> TO <{last}>"]))
    return Release(version, graphs, triples, atomic=True)
