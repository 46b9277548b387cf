"""What loading made of each curated file, kept for the next load of the same bytes (issue 16,
lever 5: a content hash per input file).

A curated file is read by libyaml and validated by pydantic (3 s of every command at 5,000
measures); a file whose bytes are unchanged gives the same data and the same validated object.
`build/cache/load-<setting>.pickle` maps each file's kind and sha256 to both. The setting is the
digest of what validation depends on besides the file: policykb's code, the vocabulary folder and
the versions of Python, pydantic, PyYAML, ruamel.yaml and spaCy (its stop words); a cache of
another setting is never read (its name differs) and is removed when the new one is written. It
is written only into a build folder policykb has made (marked `.policykb-output`), never where no
output was asked for. Only files that loaded without a problem are kept, so every problem is
found and located as before; the checks across files (ids, sections, quotes, references) run on
every load. Reads `build/cache/`; `save` writes it, atomically, and a build folder that cannot be
written is no error (the load just is not kept).

A pickle runs code when read, and a build folder can come with a repository (a file added to a
pull request): each cache is signed (HMAC-SHA256) with a key of this user's own, outside any
repository (`$XDG_CACHE_HOME/policykb/cache-key`, made on first use, readable by the user only),
and a cache whose signature does not verify is never unpickled. Without a key (no writable cache
home) nothing is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from policykb.writing import OUTPUT_MARKER, write_bytes_atomic

PACKAGE = Path(__file__).resolve().parent
DISTRIBUTIONS = ("pydantic", "pydantic-core", "pyyaml", "ruamel.yaml", "spacy")
"""The packages whose code reads or validates a curated file."""
TAG = 32
"""The length of a cache's signature (HMAC-SHA256), before its pickle."""


def setting_of(vocabulary_folder: Path) -> str:
    """The digest of the code and vocabulary that validation depends on."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for name in DISTRIBUTIONS:
        digest.update(f"\n{name}={version(name)}".encode())
    for folder in (PACKAGE, vocabulary_folder):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".ttl", ".json"):
                digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def signing_key() -> bytes | None:
    """This user's key for signing caches, made on first use; None where it cannot be had."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policykb"
    path = home / "cache-key"
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(secrets.token_bytes(32))
        key = path.read_bytes()
    except (OSError, RuntimeError):  # no home, or none that can be written
        return None
    return key if len(key) == 32 else None


class LoadCache:
    """The previous load's files of one repository, and this load's."""

    def __init__(self, folder: Path, setting: str) -> None:
        self.folder = folder
        self.path = folder / f"load-{setting}.pickle"
        self.key = signing_key()
        self.previous: dict[tuple[str, str], Any] = {}
        self.current: dict[tuple[str, str], Any] = {}
        if self.key is None:
            return
        try:
            data = self.path.read_bytes()
            tag, payload = data[:TAG], data[TAG:]
            if hmac.compare_digest(tag, hmac.new(self.key, payload, hashlib.sha256).digest()):
                stored = pickle.loads(payload)  # noqa: S301 - signed with this user's own key
                if isinstance(stored, dict):
                    self.previous = stored
        except Exception:  # noqa: BLE001 - no cache, or one that cannot be read: load as without
            self.previous = {}

    def get(self, kind: str, digest: str) -> tuple[Any, Any] | None:
        """The data and the validated object of a file of `kind` with this sha256, or None."""
        found = self.previous.get((kind, digest))
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        self.current[(kind, digest)] = found
        return found

    def put(self, kind: str, digest: str, value: tuple[Any, Any]) -> None:
        self.current[(kind, digest)] = value

    def save(self) -> None:
        """Keep this load's files (only those: a removed file's entry goes), unless nothing changed."""
        if self.key is None or (self.current.keys() == self.previous.keys() and self.path.is_file()):
            return
        if not (self.folder.parent / OUTPUT_MARKER).is_file():
            return  # only into a build folder policykb has made: nothing is written where not asked
        try:
            payload = pickle.dumps(self.current, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(exist_ok=True)
            write_bytes_atomic(self.path, hmac.new(self.key, payload, hashlib.sha256).digest() + payload)
            for other in self.folder.glob("load-*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001 - a folder that cannot be written, a value that cannot be kept
            pass  # the next load reads the files again
