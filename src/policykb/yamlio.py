"""The one place YAML is read and written (curated files in `policy/` and `kb/`).

Reading is strict and safe: a syntax error, a duplicate key, an explicit tag (`!!python/object`,
`!foo`), an anchor or an alias (the "billion laughs" bomb) is refused with a located
`DataError`, and nothing is ever constructed from a tag. Writing is canonical (one form, so a
round trip changes no byte), keeps comments (round-trip mode), and atomic: a temporary file in
the same folder is renamed over the target, so a crash never leaves a half-written file.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from policykb.problems import DataError, Problem

WIDTH = 4096  # never fold: a folded line ends in a space that editors strip


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.allow_unicode = True
    yaml.preserve_quotes = False
    # `null` spelled out: an empty value reads as a mistake to a curator.
    yaml.representer.add_representer(type(None), _represent_null)
    return yaml


def _represent_null(representer: Any, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _refuse_unsafe_events(yaml: YAML, text: str, path: Path) -> None:
    """Refuse tags, anchors and aliases before anything is constructed.

    Curated data needs none of them; refusing them makes an alias bomb or a code-executing tag
    a located error instead of a hang or a surprise.
    """
    for event in yaml.parse(text):
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise DataError(Problem(path, line, None, f"alias '*{event.anchor}' is not allowed in curated YAML"))
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise DataError(Problem(path, line, None, f"anchor '&{anchor}' is not allowed in curated YAML"))
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag is not None:
            implicit = event.implicit
            explicit = not (implicit[0] if isinstance(implicit, tuple) else implicit)
            if explicit:
                tag = getattr(event.tag, "value", event.tag)
                raise DataError(Problem(path, line, None, f"tag '{tag}' is not allowed in curated YAML"))


def _located(error: MarkedYAMLError, path: Path) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    duplicate = re.search(r'found duplicate key "(.+?)"', error.problem or "")
    if duplicate:
        return Problem(path, line, duplicate.group(1), "duplicate key: a field may be given only once")
    message = " ".join(part for part in (error.context, error.problem) if part)
    return Problem(path, line, None, message or str(error).splitlines()[0])


def read_text(path: Path) -> str:
    """Read a UTF-8 file; invalid UTF-8 is a located `DataError`, not a traceback."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(Problem(path, None, None, f"cannot read: {error.strerror}")) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(Problem(path, line, None, f"invalid UTF-8 at byte {error.start}")) from error


def load(path: Path) -> Any:
    """Load one YAML file (round-trip types, so comments survive a later `dump`)."""
    return loads(read_text(path), path)


def loads(text: str, path: Path) -> Any:
    """Load YAML text that came from `path` (used in messages)."""
    yaml = _yaml()
    try:
        if any(marker in text for marker in "&*!"):  # an anchor, alias or tag needs one of them
            _refuse_unsafe_events(yaml, text, path)
        return yaml.load(text)
    except MarkedYAMLError as error:
        raise DataError(_located(error, path)) from error
    except YAMLError as error:
        raise DataError(Problem(path, None, None, str(error).splitlines()[0])) from error


class _FastLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
    """libyaml's parser with the YAML 1.2 core schema for booleans, integers and floats (as
    ruamel.yaml reads them), refusing duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        if len(keys) != len(set(map(repr, keys))):
            raise yaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: Any) -> int:
        """Decimal unless prefixed (`0o`, `0x`), underscores allowed: as ruamel.yaml reads them."""
        value = str(self.construct_scalar(node)).replace("_", "")
        return int(value, 0) if value.lstrip("+-").startswith(("0o", "0x")) else int(value, 10)


def _core_schema() -> None:
    resolvers = {key: [item for item in value if item[0] not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")] for key, value in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
    _FastLoader.yaml_implicit_resolvers = resolvers
    _FastLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    _FastLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$"), list("-+0123456789"))
    _FastLoader.add_constructor("tag:yaml.org,2002:int", _FastLoader.construct_yaml_int)
    _FastLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+0123456789."),
    )


_core_schema()


class Document:
    """A YAML file's data, read fast (libyaml); its round-trip form (comments, line numbers) is
    read only when asked for (`rt`, `line_of`), which is when something is wrong or written back."""

    def __init__(self, path: Path, data: Any, rt: Any = None) -> None:
        self.path, self.data, self._rt = path, data, rt

    @property
    def rt(self) -> Any:
        if self._rt is None:
            self._rt = load(self.path)
        return self._rt


def read(path: Path) -> Document:
    """Load `path` for reading only. Plain data from libyaml when the file is plain YAML; a file
    with a possible anchor, alias or tag, or anything libyaml refuses, takes the strict round-trip
    path, which reports the problem with its line (`DataError`)."""
    text = read_text(path)
    if not any(marker in text for marker in "&*!"):
        try:
            return Document(path, yaml.load(text, Loader=_FastLoader))  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass  # the strict path says what is wrong, and where
    rt = loads(text, path)
    from policykb.model import plain_data

    return Document(path, plain_data(rt), rt)


def dumps(data: Any) -> str:
    """The canonical text of `data`."""
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def line_of(node: Any, *keys: str | int) -> int | None:
    """The 1-based line of `node[keys[0]][keys[1]]...` in its file, as far as the path resolves
    (a node built in memory has no line: the nearest known one is returned, or None)."""
    if isinstance(node, Document):
        node = node.rt
    line: int | None = None
    for key in keys:
        if isinstance(node, CommentedMap) and key in node:
            position = node.lc.key(key)
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            position = node.lc.item(key)
        else:
            position = None
        if position is None:
            break
        line = position[0] + 1
        node = node[key]
    else:
        return line
    if line is None and isinstance(node, (CommentedMap, CommentedSeq)) and node.lc.line is not None:
        return node.lc.line + 1
    return line


def write_temporary(path: Path, content: bytes) -> Path:
    """Write `content` to a temporary file beside `path` (same folder, same mode as `path` or the
    usual one) and return it; the caller renames it over `path` (`os.replace`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_bytes_atomic(path: Path, content: bytes) -> None:
    """Write `content` to `path` via a temporary file in the same folder and a rename; the file
    keeps its mode, a new one gets the usual mode (0666 less the umask), not mkstemp's 0600."""
    os.replace(write_temporary(path, content), path)


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def iter_yaml_files(folder: Path) -> Iterator[Path]:
    """Every `*.yaml` below `folder`, sorted, skipping hidden and `_`-prefixed entries (templates)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.yaml")):
        relative = path.relative_to(folder).parts
        if any(part.startswith((".", "_")) for part in relative):
            continue
        yield path
