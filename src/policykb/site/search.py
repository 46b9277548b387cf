"""The theme's search entries of the generated pages, made on the second core while MkDocs renders
the next pages (issue 16: the search plugin's HTML parser was a third of MkDocs' time).

Reads each generated page as the search plugin would (its HTML after conversion, its table of
contents, address and front matter); the entries are made by the theme's own code
(`material.plugins.search.plugin.SearchIndex`) in a worker process, so they are the entries the
plugin would have made, in the same order. Writes nothing: the entries go into the plugin's index
before it writes `search/search_index.json`. Hand-written pages are left to the plugin.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any


@dataclass(frozen=True)
class Pending:
    """A place in the plugin's list of entries, held for one page's entries from the worker."""

    entries: Future[list[dict[str, Any]]]


def _plain(toc: Any) -> list[SimpleNamespace]:
    """A table of contents as plain objects (what the index reads of it: id, url, children)."""
    return [SimpleNamespace(id=item.id, url=item.url, children=_plain(item.children)) for item in toc]


def _entries(content: str, toc: list[SimpleNamespace], url: str, meta: dict[str, Any], title: str) -> list[dict]:
    """One page's entries, by the theme's code (run in the worker)."""
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(content=content, toc=toc, url=url, meta=meta, title=title))
    return index.entries


class Offload:
    """Wraps the search plugin's index: pages in `generated` are indexed by a worker."""

    def __init__(self, plugin: Any, generated: set[str]) -> None:
        self.index = plugin.search_index
        self.generated = generated
        self.original = self.index.add_entry_from_context
        self.pool: ProcessPoolExecutor | None = None
        self.index.add_entry_from_context = self.add

    def add(self, page: Any) -> None:
        if page.file.src_uri not in self.generated or (page.meta.get("search") or {}).get("exclude"):
            return self.original(page)
        if self.pool is None:  # started on first use; it needs only the theme's code
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        work = self.pool.submit(_entries, page.content, _plain(page.toc), page.url, dict(page.meta), str(page.title))
        self.index.entries.append(Pending(work))
        return None

    def collect(self) -> None:
        """Put every page's entries in its place, and stop the worker."""
        try:
            entries: list[dict[str, Any]] = []
            for entry in self.index.entries:
                entries.extend(entry.entries.result() if isinstance(entry, Pending) else [entry])
            self.index.entries[:] = entries
        finally:
            self.close()

    def close(self) -> None:
        self.index.add_entry_from_context = self.original
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
