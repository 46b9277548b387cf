"""Real triple stores for the tests, on 127.0.0.1 only: a writable Oxigraph server (the `oxigraph`
program from PyPI, beside this Python) and Debian's Virtuoso 7 (`virtuoso-t`, which `make test`
installs with apt). Each runs in a temporary folder and is stopped, and its folder removed, when the
`with` block ends, also when a test in it fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policykb.serve import HOST, die_with_parent, free_port, server_program, signals_ignored, wait_until_up

VIRTUOSO = Path("/usr/bin/virtuoso-t")
VIRTUOSO_USER = ("dba", "dba")
"""A new Virtuoso database's administrator and its default password (the store lives minutes,
bound to loopback)."""


@dataclass(frozen=True)
class RunningStore:
    """A store the tests publish to (`graph_store`, `update`) and query (`query`)."""

    name: str
    graph_store: str
    update: str
    query: str
    user: tuple[str, str] | None


def free_ports(count: int) -> list[int]:
    """`count` different free ports (held together while chosen, so they cannot repeat)."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind((HOST, 0))
        return [int(probe.getsockname()[1]) for probe in probes]


@contextlib.contextmanager
def _process(command: list[str], folder: Path, url: str, name: str) -> Iterator[None]:
    """Run the store until the block ends; it dies with the test process however that ends
    (PR_SET_PDEATHSIG), and a second signal while it is stopped cannot leave it running."""
    log = folder / "store.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=folder, stdout=output, stderr=output, start_new_session=True, preexec_fn=die_with_parent
        )
    try:
        wait_until_up(url, process, log, seconds=60, name=name)
        yield
    finally:
        with signals_ignored():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def oxigraph() -> Iterator[RunningStore]:
    """The Oxigraph server, writable (`oxigraph serve`): Graph Store Protocol at /store, update at
    /update."""
    with tempfile.TemporaryDirectory(prefix="policykb-test-oxigraph-") as name:
        folder, port = Path(name), free_port()
        url = f"http://{HOST}:{port}"
        command = [str(server_program()), "serve", "--location", str(folder / "store"), "--bind", f"{HOST}:{port}"]
        with _process(command, folder, f"{url}/query", "oxigraph"):
            yield RunningStore("oxigraph", f"{url}/store", f"{url}/update", f"{url}/query", None)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {folder}

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {folder}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""
"""A minimal Virtuoso configuration: both ports on loopback, the database in the folder, the
10,000-row cap of Debian's default virtuoso.ini."""


@contextlib.contextmanager
def virtuoso() -> Iterator[RunningStore]:
    """Debian's Virtuoso 7: SPARQL at /sparql, Graph Store Protocol (digest auth) at
    /sparql-graph-crud-auth."""
    if not os.access(VIRTUOSO, os.X_OK):
        raise RuntimeError(f"{VIRTUOSO} is missing: `make test` installs it (apt virtuoso-opensource-7-bin)")
    with tempfile.TemporaryDirectory(prefix="policykb-test-virtuoso-") as name:
        folder, (sql_port, http_port) = Path(name), free_ports(2)
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(folder=folder, host=HOST, sql_port=sql_port, http_port=http_port))
        url = f"http://{HOST}:{http_port}"
        with _process([str(VIRTUOSO), "-f", "-c", str(ini)], folder, f"{url}/sparql", "virtuoso"):
            yield RunningStore(
                "virtuoso", f"{url}/sparql-graph-crud-auth", f"{url}/sparql-auth", f"{url}/sparql", VIRTUOSO_USER
            )
