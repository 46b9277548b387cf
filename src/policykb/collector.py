"""The garbage collector's policy for one command's run (issue 16).

Python's cyclic collector scans every live container object at each full collection, and a
full collection comes each time the heap has grown by a quarter: while a run builds the model
(5,000 measures), the graph and the pages, it scanned the objects that live on again and again
(13 of 78 seconds of `policykb site` at 5,000 measures). Inside `settled()`, `settle()` after a
phase collects the garbage that phase left (a pass over its new objects only) and moves the
objects alive then out of the collector's passes (`gc.freeze`): they are still freed when their
last reference goes; only a cycle among them would wait, so a run that drops a large structure
held by cycles (the rdflib graph before MkDocs) calls `release()`, one full pass. On leaving,
everything goes back to the collector (`gc.unfreeze`, process-wide: it also undoes a host
program's own `gc.freeze`). Outside `settled()` (a library caller, a test) both do nothing. Reads
and writes no files.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_ACTIVE: list[bool] = []


@contextmanager
def settled() -> Iterator[None]:
    """A command's run, in which `settle()` takes effect."""
    _ACTIVE.append(True)
    try:
        yield
    finally:
        _ACTIVE.pop()
        if not _ACTIVE:
            gc.unfreeze()


def settle() -> None:
    """The objects alive now live on: the garbage since the last settle is collected, the rest
    leaves the collector's passes (inside `settled()` only)."""
    if _ACTIVE:
        gc.collect()
        gc.freeze()


def release() -> None:
    """Settled objects were just dropped: collect once over everything, then settle again."""
    if _ACTIVE:
        gc.unfreeze()
        settle()
