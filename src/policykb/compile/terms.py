"""The RDF terms compile writes: every namespace closed, so a misspelled term fails at once.

`kb:` terms are defined (labels, comments, domain, range) in `schema/policykb.ttl`; a test keeps
that file and `KB_TERMS` equal. Public vocabularies list only the terms this project uses, each
checked against its published ontology (see docs/rdf-contract.md). The base IRI is one setting:
`iris(base)` gives the IRIs of things and the `kb:` namespace below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

DEFAULT_BASE = "https://w3id.org/policykb/"

KB_CLASSES = (
    "Measure", "StatusAssessment", "SourceText", "Package", "Treaty", "Document", "OrganisationGroup",
    "Identifier", "Event", "Condition", "Requirement",
)
KB_PROPERTIES = (
    "statedIn", "hasSourceSpan", "involves", "concerns", "implements", "amends", "repeals", "dependsOn",
    "supports", "followsAdviceOf", "cites", "status", "assesses", "page", "sha256", "level",
    "condition", "combination", "requires", "process", "stage", "waitsOn", "noOrganisationReason",
    "hasIdentifier", "scheme", "verification", "confidence", "hasEvent", "becomes", "evidenceNote",
)
KB_TERMS = KB_CLASSES + KB_PROPERTIES

ELI = ClosedNamespace(
    "http://data.europa.eu/eli/ontology#",
    ["Work", "WorkSubdivision", "LegalResource", "is_part_of", "has_part", "id_local", "date_document",
     "date_publication", "first_date_entry_in_force", "date_applicability", "date_no_longer_in_force",
     "amends", "repeals", "based_on", "transposes"],
)
ELI_DL = ClosedNamespace(
    "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    ["LegislativeProcess", "ProcessStage", "process_id", "current_stage"],
)
OA = ClosedNamespace(
    "http://www.w3.org/ns/oa#",
    ["Annotation", "hasBody", "hasTarget", "SpecificResource", "hasSource", "hasSelector",
     "TextQuoteSelector", "exact", "prefix", "suffix", "TextPositionSelector", "start", "end",
     "motivatedBy", "identifying"],
)
ORG = ClosedNamespace("http://www.w3.org/ns/org#", ["Organization", "subOrganizationOf"])

PREFIXES = {
    "dcterms": DCTERMS, "eli": ELI, "eli-dl": ELI_DL, "oa": OA, "org": ORG, "owl": OWL, "prov": PROV,
    "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD,
}

RELATION_PROPERTY = {
    "involves": "involves", "concerns": "concerns", "implements": "implements", "amends": "amends",
    "repeals": "repeals", "depends-on": "dependsOn", "supports": "supports",
    "follows-advice-of": "followsAdviceOf", "cites": "cites",
}
"""Measure link relations (schema/relations.yaml, kebab-case) → `kb:` properties (camelCase)."""


@dataclass(frozen=True)
class Iris:
    """The IRIs below one base: things under `id/`, the vocabulary at `def#`."""

    base: str = DEFAULT_BASE

    @property
    def kb(self) -> ClosedNamespace:
        return ClosedNamespace(self.base + "def#", list(KB_TERMS))

    @property
    def id(self) -> Namespace:
        return Namespace(self.base + "id/")


def iris(base: str = DEFAULT_BASE) -> Iris:
    """The IRIs for `base` (which must end in `/`)."""
    if not base.endswith("/") or not base.startswith(("http://", "https://")):
        raise ValueError(f"the base IRI must be an http(s) IRI ending in '/': {base!r}")
    return Iris(base)


KB = iris().kb
