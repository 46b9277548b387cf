"""Shared test helpers: a throw-away repository root, and the curated synthetic corpus."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from policykb.parse import ParsePlan, apply, plan
from policykb.repo import Repo

REPO = Path(__file__).resolve().parents[1]
CHAPTER = REPO / "policy" / "coalitieakkoord-2026" / "source.txt"
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
    sys.path.insert(0, str(REPO / "scripts"))
    from synth import generate

    root = tmp_path_factory.mktemp("synthetic-base")
    generate(root, measures=40, records=30, seed=3)
    return root


def copy_of(base: Path, tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(base, root)
    return root
