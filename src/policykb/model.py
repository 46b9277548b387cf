"""The data model of curated files: what a valid `agreement.yaml`, measure and structure file holds.

Pydantic models, strict: an unknown field, a wrong type or an id that could escape its folder is
refused, and `policykb.validation.validate` turns every error into a located `Problem`
(`file:line: field: message`). Terms (statuses, stages, relations, kinds, identifier schemes) are
checked against the vocabulary in the validation context (`policykb.vocab`). The JSON Schema in
`schema/` is generated from these models (`policykb schema`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from policykb import vocab
from policykb.validation import IDENTIFIER_ERROR, Strict

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
FINGERPRINT_PATTERN = r"^sha256:[0-9a-f]{64}$"

MAX_REMOVED_PERCENT = 5.0
"""By default a parse may take out at most this share of the text as page furniture (page numbers,
running headers and footers): a 50-page Word agreement loses about 1 %. More is refused: a rule
that removes that much is removing content."""

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]
Fingerprint = Annotated[str, Field(pattern=FINGERPRINT_PATTERN)]
IRI_PATTERN = r"^https?://[^\s<>\"{}|\\^`]+$"
r"""An http(s) URL that is also a valid IRI (RFC 3987 allows none of space, <>"{}|\^` in it): every
source becomes an IRI in the graph."""
IRI = re.compile(IRI_PATTERN)
Url = Annotated[str, Field(pattern=IRI_PATTERN)]


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of bytes (the form `agreement.yaml` records)."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(text: str) -> str:
    """The fingerprint of a quote: `sha256:` + the hex sha256 of its UTF-8 bytes."""
    return "sha256:" + sha256_bytes(text.encode("utf-8"))


# --- agreement.yaml ---------------------------------------------------------------------------


class Printed(Strict):
    """Where the agreement itself prints a value: the words as printed, and the page."""

    text: str = Field(min_length=1)
    page: int | None = Field(default=None, ge=1)


class SourcedDate(Strict):
    """A date with the source that states it (a URL, or the words the agreement itself prints);
    `value: null` with a `note` when none is known."""

    value: dt.date | None
    source: Url | None = None
    printed: Printed | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> SourcedDate:
        if self.value is not None and self.source is None and self.printed is None:
            raise ValueError("a date needs the source that states it (`source: URL`, or `printed:` in the agreement)")
        if self.value is None and not self.note:
            raise ValueError("an unknown date needs a note saying what is known")
        return self


class Origin(Strict):
    """Where the source document was published; `url: null` with a `note` when unknown."""

    url: Url | None
    note: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> Origin:
        if self.url is None and not self.note:
            raise ValueError("an unknown origin needs a note")
        return self


class Hashes(Strict):
    """sha256 of the source as received and of the normalised `text.txt` (written by parse)."""

    source: Sha256
    text: Sha256


class OutlineHint(Strict):
    """Force the level of one heading where the text leaves it ambiguous."""

    heading: str = Field(min_length=1)
    level: int = Field(ge=1, le=6)


class Dismissal(Strict):
    """A candidate prose commitment (a sentence parse flagged in a preamble) that is not a measure."""

    quote: str = Field(min_length=1)
    """The candidate sentence as it stands in `text.txt`."""
    reason: str = Field(min_length=1)


class Agreement(Strict):
    """`policy/<id>/agreement.yaml`: curated, except `sha256` which parse keeps current."""

    title: str = Field(min_length=1)
    parties: list[str]
    date: SourcedDate
    language: str = Field(pattern=r"^[a-z]{2}$")
    """The language of the text (`nl`, `de`, `en`: `policykb/languages/`): parse reads its
    commitments, contents and dates in it."""
    unit: Literal["bullet", "paragraph"] = "bullet"
    """The unit of commitment: every bullet is a measure (paragraphs are intro text), or every
    body paragraph is (an agreement written in prose)."""
    origin: Origin
    publisher: str | None = None
    source_file: Literal["source.txt", "source.pdf"] = "source.txt"
    page_numbers: Literal["ends-page", "starts-page"] = "ends-page"
    """Whether a page-number line closes the page it is on (a footer) or opens it (a header)."""
    id_prefix: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,11}$")] | None = None
    """Every measure id of this agreement starts with it (`pu2027-…`): parse gives one to an
    agreement added beside others, so their ids never collide. The first agreement needs none."""
    max_removed_percent: float = Field(default=MAX_REMOVED_PERCENT, gt=0, le=100)
    """The share of the text (in %) parse may take out as page numbers, running headers and
    footers; a parse that would remove more fails (a rule removing that much removes content)."""
    outline: list[OutlineHint] = []
    dismissed: list[Dismissal] = []
    """Candidate prose commitments decided not to be measures (a promoted one is a measure instead)."""
    notes: str | None = None
    unconfirmed: list[Literal["title", "parties", "date"]] = []
    """Fields parse filled from the agreement's front matter (its cover page), for the curator to
    confirm: take a field out of the list once it is checked (`policykb check` warns until then)."""
    sha256: Hashes | None = None
    """Written by parse; absent only before the first parse."""

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        from policykb.language import codes

        if value not in codes():
            raise ValueError(f"parse has no words for '{value}' (it knows {', '.join(codes())})")
        return value


# --- measures/*.yaml -----------------------------------------------------------------------------


class SourceSpan(Strict):
    """Where a measure stands in `text.txt`: code-point offsets, the page, the quote's fingerprint."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(ge=1)
    fingerprint: Fingerprint

    @model_validator(mode="after")
    def _ordered(self) -> SourceSpan:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Retirement(Strict):
    """When and why a record stopped being current (records are retired, never deleted)."""

    date: dt.date
    reason: str = Field(min_length=1)


class Evidence(Strict):
    """A source an assessment cites, with its kind (`schema/evidence.yaml`): a kamerstuk, a
    Staatsblad, the Official Journal, a government letter, news, …"""

    type: str
    url: Url
    title: str | None = Field(default=None, min_length=1)
    date: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _known_type(self, info: ValidationInfo) -> Evidence:
        _require_term(self.type, vocab.of(info.context).evidence, "evidence", "kind of evidence")
        return self


def _bare_evidence(value: str) -> str:
    if value.startswith(("http://", "https://")):
        raise ValueError(f"say what kind of source {value} is: {{type: news, url: {value}}} (see schema/evidence.yaml)")
    if value != "agreement" and not re.fullmatch(ID_PATTERN, value):
        raise ValueError(f"'{value}' is neither `agreement` nor a kb record id")
    return value


EvidenceItem = Annotated[str, AfterValidator(_bare_evidence)] | Evidence
"""`agreement` (the agreement itself), a kb record id (its dated events), or a typed source."""


class StatusAssessment(Strict):
    """A dated assessment of a measure's progress: who made it, on what evidence, and why. An
    assessment without its assessor still loads (older files, `policykb diff` of an old revision);
    the check refuses it, located (PK110)."""

    date: dt.date
    value: str
    assessor: str | None = Field(default=None, min_length=1)
    evidence: list[EvidenceItem] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _known_value(self, info: ValidationInfo) -> StatusAssessment:
        _require_term(self.value, vocab.of(info.context).statuses, "statuses", "status")
        return self


class WaitsFor(Strict):
    """A bill and the stage a conditional measure waits for."""

    bill: Id
    stage: str

    @model_validator(mode="after")
    def _known_stage(self, info: ValidationInfo) -> WaitsFor:
        _require_term(self.stage, vocab.of(info.context).stages, "stages", "stage")
        return self


class Condition(Strict):
    """A measure that applies only once bills reach a stage: `any` of them, or `all` of them."""

    any: list[WaitsFor] | None = None
    all: list[WaitsFor] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Condition:
        if (self.any is None) == (self.all is None):
            raise ValueError("a condition has either `any` or `all`")
        return self

    def waits_for(self) -> list[WaitsFor]:
        return self.any or self.all or []


def _require_retirement(lifecycle: str, retired: Retirement | None) -> None:
    if (lifecycle == "retired") != (retired is not None):
        raise ValueError("a retired record needs `retired: {date, reason}`, an active one none")


def _require_term(value: str, terms: dict[str, Any], family: str, what: str) -> None:
    """`value` must be a term of the vocabulary family (`schema/<family>.yaml`)."""
    if value not in terms:
        raise ValueError(f"unknown {what} '{value}' (see schema/{family}.yaml)")


class TextSpan(Strict):
    """Code-point offsets into the text a link was found in (a measure's or a preamble's)."""

    start: int = Field(ge=0)
    end: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Link(Strict):
    """A link from a measure (or a preamble) to a kb record, proposed by `policykb link` or added
    by hand, and the human decision on it: one per target and text, however often it is named.

    `policykb link` writes suggestions (`added: linker`, `review: suggested`) with the `span` and
    `alias` it matched. A curator sets `review: confirmed` or `rejected` (with a `reason`) and may
    refine `relation`; link then stamps `reviewed` with the fingerprint of the text as it was
    reviewed, so `check` can tell when the text has changed since. A link `added: curator` has no
    span: its `justification` quotes what implies it.
    """

    target: Id
    relation: str
    span: TextSpan | None = None
    """The first mention of the target in the text."""
    also: list[TextSpan] = []
    """Further mentions of the same target in the same text."""
    alias: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    justification: str = Field(min_length=1)
    added: Literal["linker", "curator"] = "linker"
    review: Literal["suggested", "confirmed", "rejected"] = "suggested"
    reason: str | None = None
    """Why a link was rejected (required then), or why its relation was refined."""
    reviewed: Fingerprint | None = None
    """The fingerprint of the text the decision was made on (stamped by `policykb link`)."""
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Link:
        _require_term(self.relation, vocab.of(info.context).relations, "relations", "relation")
        if self.review == "rejected" and not self.reason:
            raise ValueError("a rejected link needs a `reason`")
        if self.added == "linker" and (self.span is None or self.alias is None):
            raise ValueError("a link added by the linker has a `span` and an `alias`")
        if self.added == "curator" and self.review != "confirmed":
            raise ValueError("a link added by hand is `review: confirmed` (delete it instead of rejecting it)")
        if self.review == "suggested" and self.reviewed is not None:
            raise ValueError("a suggestion has no `reviewed` fingerprint: it has not been reviewed")
        return self

    @property
    def decided(self) -> bool:
        """A person has confirmed or rejected it."""
        return self.review != "suggested"


class Lead(Strict):
    """Who is first responsible for a measure (the *eerstverantwoordelijke*): a ministry, read in
    the cabinet's portfolio split, with the source it was read at and how sure that is."""

    organisation: Id
    """An organisation record (a ministry) in `kb/organisations/`."""
    minister: str | None = Field(default=None, min_length=1)
    """The post that answers for it, when it is not the ministry's own minister (`minister van
    Asiel en Migratie`, a minister without a ministry of his own)."""
    source: Url
    news: bool = False
    """The source is a news report, not an official one."""
    status: Literal["verified", "unverified"] = "verified"
    """`unverified`: no source says it for this cabinet; `toelichting` says what it rests on."""
    toelichting: str = Field(min_length=1)
    """Why this ministry, in Dutch, as the site shows it."""


class Measure(Strict):
    """`policy/<agreement>/measures/<id>.yaml`: one commitment of the agreement.

    parse owns `text`, `source`, `section`, `lifecycle`/`retired`, and `id` and `title` when it
    creates the measure; every other field is the curator's.
    """

    id: Id
    lifecycle: Literal["active", "retired"] = "active"
    retired: Retirement | None = None
    title: str = Field(min_length=1)
    section: Id
    origin: Literal["bullet", "prose"] = "bullet"
    """`prose`: a curator promoted this commitment from an intro paragraph; parse locates it there."""
    text: str = Field(min_length=1)
    source: SourceSpan | None = None
    condition: Condition | None = None
    status: list[StatusAssessment] = []
    """Assessments in date order; the last is the current status."""
    themes: list[Id] = []
    """Theme ids from `kb/themes/` (dcterms:subject), assigned by a curator."""
    links: list[Link] = []
    """Links to kb records: suggested by `policykb link`, decided by a curator."""
    lead: Lead | None = None
    """The ministry first responsible (eerstverantwoordelijke), assigned by a curator."""
    no_organisation: str | None = None
    """Why no organisation is involved, for a measure without a confirmed `involves` link; in Dutch,
    as the site shows it (RDF `@nl`)."""
    notes: str | None = None
    toelichting: str | None = None
    """The notes in Dutch, as the site shows them (`notes` stays the English, for RDF `@en`)."""

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        _require_retirement(self.lifecycle, self.retired)
        if self.source is None and self.origin != "prose":
            raise ValueError("only a measure promoted from prose may lack a source (parse fills it)")
        return self


# --- structure.yaml (written by parse only) -----------------------------------------------------


class Span(Strict):
    """A span of `text.txt` in code points, with its page where a page marker or the PDF bounds it."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(ge=1)


class Section(Strict):
    """A heading and the part of the text it opens; `heading: null` for text before any heading."""

    id: Id
    title: str
    level: int = Field(ge=1)
    parent: Id | None
    heading: Span | None


class Candidate(Strict):
    """A sentence of a preamble in which "we" commit to something: to promote or dismiss."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    fingerprint: Fingerprint


class Preamble(Span):
    """An intro (or closing) paragraph of a section; not a measure, but accounted for."""

    id: Id
    section: Id
    candidates: list[Candidate] = []


class Excluded(Span):
    """A block that stays in `text.txt` but is not content (a table of contents, a table)."""

    reason: Literal["toc", "table", "decoration", "front-matter"]
    section: Id | None


class Mentions(Strict):
    """`policy/<agreement>/mentions.yaml`: links found in the preambles (intro paragraphs), by
    preamble id; written by `policykb link` and decided by curators like measure links."""

    agreement: Id
    preambles: dict[str, list[Link]] = {}


class PageRange(Strict):
    """Offsets of `text.txt` known to be on one page."""

    page: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Removal(Strict):
    """Layout residue taken out of `text.txt`: what, why, where it stood."""

    at: int = Field(ge=0)
    text: str
    reason: Literal["page-number", "page-header", "page-footer"]
    source_line: int = Field(ge=1)


class PageLabel(Strict):
    """PDF pages `first` to `last` print the numbers `printed` to `printed + last - first`."""

    first: int = Field(ge=1)
    last: int = Field(ge=1)
    printed: int = Field(ge=1)


class PageMap(Strict):
    pages: list[PageRange]
    removed: list[Removal]
    labels: list[PageLabel] = []
    """A PDF's page labels: which PDF page prints which number. `page` everywhere else is the
    printed number; a PDF page outside every label (a cover) has none, and a PDF that prints no
    numbers has no labels and reports its PDF pages."""


class ContentsEntry(Strict):
    """An entry of the table of contents, and the section it names (None: not found in the text)."""

    title: str = Field(min_length=1)
    level: int = Field(ge=1)
    page: int = Field(ge=0)
    section: Id | None


class PrintedDate(Strict):
    value: dt.date | None
    printed: str = Field(min_length=1)
    page: int | None = Field(ge=1)


class FrontMatterSuggestions(Strict):
    """What the front matter (a cover page) says of the agreement, as parse read it."""

    title: str | None
    parties: list[str]
    date: PrintedDate | None


class TextInfo(Strict):
    sha256: Sha256
    length: int = Field(ge=0)


class Structure(Strict):
    """`policy/<agreement>/structure.yaml`: the text's skeleton, written by parse only."""

    agreement: Id
    text: TextInfo
    sections: list[Section]
    preambles: list[Preamble]
    excluded: list[Excluded]
    page_map: PageMap
    contents: list[ContentsEntry] = []
    """The table of contents, entry by entry (absent when the text has none)."""
    front_matter: FrontMatterSuggestions | None = None
    """What parse read in the front matter (absent when the text has none)."""


# --- kb/<folder>/<id>.yaml ------------------------------------------------------------------------


class Names(Strict):
    """A name in Dutch and in English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


def _matchable(alias: str) -> str:
    """An alias the linker can match without finding it everywhere: at least two letters or digits,
    and not a common Dutch word (spaCy's stop words: `de`, `het`, `om`), which would be "found" in
    nearly every sentence and pull confirmed links onto it. An abbreviation in capitals (`EN`)
    matches only in its own case and is kept."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    if sum(1 for character in alias if character.isalnum()) < 2:
        raise ValueError(f"'{alias}' is too short to be an alias (at least two letters or digits)")
    if alias.casefold() in STOP_WORDS and not alias.isupper():
        raise ValueError(f"'{alias}' is a common Dutch word: as an alias it would match nearly every sentence")
    return alias


AliasText = Annotated[str, AfterValidator(_matchable)]


class Alias(Strict):
    """A form the text uses; `ambiguous` when other records share it (one suggestion each)."""

    text: AliasText
    ambiguous: bool = False


class Identifier(Strict):
    """An official identifier with the source it was read at.

    `status`: `verified` (read in a primary source), `derived` (formed from the act number, as for
    an ELI), or `unverified` (only secondary sources; `confidence` keeps the register's word)."""

    value: str = Field(min_length=1)
    source: Url | None
    status: Literal["verified", "derived", "unverified"] = "verified"
    confidence: Literal["high", "medium", "low"] | None = None
    match: Literal["exact", "close", "broad", "narrow"] | None = None
    """For a concept of another scheme (a EuroVoc concept of a theme): how well it matches, as the
    SKOS mapping relations say (`broad`: the other concept is broader than this record)."""
    note: str | None = None
    toelichting: str | None = None
    """The note in Dutch, as the site shows it (`note` stays the English, for RDF `@en`)."""

    @model_validator(mode="after")
    def _sourced(self) -> Identifier:
        if self.source is None and self.status != "derived":
            raise PydanticCustomError(IDENTIFIER_ERROR, "an identifier needs the source it was read at")
        return self


class Event(Strict):
    """A dated stage in the life of a bill, procedure, act or treaty, with its source."""

    stage: str
    date: dt.date
    source: Url
    status: Literal["verified", "unverified"] = "verified"
    note: str | None = None
    toelichting: str | None = None
    """The note in Dutch, as the site shows it (`note` stays the English, for RDF `@en`)."""

    @model_validator(mode="after")
    def _known_stage(self, info: ValidationInfo) -> Event:
        _require_term(self.stage, vocab.of(info.context).stages, "stages", "stage")
        return self


class Relation(Strict):
    """A relation between two kb records (an act amends another, a bill becomes an act)."""

    relation: str
    """A relation of `schema/record-relations.yaml`."""
    target: Id
    note: str | None = None
    toelichting: str | None = None
    """The note in Dutch, as the site shows it (`note` stays the English, for RDF `@en`)."""

    @model_validator(mode="after")
    def _known_relation(self, info: ValidationInfo) -> Relation:
        _require_term(self.relation, vocab.of(info.context).record_relations, "record-relations", "relation")
        return self


class KbRecord(Strict):
    """`kb/<folder>/<id>.yaml`: a law, bill, EU act or procedure, treaty, organisation, document
    or theme, with every identifier sourced."""

    id: Id
    kind: str
    """A kind of `schema/kinds.yaml` (its folder in kb/, its class, its RDF types)."""
    name: Names
    aliases: list[AliasText | Alias] = []
    lifecycle: Literal["active", "retired"] = "active"
    retired: Retirement | None = None
    identifiers: dict[str, Identifier] = {}
    events: list[Event] = []
    parts: list[Id] = []
    """A package (the EU Pact): the acts it consists of (dcterms:hasPart)."""
    parent: Id | None = None
    """An organisation: the one it is part of (org:subOrganizationOf). A theme: its broader theme."""
    relations: list[Relation] = []
    sources: list[Url] = []
    """Sources of the record's other facts (names, notes); identifiers and events carry their own."""
    notes: str | None = None
    toelichting: str | None = None
    """The notes in Dutch, as the site shows them (`notes` stays the English, for RDF `@en`)."""

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> KbRecord:
        _require_retirement(self.lifecycle, self.retired)
        vocabulary = vocab.of(info.context)
        if self.kind not in vocabulary.kinds:
            raise ValueError(f"kind: unknown kind '{self.kind}' (see schema/kinds.yaml)")
        schemes = vocabulary.schemes
        for scheme, identifier in self.identifiers.items():
            if scheme not in schemes:
                raise PydanticCustomError(
                    IDENTIFIER_ERROR, f"identifiers.{scheme}: unknown scheme (see schema/identifiers.yaml)"
                )
            if not re.match(schemes[scheme].pattern, identifier.value):
                raise PydanticCustomError(
                    IDENTIFIER_ERROR, f"identifiers.{scheme}: '{identifier.value}' does not match the {scheme} pattern"
                )
        return self

    def alias_forms(self) -> list[Alias]:
        """Every alias as an `Alias` (plain strings are unambiguous)."""
        return [
            alias if isinstance(alias, Alias) else Alias.model_construct(text=alias, ambiguous=False)
            for alias in self.aliases
        ]


# --- dataset.yaml ----------------------------------------------------------------------------------


class Agent(Strict):
    """An organisation or person, by name (and a page or register IRI when it has one)."""

    name: str = Field(min_length=1)
    url: Url | None = None


class Contact(Strict):
    """Where users of the data can ask: an e-mail address of the organisation or a contact form."""

    name: str = Field(min_length=1)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    url: Url | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.email is None and self.url is None:
            raise ValueError("a contact needs an `email` or a `url` (a contact form)")
        return self


class DatasetInfo(Strict):
    """What `dataset.yaml` (the repository root, optional) says about the published dataset, for
    its DCAT and VoID description (`build/dataset.ttl`). Everything left out is either derived
    (title, description, version) or said to be missing."""

    title: Names | None = None
    description: Names | None = None
    publisher: Agent | None = None
    creators: list[Agent] = []
    """Who made the data (default: the publisher)."""
    contact: Contact | None = None
    themes: list[
        Literal["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"]
    ] = ["GOVE", "JUST"]
    """EU data themes (the publications.europa.eu authority list `data-theme`, its 13 codes)."""
    landing_page: Url | None = None
    issued: dt.date | None = None
    """When the dataset was first published (`dcterms:issued`); not said until it has been."""
    endpoint: Url | None = None
    """The public SPARQL endpoint that serves the data, once someone runs one (a `dcat:DataService`)."""
    notes: str | None = None
