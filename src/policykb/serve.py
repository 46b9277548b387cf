"""A read-only SPARQL endpoint over the current build (`policykb serve`): the Oxigraph server.

Reads the compile output in `build/` (`kb.nt`, and `policykb.ttl` and `provenance.ttl` so that
labels, `rdfs:subPropertyOf` and the build's provenance answer too), loads it into a new Oxigraph
store in a temporary folder with pyoxigraph, and runs the Oxigraph server from PyPI on it
(`oxigraph serve-read-only`): the SPARQL 1.1 Protocol by GET and POST, results as JSON, XML, CSV
or TSV and graphs as Turtle, N-Triples and the other formats Oxigraph writes, chosen by the
`Accept` header; UPDATE refused (the store is opened read-only); CORS for browser clients; a time
limit per query. It binds 127.0.0.1 only. The store is removed when the server stops, however it
stops (decision 0017).

Oxigraph's server has no row cap: results are never cut off, so nothing is truncated silently;
the time limit bounds the work instead. `serve` says both when it starts.
"""

from __future__ import annotations

import contextlib
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

from policykb.problems import DataError, Problem

DUMPS = ("kb.nt", "policykb.ttl", "provenance.ttl")
"""What the endpoint holds, in the default graph: the data, the vocabulary, the provenance."""
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Endpoint:
    """A running endpoint: where to send queries, and its limits."""

    url: str
    timeout: int
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


def load_store(build: Path, folder: Path) -> int:
    """Load the build's dumps into a new store in `folder`; the number of triples."""
    import pyoxigraph

    missing = [name for name in DUMPS if not (build / name).is_file()]
    if missing:
        raise DataError(
            Problem(build, None, None, f"no {', '.join(missing)} in the build: run `policykb compile` first")
        )
    store = pyoxigraph.Store(str(folder))
    for name in DUMPS:
        store.bulk_load(path=str(build / name), format=pyoxigraph.RdfFormat.from_extension(name.rsplit(".", 1)[1]))
    store.flush()
    count = len(store)
    del store  # closes the database before the server opens it
    return count


@contextlib.contextmanager
def running(build: Path, port: int | None = None, timeout: int = 30) -> Iterator[Endpoint]:
    """Serve the build until the block ends; the server is stopped and its store removed after,
    also when the block raises."""
    with tempfile.TemporaryDirectory(prefix="policykb-serve-") as folder:
        store = Path(folder) / "store"
        triples = load_store(build, store)
        port = port or free_port()
        command = [
            str(server_program()),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"{HOST}:{port}",
            "--cors",
            "--timeout-s",
            str(timeout),
        ]
        log = Path(folder) / "server.log"
        with log.open("wb") as errors:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            url = f"http://{HOST}:{port}/query"
            _wait_until_up(url, process, log)
            yield Endpoint(url, timeout, triples, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = log.read_text(encoding="utf-8", errors="replace").strip()
            raise DataError(
                Problem("oxigraph", None, None, f"the server stopped at start: {error or process.returncode}")
            )
        try:
            with urllib.request.urlopen(probe, timeout=2):  # noqa: S310 - our own loopback server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise DataError(Problem("oxigraph", None, None, f"the server did not answer within {seconds:.0f} s"))
