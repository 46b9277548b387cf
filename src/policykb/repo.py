"""Where things live in a policykb repository (or any `--root` laid out the same way).

Reads nothing by itself; every stage asks this module for its paths, so tests, fixtures and
benchmarks can point a whole run at another folder with `--root`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policykb.model import ID_PATTERN
from policykb.problems import DataError, Problem

_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Repo:
    """A repository root: `policy/`, `kb/`, `schema/`, `build/` below it."""

    root: Path

    @property
    def policy(self) -> Path:
        return self.root / "policy"

    @property
    def kb(self) -> Path:
        return self.root / "kb"

    @property
    def build(self) -> Path:
        return self.root / "build"

    def agreement_dir(self, agreement_id: str) -> Path:
        """The folder of one agreement; an id that could escape `policy/` is refused."""
        if not _ID.match(agreement_id):
            raise DataError(
                Problem("--agreement", None, None, f"'{agreement_id}' is not a valid id (lowercase letters, digits and '-', 2-64 characters)")
            )
        return self.policy / agreement_id

    def agreement_ids(self) -> list[str]:
        """Every agreement folder that holds an `agreement.yaml`, sorted."""
        if not self.policy.is_dir():
            return []
        return sorted(path.parent.name for path in self.policy.glob("*/agreement.yaml") if _ID.match(path.parent.name))


def default_root() -> Path:
    """The repository this checkout is in (the folder holding `pyproject.toml`), else the cwd."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "policy").is_dir():
            return folder
    return here
