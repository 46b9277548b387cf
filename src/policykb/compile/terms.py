"""The RDF terms compile writes: every namespace closed, so a misspelled term fails at once.

`kb:` terms are defined (labels, comments, domain, range) in the vocabulary folder's
`policykb.ttl`, the one list of them: the `kb:` namespace is closed over the terms that file
defines. Public vocabularies list only the terms this project uses, each checked against its
published ontology (see docs/rdf-contract.md). The base IRI is one setting: `iris(base)` gives the
IRIs of things and the `kb:` namespace below it. `resolve` turns a CURIE of the vocabulary
(`eli:LegalResource`, `kb:Package`) into its IRI.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from policykb.vocab import PACKAGE_SCHEMA

DEFAULT_BASE = "https://w3id.org/policykb/"

ELI = ClosedNamespace(
    "http://data.europa.eu/eli/ontology#",
    [
        "Work",
        "WorkSubdivision",
        "LegalResource",
        "is_part_of",
        "has_part",
        "id_local",
        "date_document",
        "date_publication",
        "first_date_entry_in_force",
        "date_applicability",
        "date_no_longer_in_force",
        "amends",
        "repeals",
        "based_on",
        "transposes",
        "jurisdiction",
    ],
)
ELI_DL = ClosedNamespace(
    "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    [
        "LegislativeProcess",
        "ProcessStage",
        "process_id",
        "current_stage",
        "LegislativeActivity",
        "consists_of",
        "activity_date",
        "had_activity_type",
        "DraftLegislationWork",
        "foresees_change_of",
    ],
)
OA = ClosedNamespace(
    "http://www.w3.org/ns/oa#",
    [
        "Annotation",
        "hasBody",
        "hasTarget",
        "SpecificResource",
        "hasSource",
        "hasSelector",
        "TextQuoteSelector",
        "exact",
        "prefix",
        "suffix",
        "TextPositionSelector",
        "start",
        "end",
        "motivatedBy",
        "identifying",
    ],
)
ORG = ClosedNamespace("http://www.w3.org/ns/org#", ["Organization", "subOrganizationOf"])

PREFIXES: dict[str, Any] = {
    "dcterms": DCTERMS,
    "eli": ELI,
    "eli-dl": ELI_DL,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
}


@functools.cache
def kb_terms(folder: Path) -> tuple[str, ...]:
    """The `kb:` terms `policykb.ttl` of a vocabulary folder defines (its subjects with a type)."""
    namespace = DEFAULT_BASE + "def#"
    graph = Graph().parse(folder / "policykb.ttl", format="turtle")
    subjects = {str(subject) for subject in graph.subjects(RDF.type, None) if isinstance(subject, URIRef)}
    return tuple(sorted(subject.removeprefix(namespace) for subject in subjects if subject.startswith(namespace)))


@dataclass(frozen=True)
class Iris:
    """The IRIs below one base: things under `id/`, the vocabulary at `def#`."""

    base: str = DEFAULT_BASE
    terms: tuple[str, ...] = ()
    """The `kb:` terms (`kb_terms` of the vocabulary folder)."""

    @property
    def kb(self) -> ClosedNamespace:
        return ClosedNamespace(self.base + "def#", list(self.terms))

    @property
    def id(self) -> Namespace:
        return Namespace(self.base + "id/")

    def resolve(self, curie: str) -> URIRef:
        """The IRI of `prefix:name`; a prefix or a term not known is a `KeyError` naming it."""
        prefix, name = curie.split(":", 1)
        if prefix == "kb":
            if name not in self.terms:
                raise KeyError(f"'{curie}' is not defined in policykb.ttl")
            return self.kb[name]
        if prefix not in PREFIXES:
            raise KeyError(f"'{prefix}:' is not a known prefix ({', '.join(sorted(PREFIXES))}, kb)")
        try:
            return URIRef(PREFIXES[prefix][name])
        except (AttributeError, KeyError):
            raise KeyError(f"'{curie}' is not a term this project uses of {prefix}: (compile/terms.py)") from None


def iris(base: str = DEFAULT_BASE, folder: Path = PACKAGE_SCHEMA) -> Iris:
    """The IRIs for `base` (which must end in `/`), with the `kb:` terms of the vocabulary in `folder`."""
    if not base.endswith("/") or not base.startswith(("http://", "https://")):
        raise ValueError(f"the base IRI must be an http(s) IRI ending in '/': {base!r}")
    return Iris(base, kb_terms(folder))


KB = iris().kb
