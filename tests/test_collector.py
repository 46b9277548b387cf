"""policykb.collector: what a command's phases leave alive leaves the collector's passes, and no
garbage is kept for it."""

from __future__ import annotations

import gc
import weakref

from policykb.collector import release, settle, settled


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_settled_objects_leave_the_collectors_passes_until_the_run_ends() -> None:
    settle()
    assert gc.get_freeze_count() == 0  # outside a run: nothing
    with settled():
        kept = weakref.ref(Node())
        settle()
        assert gc.get_freeze_count() > 0 and kept() is None  # a dropped cycle is not what is kept
    assert gc.get_freeze_count() == 0


def test_garbage_is_collected_before_it_could_be_settled_and_released_after() -> None:
    with settled():
        dropped = Node()
        gone = weakref.ref(dropped)
        del dropped
        settle()  # a cycle dropped before settling is collected, not frozen
        assert gone() is None
        kept = Node()
        held = weakref.ref(kept)
        settle()
        del kept
        gc.collect()
        assert held() is not None  # settled: a cycle waits ...
        release()
        assert held() is None  # ... until released
