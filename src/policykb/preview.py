"""The built site over HTTP on 127.0.0.1 (`policykb preview`, `make preview`).

Reads the folder `policykb site` wrote (`build/site/`); writes nothing. Opened from disk the site
half works (a folder link shows a directory listing, search needs HTTP), so this serves it with the
standard library's file server, quietly, until stopped. The browser tests serve their sites with
the same class.
"""

from __future__ import annotations

import errno
import functools
import http.server
import threading
import urllib.parse
from pathlib import Path
from typing import Any

from policykb.problems import DataError, Problem

HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Requests are not logged: the terminal shows the URL and nothing else."""

    def send_head(self) -> Any:
        """policykb's own hidden files in the site (`.policykb-output`, `.policykb-cache/`) are not
        the site's: as a web server that leaves dot-entries out, they get the 404 page."""
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        if any(part.startswith(".") for part in path.split("/")):
            self.send_error(404)
            return None
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An address with no page gets the site's own (Dutch) 404 page, with status 404."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer:
    """A built site served from `folder` on 127.0.0.1 (`port` 0: any free one), in a thread."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        if not (folder / "index.html").is_file():
            raise DataError(Problem(folder, None, None, "no built site here: run `policykb site` first"))
        handler = functools.partial(_QuietHandler, directory=str(folder))
        try:
            self.httpd = http.server.ThreadingHTTPServer((HOST, port), handler)
        except OSError as error:
            said = (
                f"{HOST}:{port} is in use: give another --port, or 0 for any free one"
                if error.errno == errno.EADDRINUSE
                else f"cannot serve on {HOST}:{port}: {error.strerror}"
            )
            raise DataError(Problem("--port", None, None, said)) from None
        self.url = f"http://{HOST}:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="policykb-preview", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
