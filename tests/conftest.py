"""Shared test helpers: a throw-away repository root, and the curated synthetic corpus."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykb.parse import ParsePlan, apply, plan
from policykb.repo import Repo
from policykb.synth import generate

REPO = Path(__file__).resolve().parents[1]
CHAPTER = REPO / "policy" / "coalitieakkoord-2026" / "source.txt"
WORDS = (REPO / "policy" / "coalitieakkoord-2026" / "text.txt").read_text(encoding="utf-8")
"""The text whose word sequences the synthetic corpus imitates (policykb.synth)."""
TODAY = dt.date(2026, 11, 29)


def parse_into(root: Path, source: Path | None, agreement: str = "test-agreement") -> ParsePlan:
    """Parse `source` (or re-parse the committed one) into `root` and write it, as the CLI does."""
    parse_plan = plan(Repo(root), agreement, source, on=TODAY)
    apply(parse_plan)
    return parse_plan


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty repository root."""
    (tmp_path / "policy").mkdir()
    return tmp_path


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated synthetic corpus (scripts/synth.py: 40 measures, 30 kb records), made once;
    tests work on a `copy_of` it."""
    root = tmp_path_factory.mktemp("synthetic-base")
    generate(root, measures=40, words=WORDS, records=30, seed=3)
    return root


def copy_of(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(base, root)
    return root


@contextlib.contextmanager
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another program is listening on, for the length of the block."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def refused_on_a_busy_port(*command: str) -> None:
    """`policykb COMMAND … --port P` on a busy P exits 2 and says the port is in use."""
    with busy_port() as port:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "policykb"), *command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2 and f"127.0.0.1:{port} is in use" in result.stderr, result.stderr
