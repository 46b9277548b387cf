"""Validation of YAML data against strict models, every error a located problem.

`Strict` is the base of every model of a file policykb reads (curated data, the check profile,
the vocabulary): unknown fields are errors and values are not coerced. `validate` turns pydantic's
errors into `Problem`s with the file, line and field (`file:line: field: message`). Reads and
writes nothing; the vocabulary a model checks its terms against travels in the validation
context (`context={"vocabulary": …}`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from policykb.problems import Concern, DataError, Problem
from policykb.yamlio import Document, line_of, plain_data

IDENTIFIER_ERROR = "identifier"
"""The error type of a model's identifier rules (`PydanticCustomError(IDENTIFIER_ERROR, …)`):
their problems concern identifiers (check rule PK109), the rest the file (PK100)."""


class Strict(BaseModel):
    """Base of every model of a file: unknown fields are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(model: type[ModelT], raw: Any, path: Path, context: dict[str, Any] | None = None) -> ModelT:
    """Validate loaded YAML (data, or a `yamlio.Document`) against `model`; every error becomes a
    located problem."""
    document, raw = (raw, raw.data) if isinstance(raw, Document) else (raw, raw)
    if not isinstance(raw, dict):
        found = "an empty file" if raw is None else f"a {type(raw).__name__}"
        raise DataError(Problem(path, 1, None, f"expected a mapping of fields, found {found}"))
    try:
        return model.model_validate(plain_data(raw), context=context)
    except ValidationError as error:
        problems = []
        for item in _union_errors_pruned(error.errors()):
            location = [part for part in item["loc"] if not _union_branch(part)]
            message = item["msg"].removeprefix("Value error, ")
            nested = re.match(r"^([a-z_][\w-]*(?:\.[\w-]+)+): (.+)$", message)
            if nested:  # a record-level rule names the field it is about: `identifiers.celex: …`
                location += [int(part) if part.isdigit() else part for part in nested.group(1).split(".")]
                message = nested.group(2)
            field = ".".join(str(part) for part in location) or None
            if item["type"] == "extra_forbidden":
                message = "unknown field"
            concern: Concern = "identifier" if item["type"] == IDENTIFIER_ERROR else "file"
            problems.append(Problem(path, line_of(document, *location), field, message, concern))
        raise DataError(problems) from error


def _union_branch(part: object) -> bool:
    """A part of pydantic's error location that names a branch of a union or a validator
    (`Alias`, `str`, `function-after[…]`), not a field."""
    return isinstance(part, str) and (
        part.startswith(("function-", "literal[")) or part in ("str", "int", "float", "bool") or part in _model_names()
    )


def _model_names() -> set[str]:
    names, todo = set(), [Strict]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _union_errors_pruned(errors: list[Any]) -> list[Any]:
    """For a value a union accepts in several forms (an alias as a string or as a mapping), only
    what is wrong with it in the form it was given: "should be a valid dictionary" from the other
    branch is noise."""

    def item(error: Any) -> tuple[Any, ...]:
        loc = error["loc"]
        cut = next((index for index, part in enumerate(loc) if _union_branch(part)), len(loc))
        return tuple(loc[:cut])

    substantive = {item(error) for error in errors if not error["type"].endswith("_type")}
    return [
        error
        for error in errors
        if not (
            error["type"].endswith("_type") and item(error) in substantive and any(map(_union_branch, error["loc"]))
        )
    ]
