"""The vocabulary: every fact the code knows about kinds of records, relations, identifier schemes,
stages, statuses and kinds of evidence, read from one YAML file per family into strict models.

Reads `kinds.yaml`, `relations.yaml` (measure links), `record-relations.yaml` (between kb
records), `identifiers.yaml`, `stages.yaml`, `statuses.yaml` and `evidence.yaml` from a vocabulary folder: the
repository's own `schema/` when it has one, else the one shipped with policykb. Writes nothing.
A missing label, an unknown field, a parent relation or an adopted stage that does not exist is a
located problem when the vocabulary is loaded, not a failure when the site is built. Every stage
(the models' validation, compile, check, link, the site) asks this module; adding a kind or an
identifier scheme is one entry in one file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, RootModel

from policykb import yamlio
from policykb.problems import DataError, Problem
from policykb.resources import VOCABULARY
from policykb.validation import Strict, validate

PACKAGE_SCHEMA = VOCABULARY
"""The vocabulary shipped with policykb."""

Name = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
Curie = Annotated[str, Field(pattern=r"^[a-z][a-z-]*:[A-Za-z_][A-Za-z0-9_]*$")]
Label = Annotated[str, Field(min_length=1)]
TargetClass = Literal["organisation", "instrument", "document", "theme"]
Jurisdiction = Literal["nl", "eu", "int"]
JURISDICTIONS: dict[str, tuple[str, str]] = {
    "nl": ("Nederland", "the Netherlands"),
    "eu": ("Europese Unie", "European Union"),
    "int": ("internationaal", "international"),
}
"""Where an instrument's law comes from (a kind's `jurisdiction`): the concepts of the graph's
`jurisdiction` scheme, with their Dutch and English labels."""


class Kind(Strict):
    """A kind of kb record (`schema/kinds.yaml` explains each field)."""

    folder: Name
    target_class: TargetClass = Field(alias="class")
    rdf: list[Curie] = Field(min_length=1)
    path: Name
    legal: bool = False
    process: bool = False
    official_identifier: bool = False
    adopted: list[Name] = []
    jurisdiction: Jurisdiction | None = None
    nl: Label
    en: Label

    @property
    def titled(self) -> bool:
        """Named with `dcterms:title` in the graph (instruments, documents), not only a label."""
        return self.target_class in ("instrument", "document")


class LinkRelation(Strict):
    """A relation a measure link has to a kb record (`schema/relations.yaml`)."""

    nl: Label
    parent: Name | None
    target: TargetClass
    definition: Label

    def property_name(self, name: str) -> str:
        """The RDF property of relation `name`: the name in camelCase (`depends-on`: `dependsOn`)."""
        head, *rest = name.split("-")
        return head + "".join(part.capitalize() for part in rest)


class RecordRelation(Strict):
    """A relation between two kb records (`schema/record-relations.yaml`)."""

    rdf: Curie
    draft: Curie | None = None
    """On a bill or EU procedure, the relation is its draft's, as this property (amends: what the
    draft foresees changing); a target that is itself a process is then its draft too."""
    nl: Label
    en: Label


class Scheme(Strict):
    """An identifier scheme (`schema/identifiers.yaml` explains each field)."""

    pattern: Label
    label: Label
    nl: Label
    """Its name on the site (`CELEX-nummer`)."""
    examples: list[str] = Field(min_length=1)
    official: bool = False
    lookup: str | None = None
    local_id: bool = False
    process_id: bool = False
    see_also: str | None = None
    exact_match: str | None = None
    iri_prefix: str | None = None
    concept: bool = False

    def url(self, template: str | None, value: str) -> str | None:
        """`template` filled in for `value` (`{value}`; `{dossier}`: the part before a `-`;
        `{procedure}`: an EU procedure number as the European Parliament writes it in IRIs,
        `2025/0059(COD)` as `2025-0059`)."""
        if not template:
            return None
        procedure = value.split("(")[0].replace("/", "-")
        return template.format(value=value, dossier=value.split("-")[0], procedure=procedure)


class Stage(Strict):
    """A stage in the life of a bill, procedure, act or treaty (`schema/stages.yaml`)."""

    eli_date: Curie | None = None
    en: Label
    nl: Label
    applies_to: list[Name] = Field(min_length=1)
    description: Label | None = None
    fails: bool = False
    """A stage that ends the process without the result (rejected, withdrawn): a condition that
    waits for a later stage of the same bill can then no longer be met."""
    implies: list[Name] = []
    """The stages this one presupposes (`bekendgemaakt` implies `aangenomen-eerste-kamer`)."""


class Status(Strict):
    """A value of a measure's progress (`schema/statuses.yaml`)."""

    nl: Label
    en: Label
    politifact: str | None
    polimetre: str | None
    definition: Label
    definitie: Label
    """The definition in Dutch, as the site shows it."""


class EvidenceType(Strict):
    """A kind of source a status assessment cites (`schema/evidence.yaml`)."""

    nl: Label
    en: Label
    official: bool
    news: bool
    definition: Label


FAMILIES: dict[str, type[Strict]] = {
    "kinds": Kind,
    "relations": LinkRelation,
    "record-relations": RecordRelation,
    "identifiers": Scheme,
    "stages": Stage,
    "statuses": Status,
    "evidence": EvidenceType,
}
"""Each family of the vocabulary: `<family>.yaml` and the model of one of its entries."""


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary folder, loaded and cross-checked."""

    folder: Path
    kinds: dict[str, Kind]
    relations: dict[str, LinkRelation]
    record_relations: dict[str, RecordRelation]
    schemes: dict[str, Scheme]
    stages: dict[str, Stage]
    statuses: dict[str, Status]
    evidence: dict[str, EvidenceType]

    @property
    def folders(self) -> list[str]:
        """The folders of `kb/`, one or more kinds each, in the order of `kinds.yaml`."""
        return list(dict.fromkeys(kind.folder for kind in self.kinds.values()))

    def implied(self, stage: str) -> set[str]:
        """Every stage `stage` presupposes, through `implies`, directly or not."""
        found: set[str] = set()
        todo = list(self.stages[stage].implies) if stage in self.stages else []
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo += self.stages[current].implies if current in self.stages else []
        return found

    def target_class(self, kind: str) -> str:
        return self.kinds[kind].target_class

    def accepts(self, relation: str, kind: str) -> bool:
        """Whether a measure link with `relation` may point at a record of `kind` (a relation to an
        instrument may also point at a document: an advice, a report)."""
        wanted, found = self.relations[relation].target, self.target_class(kind)
        return found == wanted or (wanted == "instrument" and found == "document")

    def suggested_relation(self, kind: str) -> str:
        """The relation the linker proposes for a mention of a record of `kind`: the most general
        one (no parent) that accepts it (`involves` for organisations, `concerns` otherwise)."""
        return next(
            name for name, relation in self.relations.items() if relation.parent is None and self.accepts(name, kind)
        )

    def property_of(self, relation: str) -> str:
        return self.relations[relation].property_name(relation)

    def curies(self) -> list[tuple[str, str, str]]:
        """Every CURIE the vocabulary names, as (file, entry, CURIE), for compile to resolve."""
        found = [("kinds.yaml", name, curie) for name, kind in self.kinds.items() for curie in kind.rdf]
        found += [("record-relations.yaml", name, relation.rdf) for name, relation in self.record_relations.items()]
        found += [("record-relations.yaml", n, r.draft) for n, r in self.record_relations.items() if r.draft]
        found += [("stages.yaml", name, stage.eli_date) for name, stage in self.stages.items() if stage.eli_date]
        return found

    def located(self, file: str, entry: str, message: str) -> Problem:
        """A problem with one entry of one file of this vocabulary, with its line."""
        path = self.folder / file
        return Problem(path, yamlio.line_of(yamlio.read(path), entry), entry, message)


def vocabulary_folder(root: Path | None) -> Path:
    """The vocabulary of the repository at `root`: its own `schema/` when it holds one (all of
    it: a repository extends the vocabulary by copying the folder), else policykb's."""
    own = root / "schema" if root is not None else None
    return own if own is not None and (own / "kinds.yaml").is_file() else PACKAGE_SCHEMA


@functools.cache
def load_vocabulary(folder: Path) -> Vocabulary:
    """The vocabulary in `folder`; raises `DataError` with every problem found, located."""
    families: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for family, model in FAMILIES.items():
        path = folder / f"{family}.yaml"
        try:
            document = yamlio.read(path)
            families[family] = validate(RootModel[dict[Name, model]], document, path).root  # type: ignore[valid-type]
        except DataError as error:
            problems += error.problems
    if problems:
        raise DataError(problems)
    vocabulary = Vocabulary(
        folder,
        families["kinds"],
        families["relations"],
        families["record-relations"],
        families["identifiers"],
        families["stages"],
        families["statuses"],
        families["evidence"],
    )
    problems = _cross_checked(vocabulary)
    if problems:
        raise DataError(problems)
    return vocabulary


def _cross_checked(vocabulary: Vocabulary) -> list[Problem]:
    """What one family says of another: parents, adopted stages and patterns that exist."""
    problems = []
    for name, relation in vocabulary.relations.items():
        if relation.parent is not None and relation.parent not in vocabulary.relations:
            problems.append(vocabulary.located("relations.yaml", name, f"parent '{relation.parent}' is not a relation"))
    for name, kind in vocabulary.kinds.items():
        for stage in kind.adopted:
            if stage not in vocabulary.stages:
                problems.append(
                    vocabulary.located("kinds.yaml", name, f"adopted stage '{stage}' is not in stages.yaml")
                )
    for name, entry in vocabulary.stages.items():
        for implied in entry.implies:
            if implied not in vocabulary.stages:
                problems.append(
                    vocabulary.located("stages.yaml", name, f"implied stage '{implied}' is not in stages.yaml")
                )
        if name in vocabulary.implied(name):
            problems.append(vocabulary.located("stages.yaml", name, "implies itself (a cycle of `implies`)"))
    for name, scheme in vocabulary.schemes.items():
        try:
            re.compile(scheme.pattern)
        except re.error as error:
            problems.append(vocabulary.located("identifiers.yaml", name, f"pattern does not compile: {error}"))
            continue
        for example in scheme.examples:
            if not re.match(scheme.pattern, example):
                problems.append(
                    vocabulary.located("identifiers.yaml", name, f"example '{example}' does not match the pattern")
                )
    for name, kind in vocabulary.kinds.items():
        top = [relation for relation, entry in vocabulary.relations.items() if entry.parent is None]
        if kind.target_class != "theme" and not any(vocabulary.accepts(relation, name) for relation in top):
            problems.append(
                vocabulary.located(
                    "kinds.yaml",
                    name,
                    f"no relation without a parent in relations.yaml points at a {kind.target_class}",
                )
            )
    return problems


def default_vocabulary() -> Vocabulary:
    """policykb's own vocabulary (for data validated outside any repository)."""
    return load_vocabulary(PACKAGE_SCHEMA)


def of(context: dict[str, Any] | None) -> Vocabulary:
    """The vocabulary a validation runs against: the one in its context, else policykb's."""
    vocabulary = (context or {}).get("vocabulary")
    return vocabulary if isinstance(vocabulary, Vocabulary) else default_vocabulary()
