"""Progress of a long step on a terminal: a bar on standard error with the item at hand, and
nothing at all when standard error is not a terminal or `CI` is set (CI logs, pipes, tests). A
step inside another's bar (the measures loaded while the check runs) shows none of its own: two
bars on one line would garble both.

Reads nothing; writes only to the stream it is given.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

_SHOWN = threading.local()
"""`bar`: whether this thread has a bar on the terminal now."""


@contextmanager
def steps(label: str, total: int, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """A function to call as each of `total` steps starts, with what it is (`PK111 …`)."""
    stream = stream or sys.stderr
    if not stream.isatty() or os.environ.get("CI") or getattr(_SHOWN, "bar", False):
        yield lambda _: None
        return
    _SHOWN.bar = True
    try:
        with click.progressbar(length=total, label=label, file=stream, item_show_func=lambda item: item or "") as bar:
            started = False

            def advance(item: str) -> None:
                nonlocal started
                if started:
                    bar.update(1, item)  # the step before is done
                else:  # the first step: nothing done yet, but say what runs
                    bar.current_item = item
                    bar.render_progress()
                started = True

            yield advance
            if started:
                bar.update(1)  # the last step is done too: the bar ends full
    finally:
        _SHOWN.bar = False
