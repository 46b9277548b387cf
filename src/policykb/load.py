"""Load and validate the curated data of a repository into one in-memory model.

Reads `policy/<agreement>/{agreement.yaml,structure.yaml,text.txt,measures/*.yaml}`; collects
every problem (schema, file name == id, unique ids, sections that exist, quotes that match the
text, files policykb would not read, a repository with nothing in it) with its location before it
fails, so a curator sees all of them at once. Writes nothing but its cache of what each file
loaded as (`build/cache/`, `load_cache.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykb import yamlio
from policykb.collector import settle
from policykb.load_cache import LoadCache, setting_of
from policykb.model import Agreement, KbRecord, Link, Measure, Mentions, Structure, fingerprint, sha256_bytes
from policykb.problems import DataError, Problem
from policykb.repo import Repo, unread, unread_measures
from policykb.terminal import steps
from policykb.validation import validate
from policykb.vocab import Vocabulary, default_vocabulary


@dataclass(frozen=True)
class MeasureRecord:
    """A measure with the file it came from (for located messages and for writing it back): the
    one such type, used by load, parse and link alike."""

    path: Path
    measure: Measure
    document: yamlio.Document = field(repr=False, compare=False)
    """The file as read: `document.rt` is its round-trip form (comments, lines), read on demand;
    `document.digest` the sha256 it was read with (a writer checks the file is still so)."""

    @property
    def line_of_condition(self) -> int | None:
        return yamlio.line_of(self.document, "condition")

    @property
    def line_of_status(self) -> int | None:
        return yamlio.line_of(self.document, "status")


def read_measures(
    folder: Path, vocabulary: Vocabulary, cache: LoadCache | None = None
) -> tuple[list[MeasureRecord], list[Problem]]:
    """Every measure file of a `measures/` folder, validated and named after its id, and every
    problem found (a file that does not load, a file name that is not its id, a file that is not
    read at all: a bullet would come back as a new measure)."""
    records: list[MeasureRecord] = []
    problems = unread_measures(folder)
    paths = list(yamlio.iter_yaml_files(folder))
    with steps(f"laden {folder.parent.name}", len(paths)) as advance:  # on a terminal only
        for path in paths:
            advance(path.stem)
            document, measure = _load(Measure, path, problems, vocabulary, cache)
            if measure is None or not _named_after_id(path, document, measure.id, problems):
                continue
            records.append(MeasureRecord(path, measure, document))
    return records, problems


def _named_after_id(path: Path, document: Any, key: str, problems: list[Problem]) -> bool:
    """Whether the file is named after the id it holds; if not, the problem, at the `id` line."""
    if path.stem == key:
        return True
    problems.append(
        Problem(path, yamlio.line_of(document, "id"), "id", f"'{key}' differs from the file name '{path.stem}'")
    )
    return False


@dataclass
class AgreementData:
    """One agreement folder, validated."""

    id: str
    folder: Path
    agreement: Agreement
    structure: Structure
    text: str
    measures: list[MeasureRecord] = field(default_factory=list)
    mentions: Mentions | None = None
    """`mentions.yaml`: the preambles' links (absent before the first `policykb link`)."""
    mentions_raw: Any = field(default=None, repr=False)
    """`mentions.yaml` as a `yamlio.Document`."""


@dataclass(frozen=True)
class KbEntry:
    """A kb record with the file it came from."""

    path: Path
    record: KbRecord


@dataclass
class Model:
    """Everything curated in a repository, and the vocabulary it was validated against."""

    agreements: list[AgreementData]
    kb: dict[str, KbEntry]
    vocabulary: Vocabulary

    def measures(self) -> list[MeasureRecord]:
        return [record for agreement in self.agreements for record in agreement.measures]


def load_model(repo: Repo) -> Model:
    """The validated model; raises `DataError` with every problem found."""
    model, problems = load(repo)
    if problems:
        raise DataError(problems)
    return model


def load(repo: Repo, cached: bool = True) -> tuple[Model, list[Problem]]:
    """The model of every file that loads, and every problem found (never raises for bad data):
    `policykb check` reports the problems and still checks the rest. `cached`: files whose bytes
    were loaded before are taken from `build/cache/` (`load_cache.py`)."""
    try:
        vocabulary = repo.vocabulary
    except DataError as error:  # nothing can be validated against a broken vocabulary
        return Model([], {}, default_vocabulary()), error.problems
    problems: list[Problem] = unread(repo)
    cache = LoadCache(repo.build / "cache", setting_of(vocabulary.folder)) if cached else None
    agreements = []
    for agreement_id in repo.agreement_ids():
        loaded = _load_agreement(repo.policy / agreement_id, problems, vocabulary, cache)
        if loaded is not None:
            agreements.append(loaded)
        settle()  # what was loaded lives on for the run (policykb.collector)
    kb = _load_kb(repo.kb, problems, vocabulary, cache)
    settle()
    if cache is not None:
        cache.save()
    if not agreements and not kb and not problems:
        problems.append(Problem(repo.root, None, None, "nothing here: no agreement in policy/ and no record in kb/"))
    for agreement in agreements:
        for record in agreement.measures:
            for assessment in record.measure.status:
                for evidence in assessment.evidence:
                    if isinstance(evidence, str) and evidence != "agreement" and evidence not in kb:
                        problems.append(
                            Problem(
                                record.path,
                                record.line_of_status,
                                "status.evidence",
                                f"'{evidence}' is not `agreement` or a kb record id",
                                "status",
                            )
                        )
            condition = record.measure.condition
            for index, waits in enumerate(condition.waits_for() if condition else []):
                if waits.bill not in kb or not vocabulary.kinds[kb[waits.bill].record.kind].process:
                    problems.append(
                        Problem(
                            record.path,
                            record.line_of_condition,
                            f"condition.{index}.bill",
                            f"'{waits.bill}' is not a bill or EU procedure in kb/",
                            "status",
                        )
                    )
    for agreement in agreements:
        _check_agreement_links(agreement, kb, problems, vocabulary)
    seen: dict[str, Path] = {key: entry.path for key, entry in kb.items()}
    for agreement in agreements:
        for record in agreement.measures:
            first = seen.setdefault(record.measure.id, record.path)
            if first != record.path:
                problems.append(
                    Problem(record.path, 1, "id", f"'{record.measure.id}' is also the id of {first}", "reference")
                )
    _check_id_prefixes(agreements, problems)
    return Model(agreements, kb, vocabulary), problems


def _check_id_prefixes(agreements: list[AgreementData], problems: list[Problem]) -> None:
    """Each agreement's `id_prefix` is its own, and every measure id of the agreement carries it."""
    owners: dict[str, str] = {}
    for agreement in agreements:
        prefix = agreement.agreement.id_prefix
        if prefix is None:
            continue
        path = agreement.folder / "agreement.yaml"
        if owners.setdefault(prefix, agreement.id) != agreement.id:
            problems.append(
                Problem(
                    path,
                    None,
                    "id_prefix",
                    f"'{prefix}' is also the id prefix of agreement '{owners[prefix]}'",
                    "reference",
                )
            )
        for record in agreement.measures:
            if not record.measure.id.startswith(prefix + "-"):
                problems.append(
                    Problem(
                        record.path,
                        1,
                        "id",
                        f"'{record.measure.id}' does not start with its agreement's id prefix '{prefix}-'",
                        "reference",
                    )
                )


def _load_kb(
    folder: Path, problems: list[Problem], vocabulary: Vocabulary, cache: LoadCache | None = None
) -> dict[str, KbEntry]:
    """Every kb record: valid, in the folder of its kind, named after its id, references resolved,
    and no alias shared by two records unless both mark it ambiguous."""
    entries: dict[str, KbEntry] = {}
    raws = {}
    for path in yamlio.iter_yaml_files(folder):
        raw, record = _load(KbRecord, path, problems, vocabulary, cache)
        if record is None:
            continue
        _named_after_id(path, raw, record.id, problems)
        expected = vocabulary.kinds[record.kind].folder
        if path.parent.name != expected:
            problems.append(
                Problem(path, yamlio.line_of(raw, "kind"), "kind", f"a {record.kind} belongs in kb/{expected}/")
            )
        if record.id in entries:
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, "id"),
                    "id",
                    f"'{record.id}' is also the id of {entries[record.id].path}",
                    "reference",
                )
            )
            continue
        entries[record.id] = KbEntry(path, record)
        raws[record.id] = raw
    for key, entry in entries.items():
        record, raw = entry.record, raws[key]
        references = [("parent", record.parent)] + [(f"parts.{i}", part) for i, part in enumerate(record.parts)]
        references += [(f"relations.{i}.target", relation.target) for i, relation in enumerate(record.relations)]
        for field_name, target in references:
            if target is not None and target not in entries:
                path_keys = [int(part) if part.isdigit() else part for part in field_name.split(".")]
                problems.append(
                    Problem(
                        entry.path,
                        yamlio.line_of(raw, *path_keys),
                        field_name,
                        f"unknown kb id '{target}'",
                        "reference",
                    )
                )
    holders: dict[str, list[tuple[str, bool]]] = {}
    for key, entry in entries.items():
        for alias in entry.record.alias_forms():
            holders.setdefault(alias.text.casefold(), []).append((key, alias.ambiguous))
    for alias_text, holding in holders.items():
        if len({key for key, _ in holding}) > 1 and not all(ambiguous for _, ambiguous in holding):
            for key, ambiguous in holding:
                if not ambiguous:
                    others = ", ".join(sorted({other for other, _ in holding if other != key}))
                    problems.append(
                        Problem(
                            entries[key].path,
                            yamlio.line_of(raws[key], "aliases"),
                            "aliases",
                            f"'{alias_text}' is also an alias of {others}: mark it `ambiguous: true` in every record",
                        )
                    )
    return entries


def _load(model: type, path: Path, problems: list[Problem], vocabulary: Vocabulary, cache: LoadCache | None = None):
    """A curated file as read and validated as `model`; from `cache` when its bytes were loaded
    before (`load_cache.py`)."""
    try:
        data: bytes | None = None
        if cache is not None:
            data = yamlio.read_bytes(path)
            digest = sha256_bytes(data)
            found = cache.get(model.__name__, digest)
            if found is not None:
                return yamlio.Document(path, found[0], digest=digest), found[1]
        raw = yamlio.read(path, data)  # the bytes read once
        value: Any = validate(model, raw, path, {"vocabulary": vocabulary})
        if cache is not None and raw.digest is not None:
            cache.put(model.__name__, raw.digest, (raw.data, value))
        return raw, value
    except DataError as error:
        problems.extend(error.problems)
        return None, None


def _load_agreement(
    folder: Path, problems: list[Problem], vocabulary: Vocabulary, cache: LoadCache | None = None
) -> AgreementData | None:
    _, agreement = _load(Agreement, folder / "agreement.yaml", problems, vocabulary, cache)
    structure_path, text_path = folder / "structure.yaml", folder / "text.txt"
    for required in (structure_path, text_path):
        if not required.is_file():
            problems.append(Problem(required, None, None, "missing: run `policykb parse` for this agreement"))
    if agreement is None or not structure_path.is_file() or not text_path.is_file():
        return None
    if agreement.sha256 is None:
        problems.append(
            Problem(
                folder / "agreement.yaml", None, "sha256", "missing: run `policykb parse` for this agreement", "quote"
            )
        )
    _, structure = _load(Structure, structure_path, problems, vocabulary, cache)
    try:
        text = yamlio.read_text(text_path)
    except DataError as error:
        problems.extend(error.problems)
        return None
    if structure is None:
        return None
    data = AgreementData(folder.name, folder, agreement, structure, text)
    sections = {section.id for section in structure.sections}
    records, measure_problems = read_measures(folder / "measures", vocabulary, cache)
    problems += measure_problems
    for record in records:
        path, raw, measure = record.path, record.document, record.measure
        if measure.lifecycle == "active" and measure.section not in sections:  # a retired one keeps its last section
            problems.append(
                Problem(
                    path, yamlio.line_of(raw, "section"), "section", f"unknown section '{measure.section}'", "reference"
                )
            )
        source = measure.source
        if source is not None and source.fingerprint != fingerprint(measure.text):
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, "source", "fingerprint"),
                    "source.fingerprint",
                    "does not match text (edit the text only through parse)",
                    "quote",
                )
            )
        if source is not None and source.end - source.start != len(measure.text):
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, "source"),
                    "source",
                    f"span length {source.end - source.start} differs from the length of text ({len(measure.text)})",
                    "quote",
                )
            )
        if measure.lifecycle == "active" and source is not None and text[source.start : source.end] != measure.text:
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, "text"),
                    "text",
                    f"differs from text.txt[{source.start}:{source.end}]",
                    "quote",
                )
            )
        if [assessment.date for assessment in measure.status] != sorted(
            assessment.date for assessment in measure.status
        ):
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, "status"),
                    "status",
                    "assessments must be in date order (the last is current)",
                    "status",
                )
            )
        data.measures.append(record)
    mentions_path = folder / "mentions.yaml"
    if mentions_path.is_file():
        raw, mentions = _load(Mentions, mentions_path, problems, vocabulary)
        if mentions is not None and mentions.agreement != folder.name:
            problems.append(
                Problem(
                    mentions_path,
                    yamlio.line_of(raw, "agreement"),
                    "agreement",
                    f"'{mentions.agreement}' differs from the folder '{folder.name}'",
                )
            )
        data.mentions, data.mentions_raw = mentions, raw
    return data


def _check_agreement_links(
    agreement: AgreementData, kb: dict[str, KbEntry], problems: list[Problem], vocabulary: Vocabulary
) -> None:
    """Links and themes point at existing records of the right kind, spans lie inside their text."""
    for record in agreement.measures:
        raw = record.document
        _check_links(record.path, raw, ["links"], record.measure.links, record.measure.text, kb, problems, vocabulary)
        for index, theme in enumerate(record.measure.themes):
            if theme not in kb or vocabulary.target_class(kb[theme].record.kind) != "theme":
                problems.append(
                    Problem(
                        record.path,
                        yamlio.line_of(raw, "themes", index),
                        f"themes.{index}",
                        f"'{theme}' is not a theme in kb/themes/",
                        "reference",
                    )
                )
        lead = record.measure.lead
        if lead is not None and (
            lead.organisation not in kb or vocabulary.target_class(kb[lead.organisation].record.kind) != "organisation"
        ):
            problems.append(
                Problem(
                    record.path,
                    yamlio.line_of(raw, "lead", "organisation"),
                    "lead.organisation",
                    f"'{lead.organisation}' is not an organisation in kb/organisations/",
                    "reference",
                )
            )
    if agreement.mentions is None:
        return
    preambles = {preamble.id: preamble for preamble in agreement.structure.preambles}
    for key, links in agreement.mentions.preambles.items():
        preamble = preambles.get(key)
        text = agreement.text[preamble.start : preamble.end] if preamble else None
        _check_links(
            agreement.folder / "mentions.yaml",
            agreement.mentions_raw,
            ["preambles", key],
            links,
            text,
            kb,
            problems,
            vocabulary,
        )


def _check_links(
    path: Path,
    raw: Any,
    at: list[str | int],
    links: Sequence[Link],
    text: str | None,
    kb: dict[str, KbEntry],
    problems: list[Problem],
    vocabulary: Vocabulary,
) -> None:
    for index, link in enumerate(links):
        where = [*at, index]
        field_name = ".".join(str(part) for part in where)
        if link.target not in kb:
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, *where, "target"),
                    f"{field_name}.target",
                    f"unknown kb id '{link.target}'",
                    "reference",
                )
            )
            continue
        kind = kb[link.target].record.kind
        if not vocabulary.accepts(link.relation, kind):
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, *where, "relation"),
                    f"{field_name}.relation",
                    f"'{link.relation}' cannot point at a {kind} (see schema/relations.yaml)",
                )
            )
        spans = ([link.span] if link.span else []) + list(link.also)
        if text is not None and any(span.end > len(text) for span in spans):
            problems.append(
                Problem(
                    path,
                    yamlio.line_of(raw, *where, "span"),
                    f"{field_name}.span",
                    f"beyond the end of the text ({len(text)} characters)",
                    "quote",
                )
            )
