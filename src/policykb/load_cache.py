"""What loading made of each curated file, kept for the next load of the same bytes (issue 16,
lever 5: a content hash per input file).

A curated file is read by libyaml and validated by pydantic (3 s of every command at 5,000
measures); a file whose bytes are unchanged gives the same data and the same validated object.
`build/cache/load-<setting>.pickle` maps each file's kind and sha256 to both. The setting is the
digest of what validation depends on besides the file: policykb's code, the vocabulary folder and
the versions of pydantic and PyYAML; a cache of another setting is never read (its name differs)
and is removed when the new one is written. It is written only into a build folder policykb has
made (marked `.policykb-output`), never where no output was asked for. Only files that loaded
without a problem are kept, so every problem is found and located as before; the checks across
files (ids, sections, quotes, references) run on every load. Reads `build/cache/`; `save` writes
it, atomically, and a build folder that cannot be written is no error (the load just is not
kept). The pickles are policykb's own, in the repository's own build folder, trusted as Python
trusts its `__pycache__`.
"""

from __future__ import annotations

import hashlib
import pickle
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policykb.writing import OUTPUT_MARKER, write_bytes_atomic

PACKAGE = Path(__file__).resolve().parent


def setting_of(vocabulary_folder: Path) -> str:
    """The digest of the code and vocabulary that validation depends on."""
    digest = hashlib.sha256()
    for name in ("pydantic", "pydantic-core", "pyyaml"):
        digest.update(f"{name}={version(name)}\n".encode())
    for folder in (PACKAGE, vocabulary_folder):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".ttl", ".json"):
                digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


class LoadCache:
    """The previous load's files of one repository, and this load's."""

    def __init__(self, folder: Path, setting: str) -> None:
        self.folder = folder
        self.path = folder / f"load-{setting}.pickle"
        self.previous: dict[tuple[str, str], Any] = {}
        try:
            with self.path.open("rb") as stream:
                stored = pickle.load(stream)  # noqa: S301 - policykb's own cache in the build folder
            if isinstance(stored, dict):
                self.previous = stored
        except Exception:  # noqa: BLE001 - no cache, or one that cannot be read: load as without
            self.previous = {}
        self.current: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, digest: str) -> Any:
        """What loading made of a file of `kind` with this sha256, or None."""
        found = self.previous.get((kind, digest))
        if found is not None:
            self.current[(kind, digest)] = found
        return found

    def put(self, kind: str, digest: str, value: Any) -> None:
        self.current[(kind, digest)] = value

    def save(self) -> None:
        """Keep this load's files (only those: a removed file's entry goes), unless nothing changed."""
        if self.current.keys() == self.previous.keys() and self.path.is_file():
            return
        if not (self.folder.parent / OUTPUT_MARKER).is_file():
            return  # only into a build folder policykb has made: nothing is written where not asked
        try:
            self.folder.mkdir(exist_ok=True)
            write_bytes_atomic(self.path, pickle.dumps(self.current, protocol=pickle.HIGHEST_PROTOCOL))
            for other in self.folder.glob("load-*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except OSError:
            pass  # a build folder that cannot be written: the next load reads the files again
