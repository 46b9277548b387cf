"""Shared test helpers: a throw-away repository root, and the curated synthetic corpus."""

from __future__ import annotations

import datetime as dt
import shutil
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
