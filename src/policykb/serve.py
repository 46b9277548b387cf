"""A read-only SPARQL endpoint over the current build (`policykb serve`): the Oxigraph server.

Reads the compile output in `build/` (`kb.nt`, and `policykb.ttl` and `provenance.ttl` so that
labels, `rdfs:subPropertyOf` and the build's provenance answer too), loads it into a new Oxigraph
store in a temporary folder with pyoxigraph, and runs the Oxigraph server from PyPI on it
(`oxigraph serve-read-only`): the SPARQL 1.1 Protocol by GET and POST, results as JSON, XML, CSV
or TSV and graphs as Turtle, N-Triples and the other formats Oxigraph writes, chosen by the
`Accept` header; UPDATE refused (the store is opened read-only); CORS for browser clients; a time
limit per query. It binds 127.0.0.1 only. The store is removed when the server stops, however it
stops (decision 0017).

Oxigraph's server has no row cap, and a query its time limit cancels has already answered 200. So
the server listens on a private loopback port and the public one is a small front
(`policykb.serve_proxy`): a row cap (`--max-rows`) that is an HTTP 400 naming the cap, never a cut
answer, and the time limit as an HTTP 503. The store is loaded once: after `policykb compile`,
start `serve` again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykb.problems import DataError, Problem
from policykb.query import Limits

DUMPS = ("kb.nt", "policykb.ttl", "provenance.ttl", "dataset.ttl")
"""What the endpoint holds, in the default graph: the data, the vocabulary, the provenance and the
dataset's description."""
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Endpoint:
    """A running endpoint: where to send queries, and its limits."""

    url: str
    timeout: int
    max_rows: int
    triples: int
    process: subprocess.Popen[bytes]


def server_program() -> Path:
    """The `oxigraph` program installed beside this Python (the `oxigraph` package from PyPI)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = beside if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise DataError(Problem("oxigraph", None, None, "the Oxigraph server is not installed: `pip install oxigraph`"))
    return Path(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def die_with_parent() -> None:
    """In the server's process: end when policykb ends, however it ends (Linux PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def load_dumps(build: Path, store: Any) -> int:
    """Load the build's `DUMPS` into a pyoxigraph `store`; the number of triples it then holds. A
    missing dump is a problem that says to compile first."""
    import pyoxigraph

    missing = [name for name in DUMPS if not (build / name).is_file()]
    if missing:
        raise DataError(
            Problem(build, None, None, f"no {', '.join(missing)} in the build: run `policykb compile` first")
        )
    for name in DUMPS:
        store.bulk_load(path=str(build / name), format=pyoxigraph.RdfFormat.from_extension(name.rsplit(".", 1)[1]))
    return len(store)


def load_store(build: Path, folder: Path) -> int:
    """Load the build's dumps into a new store in `folder`; the number of triples."""
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    count = load_dumps(build, store)
    store.flush()
    del store  # closes the database before the server opens it
    return count


@contextlib.contextmanager
def running(
    build: Path, port: int | None = None, timeout: int = 30, max_rows: int = Limits().max_rows
) -> Iterator[Endpoint]:
    """Serve the build until the block ends; the server is stopped and its store removed after,
    also when the block raises."""
    from policykb.serve_proxy import Front

    with tempfile.TemporaryDirectory(prefix="policykb-serve-") as folder:
        store = Path(folder) / "store"
        triples = load_store(build, store)
        try:
            front = Front((HOST, port or 0), "", max_rows, timeout)
        except OSError:
            raise DataError(
                Problem("--port", None, None, f"{HOST}:{port} is in use: give another --port, or 0 for any free one")
            ) from None
        private = free_port()
        front.upstream = f"{HOST}:{private}"
        command = [
            str(server_program()),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"{HOST}:{private}",
            "--cors",
            "--timeout-s",
            str(timeout),
        ]
        log = Path(folder) / "server.log"
        environment = {key: value for key, value in os.environ.items() if key != "RUST_BACKTRACE"}
        process: subprocess.Popen[bytes] | None = None
        started = False
        try:
            with log.open("wb") as errors:
                process = subprocess.Popen(
                    command, stdout=subprocess.DEVNULL, stderr=errors, env=environment, preexec_fn=die_with_parent
                )
            upstream = f"http://{HOST}:{private}/query"
            wait_until_up(upstream, process, log)
            _answers_from(upstream, process, triples)
            front.serve_in_background()
            started = True
            url = f"http://{HOST}:{front.server_address[1]}/query"
            yield Endpoint(url, timeout, max_rows, triples, process)
        finally:
            if started:
                front.shutdown()
            front.server_close()
            if process is not None:
                with signals_ignored():
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                if process.returncode not in (0, -15, None):
                    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
                    if tail:
                        sys.stderr.write("oxigraph: " + "\n".join(tail) + "\n")


@contextlib.contextmanager
def signals_ignored() -> Iterator[None]:
    """A second Ctrl-C or TERM while the server is being stopped cannot leave it running."""
    import signal

    saved = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def _answers_from(url: str, process: subprocess.Popen[bytes], triples: int) -> None:
    """The server that answers is ours: it is running and holds exactly what was loaded."""
    import json

    query = url + "?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    request = urllib.request.Request(query, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
        count = int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])
    if process.poll() is not None or count != triples:
        raise DataError(Problem("--port", None, None, f"another server answers at {url}: give another --port"))


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 20, name: str = "oxigraph"
) -> None:
    """Wait until the server at `url` answers a query; its start failing is said with its log."""
    deadline = time.monotonic() + seconds
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = log.read_text(encoding="utf-8", errors="replace").strip()
            raise DataError(Problem(name, None, None, f"the server stopped at start: {error or process.returncode}"))
        try:
            with urllib.request.urlopen(probe, timeout=2):  # noqa: S310 - our own loopback server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise DataError(Problem(name, None, None, f"the server did not answer within {seconds:.0f} s"))
