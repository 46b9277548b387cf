"""The search entries of the generated pages (issue 16: the search plugin's HTML parser was a third
of MkDocs' time).

Two ways, both off the plugin's HTML parser in the main process:
- the pages whose entries are written from the data (`Site.search_entries`: the measures and the
  matrices, decision 0023) get those, escaped as the theme escapes text;
- the other generated pages are read as the search plugin would (their HTML after conversion,
  table of contents, address and front matter) by the theme's own code
  (`material.plugins.search.plugin.SearchIndex`) in a worker on the second core
  (`python -m policykb.site.search`, a fresh interpreter: nothing of the caller is imported again),
  so they are the entries the plugin would have made, in the same order.
Writes nothing: the entries go into the plugin's index before it writes
`search/search_index.json`. Hand-written pages are left to the plugin.
"""

from __future__ import annotations

import html
import pickle
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policykb.site.pages import SearchEntry


@dataclass(frozen=True)
class Pending:
    """A place in the plugin's list of entries, held for the entries of the worker's `number`th page."""

    number: int


def _plain(toc: Any) -> list[SimpleNamespace]:
    """A table of contents as plain objects (what the index reads of it: id, url, children)."""
    return [SimpleNamespace(id=item.id, url=item.url, children=_plain(item.children)) for item in toc]


def entries(content: str, toc: list[SimpleNamespace], url: str, meta: dict[str, Any], title: str) -> list[dict]:
    """One page's entries, by the theme's code."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(content=content, toc=toc, url=url, meta=meta, title=title))
    return index.entries


def written(given: list[SearchEntry], url: str, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries written from the data as the theme's index holds them: the text escaped (the search
    shows it as HTML), paragraphs as `<p>`, the page's boost on each."""
    boost = (meta.get("search") or {}).get("boost")
    result = []
    for entry in given:
        text = " ".join(f"<p>{html.escape(part, quote=False)}</p>" for part in entry.paragraphs if part)
        item = {
            "location": url + (f"#{entry.anchor}" if entry.anchor else ""),
            "title": html.escape(entry.title, quote=False),
            "text": text,
        }
        if boost is not None:
            item["boost"] = boost
        result.append(item)
    return result


OUTBOX = 64
"""The most pages waiting for the worker."""


class Offload:
    """Wraps the search plugin's index: pages in `given` get the entries written for them, the other
    pages in `generated` are indexed by the worker."""

    command: tuple[str, ...] = (sys.executable, "-m", "policykb.site.search")
    """The worker (`main` below)."""

    def __init__(self, plugin: Any, generated: set[str], given: dict[str, list[SearchEntry]] | None = None) -> None:
        self.index = plugin.search_index
        self.generated = generated
        self.given = given or {}
        self.original = self.index.add_entry_from_context
        self.worker: subprocess.Popen[bytes] | None = None
        self.reader: threading.Thread | None = None
        self.writer: threading.Thread | None = None
        self.outbox: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=OUTBOX)
        """The pages for the worker, written to it by the writer thread: MkDocs does not wait while
        the worker reads one long page, and no more than `OUTBOX` pages wait in memory."""
        self.results: list[list[dict[str, Any]]] = []
        self.failure: BaseException | None = None
        """What stopped the reader or the writer (a worker that died, wrote something else than its
        answers, or could not be sent a page); either stops the worker."""
        self.sent = 0
        self.index.add_entry_from_context = self.add

    def add(self, page: Any) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return self.original(page)
        if page.file.src_uri in self.given:
            self.index.entries.extend(written(self.given[page.file.src_uri], page.url, page.meta))
            return None
        if page.file.src_uri not in self.generated:
            return self.original(page)
        if self.worker is None:
            self._start()
        assert self.worker is not None and self.worker.stdin is not None
        self._post((page.content, _plain(page.toc), page.url, dict(page.meta), str(page.title)))
        self.index.entries.append(Pending(self.sent))
        self.sent += 1
        return None

    def _post(self, work: tuple[Any, ...] | None) -> None:
        """Queue `work` for the writer, waiting while the queue is full, unless a thread failed."""
        while True:
            self._raise_if_failed()
            try:
                self.outbox.put(work, timeout=0.5)
                return
            except queue.Full:
                continue

    def _start(self) -> None:
        self.worker = subprocess.Popen(
            list(self.command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.reader = threading.Thread(target=self._read, args=(self.worker.stdout,), daemon=True)
        self.reader.start()  # reads as the worker writes, so that neither pipe fills and blocks
        self.writer = threading.Thread(target=self._write, args=(self.worker.stdin,), daemon=True)
        self.writer.start()

    def _write(self, stream: IO[bytes]) -> None:
        """Write the pages to the worker until told to stop (`None`), then close its input. Any
        failure (the worker gone, a page that cannot be pickled) is kept and stops the worker, so
        that the reader ends too and nothing waits for ever."""
        written = 0
        try:
            while (work := self.outbox.get()) is not None:
                pickle.dump(work, stream, protocol=pickle.HIGHEST_PROTOCOL)
                stream.flush()
                written += 1
        except BaseException as error:
            if self.failure is None:
                self.failure = RuntimeError(f"the search worker could not be sent page {written + 1}: {error!r}")
            if self.worker is not None:
                self.worker.kill()
        finally:
            try:
                stream.close()
            except OSError:
                pass

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            try:
                self.results.append(pickle.load(stream))
            except EOFError:
                return
            except BaseException as error:  # anything else: stop the worker, so no pipe blocks for ever
                self.failure = error
                if self.worker is not None:
                    self.worker.kill()
                return

    def _raise_if_failed(self) -> None:
        if self.failure is not None:
            raise RuntimeError(f"the search worker failed after {len(self.results)} pages: {self.failure!r}")

    def collect(self) -> None:
        """Put every page's entries in its place, and stop the worker."""
        try:
            self._finish()
            self._raise_if_failed()
            if len(self.results) != self.sent:
                raise RuntimeError(f"the search worker stopped after {len(self.results)} of {self.sent} pages")
            merged: list[dict[str, Any]] = []
            for entry in self.index.entries:
                merged.extend(self.results[entry.number] if isinstance(entry, Pending) else [entry])
            self.index.entries[:] = merged
        finally:
            self.close()

    def _finish(self) -> None:
        if self.worker is not None:
            self._post(None)
            for thread in (self.writer, self.reader):
                if thread is not None:
                    thread.join()
            self.worker.wait()

    def close(self) -> None:
        self.index.add_entry_from_context = self.original
        if self.worker is not None:
            if self.worker.poll() is None:
                self.worker.kill()
                self.worker.wait()
            try:
                self.outbox.put_nowait(None)  # a waiting writer stops; a writing one fails on the killed worker
            except queue.Full:
                pass
            for stream in (self.worker.stdin, self.worker.stdout):
                if stream is not None and not stream.closed:
                    try:
                        stream.close()
                    except OSError:
                        pass
            for thread in (self.writer, self.reader):
                if thread is not None:
                    thread.join(timeout=10)  # both end once the worker is gone
        self.worker = None


def main() -> None:
    """The worker: pages in on stdin, their entries out on stdout, one pickle each, in order."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            page = pickle.load(source)
        except EOFError:
            return
        pickle.dump(entries(*page), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    main()
