"""Where things live in a policykb repository (or any `--root` laid out the same way).

Every stage asks this module for its paths, so tests, fixtures and benchmarks can point a whole
run at another folder with `--root`. It also knows the layout well enough to say what policykb
does *not* read (`unread`): a measure saved as `.yml`, a renamed agreement folder, a stray file
in `kb/` would otherwise be skipped without a word. Reads folder listings only; writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policykb.model import ID_PATTERN
from policykb.problems import DataError, Problem
from policykb.resources import QUERIES
from policykb.vocab import Vocabulary, load_vocabulary, vocabulary_folder

_ID = re.compile(ID_PATTERN)

AGREEMENT_FILES = frozenset(
    {"agreement.yaml", "structure.yaml", "text.txt", "mentions.yaml", "source.txt", "source.pdf"}
)
"""The files of an agreement folder (besides `measures/`)."""


@dataclass(frozen=True)
class Repo:
    """A repository root: `policy/`, `kb/`, `schema/`, `build/` below it."""

    root: Path

    @classmethod
    def open(cls, root: Path) -> Repo:
        """The repository at `root`; a folder that is not one (no `policy/` or `kb/` in it, or no
        folder at all) is refused, so a command never "passes" on nothing."""
        root = root.resolve()
        if not root.is_dir():
            raise DataError(
                Problem(root, None, None, "no such folder: give --root the folder that holds policy/ and kb/")
            )
        if not (root / "policy").is_dir() and not (root / "kb").is_dir():
            raise DataError(
                Problem(
                    root,
                    None,
                    None,
                    "not a policykb repository (it has no policy/ or kb/ folder): "
                    "give --root the folder that holds them, or create policy/ there to start one",
                )
            )
        return cls(root)

    @property
    def policy(self) -> Path:
        return self.root / "policy"

    @property
    def kb(self) -> Path:
        return self.root / "kb"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def schema(self) -> Path:
        """The vocabulary folder: the repository's own `schema/`, else policykb's."""
        return vocabulary_folder(self.root)

    @property
    def vocabulary(self) -> Vocabulary:
        return load_vocabulary(self.schema)

    @property
    def queries(self) -> Path:
        """The SPARQL folder (`checks/`, `examples/`): the repository's own, else policykb's."""
        own = self.root / "queries"
        return own if own.is_dir() else QUERIES

    def agreement_dir(self, agreement_id: str) -> Path:
        """The folder of one agreement; an id that could escape `policy/` is refused."""
        if not _ID.match(agreement_id):
            raise DataError(
                Problem(
                    "--agreement",
                    None,
                    None,
                    f"'{agreement_id}' is not a valid id (lowercase letters, digits and '-', 2-64 characters)",
                )
            )
        return self.policy / agreement_id

    def agreement_ids(self) -> list[str]:
        """Every agreement folder that holds an `agreement.yaml`, sorted."""
        if not self.policy.is_dir():
            return []
        return sorted(path.parent.name for path in self.policy.glob("*/agreement.yaml") if _ID.match(path.parent.name))

    def relative(self, path: Path | str) -> str:
        """`path` as the curator knows it: relative to the root where it lies below it."""
        if isinstance(path, Path) and path.is_absolute() and path.is_relative_to(self.root):
            return str(path.relative_to(self.root))
        return str(path)


def default_root() -> Path:
    """The repository this checkout is in (the folder holding `pyproject.toml`), else the cwd."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "policy").is_dir():
            return folder
    return here


def ignored(name: str) -> bool:
    """Entries no stage reads and none reports: hidden files (`.gitkeep`, editor swap files),
    `_`-prefixed ones (`kb/_templates/`) and READMEs."""
    return name.startswith((".", "_")) or name.upper().startswith("README")


def unread(repo: Repo) -> list[Problem]:
    """Every entry of `policy/` and `kb/` that policykb would skip, each with what to do about it."""
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        problems.append(Problem(path, None, None, f"not read: {message}"))

    if repo.policy.is_dir():
        for entry in sorted(repo.policy.iterdir()):
            if ignored(entry.name):
                continue
            if not entry.is_dir():
                report(entry, "policy/ holds one folder per agreement; move this file out")
            elif not _ID.match(entry.name):
                report(
                    entry,
                    f"'{entry.name}' is not a valid agreement id (lowercase letters, digits and '-'): "
                    "rename the folder",
                )
            elif not (entry / "agreement.yaml").is_file():
                report(
                    entry,
                    "an agreement folder needs its agreement.yaml (parse creates it: `policykb "
                    "parse SOURCE --agreement ID`)",
                )
            else:
                _unread_agreement(entry, report)  # its measures/ folder: `load.read_measures`
    if repo.kb.is_dir():
        folders = set(repo.vocabulary.folders)
        for entry in sorted(repo.kb.iterdir()):
            if ignored(entry.name):
                continue
            if not entry.is_dir() or entry.name not in folders:
                report(entry, f"kb/ holds only the folders {', '.join(sorted(folders))}")
                continue
            for path in sorted(entry.rglob("*")):
                if any(ignored(part) for part in path.relative_to(entry).parts) or path.is_dir():
                    continue
                if path.suffix != ".yaml":
                    report(path, _rename_hint(path, "a kb record"))
    return problems


def _unread_agreement(folder: Path, report: Callable[[Path, str], None]) -> None:
    for entry in sorted(folder.iterdir()):
        if ignored(entry.name) or entry.name in AGREEMENT_FILES or (entry.name == "measures" and entry.is_dir()):
            continue
        report(entry, f"an agreement folder holds {', '.join(sorted(AGREEMENT_FILES))} and measures/")


def unread_measures(folder: Path) -> list[Problem]:
    """Entries of a `measures/` folder that are not measure files (`ID.yaml`)."""
    problems = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if ignored(path.name):
            continue
        if path.is_dir():
            problems.append(Problem(path, None, None, "not read: measures/ holds measure files only, no folders"))
        elif path.suffix != ".yaml":
            problems.append(Problem(path, None, None, f"not read: {_rename_hint(path, 'a measure')}"))
    return problems


def _rename_hint(path: Path, what: str) -> str:
    if path.suffix.lower() in (".yml", ".yaml"):
        return f"{what} file must end in '.yaml' (rename it to {path.stem}.yaml)"
    return "only '.yaml' files are read here; move this file out"
