"""The one place YAML is read and turned into text (curated files in `policy/` and `kb/`).

Reading is strict and safe: a syntax error, a duplicate key, an explicit tag (`!!python/object`,
`!foo`), an anchor or an alias (the "billion laughs" bomb), nesting deeper than `MAX_DEPTH` and an
impossible date (`2026-13-45`) are refused with a located `DataError`, and nothing is ever
constructed from a tag. Text is canonical (one form, so a round trip changes no byte) and keeps
comments (round-trip mode). Writing it to disk is `policykb.writing`'s (atomic, checked against
what was read: every `Document` carries the sha256 of the bytes it was read from).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from policykb.problems import DataError, Problem

WIDTH = 4096  # never fold: a folded line ends in a space that editors strip
MAX_DEPTH = 32
"""Curated files nest six levels at most; deeper nesting is refused before it is composed (ruamel's
composer recurses: 1,000 levels took 40 s to fail, 20,000 hung)."""


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


def read_bytes(path: Path) -> bytes:
    """A curated file's bytes; an unreadable one (missing, a folder, no permission) is a located
    `DataError`."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError(Problem(path, None, None, f"cannot read: {error.strerror or error}")) from error


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text; invalid UTF-8 is a located `DataError`, not a traceback."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError(Problem(path, line, None, f"invalid UTF-8 at byte {error.start}")) from error


def read_text(path: Path) -> str:
    """Read a UTF-8 file; invalid UTF-8 is a located `DataError`, not a traceback."""
    return decode(read_bytes(path), path)


def load(path: Path) -> Any:
    """Load one YAML file (round-trip types, so comments survive a later `dump`)."""
    return loads(read_text(path), path)


def loads(text: str, path: Path) -> Any:
    """Load YAML text that came from `path` (used in messages)."""
    yaml = _yaml()
    try:
        _refuse_deep_nesting(text, path)
        if any(marker in text for marker in "&*!"):  # an anchor, alias or tag needs one of them
            _refuse_unsafe_events(yaml, text, path)
        return yaml.load(text)
    except MarkedYAMLError as error:
        raise DataError(_located(error, path)) from error
    except YAMLError as error:
        raise DataError(Problem(path, None, None, str(error).splitlines()[0])) from error


def _refuse_deep_nesting(text: str, path: Path) -> None:
    """Refuse nesting deeper than `MAX_DEPTH`, counted on libyaml's event stream (iterative, so
    it cannot recurse), and only for text that could nest that deep (cheap tests first)."""
    indented = re.search(r"^ {%d}" % (2 * MAX_DEPTH), text, re.MULTILINE) is not None
    if not indented and text.count("[") + text.count("{") + text.count("- ") < MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark is not None else None
                    raise DataError(
                        Problem(
                            path,
                            line,
                            None,
                            f"nested deeper than {MAX_DEPTH} levels: curated data never nests that deep",
                        )
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # libyaml's own limit, met while it scans ahead
            line = error.problem_mark.line + 1 if error.problem_mark is not None else None
            raise DataError(
                Problem(path, line, None, f"nested deeper than {MAX_DEPTH} levels: curated data never nests that deep")
            ) from None
        return  # a syntax error: the reader that follows says what and where


class _BadValue(yaml.constructor.ConstructorError):
    """A value of the right shape that cannot be (an impossible date): reported, not re-read."""


def _bad_date(value: str, error: ValueError) -> str:
    return f"'{value}' is not a date that exists ({error}); write it as YYYY-MM-DD"


def _construct_rt_timestamp(constructor: Any, node: Any, values: Any = None) -> Any:
    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node, values)
    except ValueError as error:
        raise ConstructorError(None, None, _bad_date(node.value, error), node.start_mark) from error


RoundTripConstructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_rt_timestamp)


class _FastLoader(yaml.CSafeLoader):
    """libyaml's parser with the YAML 1.2 core schema for booleans, integers and floats (as
    ruamel.yaml reads them), refusing duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        if len(keys) != len(set(map(repr, keys))):
            raise yaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise _BadValue(None, None, _bad_date(node.value, error), node.start_mark) from error

    def construct_yaml_int(self, node: Any) -> int:
        """Decimal unless prefixed (`0o`, `0x`), underscores allowed: as ruamel.yaml reads them."""
        value = str(self.construct_scalar(node)).replace("_", "")
        return int(value, 0) if value.lstrip("+-").startswith(("0o", "0x")) else int(value, 10)


def _core_schema() -> None:
    resolvers = {
        key: [
            item
            for item in value
            if item[0] not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        for key, value in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }
    _FastLoader.yaml_implicit_resolvers = resolvers
    _FastLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    _FastLoader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$"), list("-+0123456789")
    )
    _FastLoader.add_constructor("tag:yaml.org,2002:int", _FastLoader.construct_yaml_int)
    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _FastLoader.construct_yaml_timestamp)
    _FastLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    )


_core_schema()


class Document:
    """A YAML file's data, read fast (libyaml); its round-trip form (comments, line numbers) is
    read only when asked for (`rt`, `line_of`), which is when something is wrong or written back."""

    def __init__(self, path: Path, data: Any, rt: Any = None, digest: str | None = None) -> None:
        self.path, self.data, self._rt = path, data, rt
        self.digest = digest
        """The sha256 of the bytes it was read from (a writer checks the file is still so)."""

    @property
    def rt(self) -> Any:
        if self._rt is None:
            self._rt = load(self.path)
        return self._rt


def read(path: Path, data: bytes | None = None) -> Document:
    """Load `path` (whose bytes are `data` when already read) for reading only. Plain data from
    libyaml when the file is plain YAML; a file with a possible anchor, alias or tag, or anything
    libyaml refuses, takes the strict round-trip path, which reports the problem with its line
    (`DataError`)."""
    data = read_bytes(path) if data is None else data
    text, digest = decode(data, path), hashlib.sha256(data).hexdigest()
    _refuse_deep_nesting(text, path)
    if not any(marker in text for marker in "&*!"):
        try:
            return Document(path, yaml.load(text, Loader=_FastLoader), digest=digest)  # noqa: S506 - a safe loader
        except _BadValue as error:
            line = error.problem_mark.line + 1 if error.problem_mark is not None else None
            raise DataError(Problem(path, line, None, error.problem or "invalid value")) from error
        except yaml.YAMLError:
            pass  # the strict path says what is wrong, and where
    rt = loads(text, path)
    return Document(path, plain_data(rt), rt, digest)


def plain_data(value: Any) -> Any:
    """Round-trip YAML containers as plain dicts and lists (pydantic's strict mode wants them)."""
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    return value


# --- editing the round-trip form (what parse and link change in curated files) ---------------------

Map = CommentedMap
"""A YAML mapping in its round-trip form: key order and comments kept (`Document.rt`)."""
Seq = CommentedSeq
"""A YAML sequence in its round-trip form."""


def mapping(*pairs: tuple[str, Any], flow: bool = False, **fields: Any) -> Map:
    """A new mapping of `pairs` then `fields`, in that order (`flow`: written on one line)."""
    node = CommentedMap([*pairs, *fields.items()])
    if flow:
        node.fa.set_flow_style()
    return node


def sequence(items: Any, flow: bool = False) -> Seq:
    """A new sequence of `items` (`flow`: written on one line)."""
    node = CommentedSeq(items)
    if flow:
        node.fa.set_flow_style()
    return node


def round_trip(value: Any) -> Any:
    """Plain data as round-trip containers (no comments, no lines), to be edited like a file's."""
    if isinstance(value, dict):
        return CommentedMap((key, round_trip(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(round_trip(item) for item in value)
    return value


def set_key(node: Map, key: str, value: Any, after: str | None = None) -> None:
    """Set `key`, keeping its place (and its comments) where it exists, else inserting it after
    `after` (at the end when `after` is missing). A mapping set over a mapping keeps the old one's
    place and comments too: its keys are updated, not the node replaced."""
    if key in node:
        if isinstance(node[key], CommentedMap) and isinstance(value, dict):
            for sub_key in [sub_key for sub_key in node[key] if sub_key not in value]:
                del node[key][sub_key]
            for sub_key, sub_value in value.items():
                node[key][sub_key] = sub_value
        elif node[key] != value:
            node[key] = value
        return
    keys = list(node)
    node.insert(keys.index(after) + 1 if after in keys else len(keys), key, value)


def insert_before(node: Map, key: str, value: Any, following: tuple[str, ...]) -> None:
    """Set `key` where it is, or insert it before the first of the `following` keys present."""
    if key in node:
        node[key] = value
        return
    before = [index for index, existing in enumerate(node) if existing in following]
    node.insert(before[0] if before else len(node), key, value)


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


def iter_yaml_files(folder: Path) -> Iterator[Path]:
    """Every `*.yaml` below `folder`, sorted, skipping hidden and `_`-prefixed entries (templates)."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.yaml")):
        relative = path.relative_to(folder).parts
        if any(part.startswith((".", "_")) for part in relative):
            continue
        yield path
