"""The front of `policykb serve`: a row cap that is reported, and the time limit as an error.

The Oxigraph server (decision 0017) has no row cap, and a query its time limit cancels has already
answered 200 when its answer ends with "The SPARQL operation has been cancelled". This front sits
on the public port (127.0.0.1) and passes every request to the server on a private one, except
queries (`/query`, GET and POST), which it reads to the end before answering:

- SELECT is asked of the server as TSV (one line per row, literals escaped) and CONSTRUCT and
  DESCRIBE as N-Triples (one line per triple), so rows are counted as they arrive; the answer is
  then written in the format the client's `Accept` asks for by pyoxigraph's own serialisers.
- More than `max_rows` rows or triples: HTTP 400 with a plain-text reason naming the cap (never a
  cut answer). Every counted answer carries `X-SPARQL-MaxRows`.
- A query the time limit cancelled: HTTP 503 with the reason, never a 200.
- ASK and everything else (`/update`, which the read-only server refuses, the server's own pages)
  pass through as they are. CORS is answered here (`*`), preflight included.

Reads and writes nothing on disk; one thread per request (`ThreadingHTTPServer`).
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from policykb.query import query_form

CANCELLED = "The SPARQL operation has been cancelled"
"""How the Oxigraph server ends an answer its time limit cut off."""
TSV = "text/tab-separated-values"
NTRIPLES = "application/n-triples"
RESULT_DEFAULT = "application/sparql-results+json"
GRAPH_DEFAULT = "text/turtle"


class Front(ThreadingHTTPServer):
    """The public side of the endpoint: `upstream` is the Oxigraph server's `host:port`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: str, max_rows: int, timeout: int) -> None:
        super().__init__(address, _Handler)
        self.upstream, self.max_rows, self.query_timeout = upstream, max_rows, timeout

    def serve_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="policykb-serve-front", daemon=True)
        thread.start()
        return thread


def _choose(accept: str | None, default: str, supported: Any) -> str | None:
    """The first media type of `Accept` that `supported(media_type)` knows (q=0 excluded); the
    default for none or `*/*`; None when nothing asked for can be written."""
    if not accept:
        return default
    for part in accept.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        if any(parameter.replace(" ", "") in ("q=0", "q=0.0") for parameter in parameters):
            continue
        if media in ("*/*", "application/*", "text/*"):
            return default
        if supported(media) is not None:
            return media
    return None


class _Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: the endpoint is for local use, its requests are not logged."""

    # --- requests -------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(204, b"", None, {"Access-Control-Allow-Methods": "GET, POST, OPTIONS"})

    def do_GET(self) -> None:  # noqa: N802
        self._handle(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length))

    def _handle(self, body: bytes) -> None:
        path, _, parameters = self.path.partition("?")
        text = self._query_text(parameters, body) if path == "/query" else None
        form = query_form(text) if text else None
        if form in ("SELECT", "CONSTRUCT", "DESCRIBE"):
            self._counted(form, body)
        else:
            status, headers, content = self._upstream(body, self.headers.get("Accept"))
            self._answer(status, content, headers.get("Content-Type"))

    def _query_text(self, parameters: str, body: bytes) -> str | None:
        if self.command == "POST":
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind == "application/sparql-query":
                return body.decode("utf-8", errors="replace")
            parameters = body.decode("utf-8", errors="replace")
        values = urllib.parse.parse_qs(parameters).get("query")
        return values[0] if values else None

    # --- the server behind --------------------------------------------------------------------

    def _request(self, body: bytes, accept: str | None) -> tuple[http.client.HTTPConnection, Any]:
        connection = http.client.HTTPConnection(self.server.upstream, timeout=self.server.query_timeout + 30)
        headers = {"Content-Type": self.headers.get("Content-Type", "")} if self.command == "POST" else {}
        if accept:
            headers["Accept"] = accept
        connection.request(self.command, self.path, body=body or None, headers=headers)
        return connection, connection.getresponse()

    def _upstream(self, body: bytes, accept: str | None) -> tuple[int, dict[str, str], bytes]:
        connection, response = self._request(body, accept)
        try:
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def _counted(self, form: str, body: bytes) -> None:
        import pyoxigraph as ox

        select = form == "SELECT"
        formats: Any = ox.QueryResultsFormat if select else ox.RdfFormat
        wanted = _choose(self.headers.get("Accept"), RESULT_DEFAULT if select else GRAPH_DEFAULT, _parser(formats))
        if wanted is None:
            self._error(406, "none of the formats asked for can be written for this query (see docs/query.md)")
            return
        cap, unit = self.server.max_rows, "rows" if select else "triples"
        connection, response = self._request(body, TSV if select else NTRIPLES)
        try:
            if response.status != 200:
                self._answer(response.status, response.read(), response.getheader("Content-Type"))
                return
            lines, over = [], False
            while line := response.readline():  # one row (after the header) or one triple per line
                if CANCELLED.encode() in line:
                    self._error(
                        503,
                        f"the query ran past the time limit ({self.server.query_timeout} s) and was cancelled: "
                        "narrow it, or start the endpoint with a larger --timeout",
                    )
                    return
                lines.append(line)
                if len(lines) - select > cap:
                    over = True
                    break  # closing the connection stops the server's work on it
        finally:
            connection.close()
        if over:
            self._error(
                400,
                f"the answer has more than {cap} {unit}, this endpoint's cap (--max-rows): "
                "page through it with ORDER BY and LIMIT/OFFSET",
            )
            return
        content = b"".join(lines)
        if select:
            solutions = ox.parse_query_results(content, format=ox.QueryResultsFormat.TSV)
            written = solutions.serialize(format=ox.QueryResultsFormat.from_media_type(wanted))
        else:
            written = ox.serialize(
                ox.parse(content, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.from_media_type(wanted)
            )
        self._answer(200, written or b"", wanted, {"X-SPARQL-MaxRows": str(cap)})

    # --- answers ------------------------------------------------------------------------------

    def _error(self, status: int, message: str) -> None:
        self._answer(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _answer(self, status: int, content: bytes, media: str | None, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if media:
            self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Expose-Headers", "X-SPARQL-MaxRows")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)


def _parser(formats: Any) -> Any:
    def supported(media: str) -> Any:
        try:
            return formats.from_media_type(media)
        except ValueError:
            return None

    return supported
