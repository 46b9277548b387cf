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
        return self.shown()

    def shown(self, root: Path | None = None) -> str:
        """`file:line: field: message`, the file relative to `root` where it lies below it."""
        file = self.file
        if root is not None and isinstance(file, Path) and file.is_absolute() and file != root and file.is_relative_to(root):
            file = file.relative_to(root)
        where = str(file) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def os_problem(error: OSError) -> Problem:
    """An operating-system error (disk full, read-only, no permission, a file where a folder
    belongs) as one located problem."""
    file = Path(error.filename) if isinstance(error.filename, (str, Path)) else "policykb"
    reason = error.strerror or str(error)
    if isinstance(error.filename2, (str, Path)):
        reason += f" (to {error.filename2})"
    return Problem(file, None, None, reason)


class DataError(Exception):
    """Input that cannot be used; carries every problem found, each located."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
