"""Located problems: the one shape of bad input, `file:line: field: message`, for every stage.

A source that cannot be parsed, a curated file that breaks the schema, a query that does not
parse, an operating-system error: each is a `Problem` with its file, line (and column, for a
query), field and message. Validation collects every problem it finds before it fails, so a
curator sees all of them at once; `DataError` carries the list, and every command prints it the
same way (`shown`, paths relative to the repository) and exits 2.

A problem found while loading says what it concerns (`concern`: the file itself, a quote, a
reference, an identifier, a status); the check's rules take the problems of their concern, and
the check runner stamps each problem with the code of the rule that reports it (`code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Concern = Literal["file", "quote", "reference", "identifier", "status"]
"""What a problem found while loading concerns: which of the check's rules reports it."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in one file."""

    file: Path | str
    line: int | None
    field: str | None
    message: str
    concern: Concern = "file"
    column: int | None = None
    code: str | None = None
    """The check rule that reports it, stamped by the check runner (`PK102`)."""

    def __str__(self) -> str:
        return self.shown()

    def where(self, root: Path | None = None) -> str:
        """`file:line:column`, as far as known; the file relative to `root` where it lies below it."""
        file = self.file
        if (
            root is not None
            and isinstance(file, Path)
            and file.is_absolute()
            and file != root
            and file.is_relative_to(root)
        ):
            file = file.relative_to(root)
        return str(file) + "".join(
            f":{part}" for part in (self.line, self.column if self.line is not None else None) if part is not None
        )

    def shown(self, root: Path | None = None) -> str:
        """`file:line: field: message` (with the rule's code before the field, once stamped)."""
        head = " ".join(part for part in (self.code, f"{self.field}:" if self.field else None) if part)
        return f"{self.where(root)}: {head + ' ' if head else ''}{self.message}"


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


def refuse(file: Path | str, message: str, line: int | None = None) -> DataError:
    """The error for one problem with a whole file (or one line of it)."""
    return DataError(Problem(file, line, None, message))
