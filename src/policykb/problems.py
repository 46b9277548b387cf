"""Located problems: every stage reports bad input as `file:line: field: message`.

Validation collects every problem it finds before it fails, so a curator sees all of them at
once; `DataError` carries the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: Path | str
    line: int | None
    field: str | None
    message: str
    code: str = "PK100"
    """The `policykb check` rule it breaks (PK100: the file loads and validates)."""

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DataError(Exception):
    """Input that cannot be used; carries every problem found, each located."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
