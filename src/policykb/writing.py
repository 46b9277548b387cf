"""Writing without losing anything: one writer per repository, no lost edit, no half-written file,
and output folders that are the build's own.

- `repository_lock(root, command)`: every writing command holds an exclusive lock on
  `ROOT/.policykb.lock` for its whole run (`flock`: the kernel releases it when the process ends,
  however it ends, so a lock is never stale). A second writer is refused at once with a message
  naming the holder (`Busy`).
- `Changes`: the files a command would write, each with the sha256 it had when the command read
  it. `apply` refuses with a located conflict, writing nothing, when any of them changed on disk
  since (a curator saved it in an editor while the command ran); otherwise every file is written
  to a temporary beside its target first, and only then are all renamed into place.
- `clean_temporaries(repo)`: temporaries that an interrupted run (a kill, a power cut) left
  behind; safe because it runs under the lock, when no other run can be writing.
- `claim_output(repo, folder, purpose)`: a folder policykb may write one kind of build output
  into (MkDocs empties its site folder): never the root, a folder holding the root, a folder of
  the repository other than `build/`, or a folder holding another kind of output; an existing
  folder only when empty, marked by an earlier build of the same output (`.policykb-output`,
  which every output folder gets, names it) or the repository's own folder for it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from policykb.problems import DataError, Problem
from policykb.repo import Repo

LOCK_FILE = ".policykb.lock"
TEMPORARY_SUFFIX = ".policykb-tmp"
STAGING_SUFFIX = ".policykb-staging"
OUTPUT_MARKER = ".policykb-output"
_MARKER_TEXT = (
    "policykb output: {purpose}\nThis folder is build output of policykb: a build may empty it and write it anew.\n"
)


class Busy(Exception):
    """Another policykb command holds the repository lock."""


# --- the lock ------------------------------------------------------------------------------------


@contextmanager
def repository_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the repository's writer lock for the `with` block; raise `Busy` when it is taken."""
    path = root / LOCK_FILE
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 4096, 0).decode("utf-8", "replace").strip()
            raise Busy(
                f"{holder or 'another policykb command'} is writing this repository ({path}): "
                "wait until it has finished, then run the command again"
            ) from None
        since = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(handle, 0)
        os.pwrite(
            handle, f"`policykb {command}` (process {os.getpid()} on {socket.gethostname()}, since {since})".encode(), 0
        )
        yield
    finally:
        os.close(handle)  # releases the lock


# --- files written together, each checked against what was read ---------------------------------


def digest(path: Path) -> str | None:
    """The sha256 of a file's bytes, or None when there is no file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class Changes:
    """Files to write: the content each should have, and the sha256 each had when it was read
    (None: it did not exist). `read` must name every file in `files`."""

    files: dict[Path, bytes] = field(default_factory=dict)
    read: dict[Path, str | None] = field(default_factory=dict)

    def put(self, path: Path, content: bytes, read: str | None) -> None:
        self.files[path] = content
        self.read[path] = read

    def changes(self) -> list[Path]:
        """The files whose content differs from what is on disk (or that do not exist yet)."""
        return sorted(
            path for path, content in self.files.items() if not path.is_file() or path.read_bytes() != content
        )

    def conflicts(self, paths: list[Path]) -> list[Problem]:
        """A problem for each of `paths` that is no longer as it was read."""
        return [
            Problem(
                path,
                None,
                None,
                "changed on disk since policykb read it (saved in an editor while the command ran?): "
                "nothing was written; run the command again",
            )
            for path in paths
            if digest(path) != self.read[path]
        ]

    def apply(self) -> list[Path]:
        """Write every changed file; refuse (`DataError`, nothing written) when one changed since
        it was read. Returns the files written."""
        changed = self.changes()
        problems = self.conflicts(changed)
        if problems:
            raise DataError(problems)
        staged: list[tuple[Path, Path]] = []
        try:
            for path in changed:
                staged.append((write_temporary(path, self.files[path]), path))
            problems = self.conflicts(changed)  # once more, right before the renames
            if problems:
                raise DataError(problems)
        except BaseException:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise
        for temporary, path in staged:
            os.replace(temporary, path)
        return changed


def write_temporary(path: Path, content: bytes) -> Path:
    """Write `content` to a temporary file beside `path` (same folder, same mode as `path` or the
    usual one) and return it; the caller renames it over `path` (`os.replace`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):  # name the file being written, not its temporary
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    return Path(temporary)


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write `content` to `path` via a temporary file in the same folder and a rename; the file
    keeps its mode, a new one gets the usual mode (0666 less the umask), not mkstemp's 0600."""
    os.replace(write_temporary(path, content), path)


def staging_folder(folder: Path) -> Path:
    """A new, empty folder beside `folder` to build it in before one rename puts it in place;
    with the usual mode (0777 less the umask), not mkdtemp's 0700."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=STAGING_SUFFIX, dir=folder.parent))
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def clean_temporaries(repo: Repo) -> list[Path]:
    """Remove what an interrupted run left behind in `policy/`, `kb/`, `schema/` and `build/`
    (call it holding the lock). Returns what was removed."""
    removed = []
    for top in (repo.policy, repo.kb, repo.root / "schema", repo.build):
        if not top.is_dir():
            continue
        for folder, subfolders, files in os.walk(top):
            here = Path(folder)
            if here == repo.build:
                subfolders[:] = [name for name in subfolders if name != "site"]  # MkDocs' own
            for name in [name for name in subfolders if name.endswith(STAGING_SUFFIX)]:
                shutil.rmtree(here / name, ignore_errors=True)
                subfolders.remove(name)
                removed.append(here / name)
            for name in files:
                if name.endswith(TEMPORARY_SUFFIX):
                    (here / name).unlink(missing_ok=True)
                    removed.append(here / name)
    return removed


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- output folders ------------------------------------------------------------------------------


Purpose = Literal["compile", "reports", "site"]
"""What an output folder holds: MkDocs empties a site's folder, so a folder is only ever used for
the output it was first made for."""


def default_output(repo: Repo, purpose: Purpose) -> Path:
    """The repository's own folder for an output: `build/`, `build/reports/`, `build/site/`."""
    return {"compile": repo.build, "reports": repo.build / "reports", "site": repo.build / "site"}[purpose]


def claim_output(repo: Repo, folder: Path | None, purpose: Purpose) -> Path:
    """`folder` (default: the repository's own for `purpose`), resolved, created and marked, when
    policykb may write that output into it; a located `DataError` saying why not otherwise."""
    default = default_output(repo, purpose).resolve()
    folder = (folder or default).resolve()
    root = repo.root

    def refuse(message: str) -> DataError:
        return DataError(Problem(folder, None, None, f"refusing to write output here: {message}"))

    if folder == root or root.is_relative_to(folder):
        raise refuse("it is the repository root or holds it; write into build/ or a folder of its own")
    if folder.is_relative_to(root):
        top = root / folder.relative_to(root).parts[0]
        if top != repo.build and top.exists() and _purpose_of(top) is None:
            raise refuse(
                f"it lies inside {top.name}/, a folder of the repository; write into build/ or a folder of its own"
            )
    if folder.exists() and not folder.is_dir():
        raise refuse("it is a file, not a folder")
    for inner in (repo.policy, repo.kb):
        if inner.is_relative_to(folder):
            raise refuse(f"it holds {inner.name}/, curated data")
    marked = _purpose_of(folder)
    if marked == "unknown":  # an older marker that names no output: what the repository's folders are for
        others: list[Purpose] = [other for other in ("compile", "reports", "site") if other != purpose]
        marked = next((o for o in others if default_output(repo, o).resolve() == folder), purpose)
    if marked is not None and marked != purpose:
        raise refuse(
            f"it holds policykb's {marked} output ({OUTPUT_MARKER}); choose a folder of its own for the {purpose}"
        )
    if (
        folder.is_dir()
        and marked is None
        and folder != default
        and any(not name.startswith(".") for name in os.listdir(folder))
    ):
        raise refuse(
            f"it holds files policykb did not make (no {OUTPUT_MARKER} in it); choose an empty or a new folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    if _purpose_of(folder) != purpose:
        write_bytes_atomic(folder / OUTPUT_MARKER, _MARKER_TEXT.format(purpose=purpose).encode("utf-8"))
    return folder


def _purpose_of(folder: Path) -> str | None:
    """The output a folder's marker says it holds (an older marker that says none: unknown)."""
    try:
        first = (folder / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return None
    match = re.match(r"^policykb output: (\w+)$", first)
    return match.group(1) if match else "unknown"
