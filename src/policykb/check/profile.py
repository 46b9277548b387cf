"""The check profile (`checks.yaml` at the repository root): thresholds, severities, known gaps.

Reads one YAML file, strictly (an unknown field or rule code is a located error); writes nothing.
A missing file means the defaults: 100 % source coverage, each rule at its own severity, no gaps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from policykb import yamlio
from policykb.model import Id
from policykb.validation import Strict, validate

PROFILE_FILE = "checks.yaml"


class Thresholds(Strict):
    source_coverage: float = Field(default=100.0, ge=0, le=100)
    """The share of non-whitespace characters of each text that must be accounted for, in %."""


class KnownGap(Strict):
    """A record allowed to lack an official identifier, and why."""

    record: Id
    reason: str = Field(min_length=1)


class KnownGaps(Strict):
    identifiers: list[KnownGap] = []


class Profile(Strict):
    thresholds: Thresholds = Thresholds()
    severities: dict[str, Literal["error", "warning"]] = {}
    """Override a rule's severity by code (`PK108: error`)."""
    known_gaps: KnownGaps = KnownGaps()


def load_profile(root: Path) -> tuple[Profile, Path]:
    """The profile of the repository at `root` (defaults when there is none)."""
    path = root / PROFILE_FILE
    if not path.is_file():
        return Profile(), path
    return validate(Profile, yamlio.load(path), path), path
