"""Shared test helpers: a throw-away repository root with one agreement."""

from __future__ import annotations

import datetime as dt
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
