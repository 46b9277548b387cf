"""The dataset described in the data: a DCAT catalogue and dataset (DCAT-AP-NL 3.0) and VoID.

Reads `dataset.yaml` of the repository root (optional; `model.DatasetInfo`), the model and the
compile's other files (their bytes: sizes and sha256 checksums); returns `dataset.ttl`. The
distributions are the dumps the build writes (Turtle, N-Triples, JSON-LD, GraphML, CSV, the
vocabulary, the provenance), each with its media type, file type, size and checksum; the dataset
has its licence (CC0, README), its themes, its version (the build day) and its provenance. What
DCAT-AP-NL requires and the repository does not say (a publisher, a contact point) is left out
and reported by `missing()`, never invented. Writes no files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from policykb import yamlio
from policykb.compile.rdf import Builder
from policykb.load import Model
from policykb.model import Agent, DatasetInfo, Names
from policykb.validation import validate

DATASET_FILE = "dataset.yaml"
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
"""DCAT 3 (`dcat:version`), which rdflib's DCAT namespace predates."""
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/deed.nl")
"""CC0 1.0 as the DCAT-AP-NL 3.0 examples write it (decision 0018)."""

DISTRIBUTIONS: dict[str, tuple[str, str | None, str]] = {
    # file (or a prefix of files): media type, EU file type (None: the list has none), Dutch title
    "kb.ttl": ("text/turtle", "RDF_TURTLE", "De graaf in Turtle"),
    "kb.nt": ("application/n-triples", "RDF_N_TRIPLES", "De graaf in N-Triples"),
    "kb.jsonld": ("application/ld+json", "JSON_LD", "De graaf in JSON-LD"),
    "graph.graphml": ("application/xml", None, "De netwerkgraaf in GraphML (NetworkX)"),  # GraphML has no IANA type
    "policykb.ttl": ("text/turtle", "RDF_TURTLE", "Het vocabulaire van policykb (RDF)"),
    "provenance.ttl": ("text/turtle", "RDF_TURTLE", "De herkomst van deze build (PROV-O)"),
    "csv/": ("text/csv", "CSV", "Tabel"),
}
VOCABULARIES = (
    "http://data.europa.eu/eli/ontology#",
    "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://purl.org/dc/terms/",
)


def dataset_info(root: Path) -> DatasetInfo:
    """`dataset.yaml` of the repository, validated; the defaults when there is none."""
    path = root / DATASET_FILE
    if not path.is_file():
        return DatasetInfo()
    return validate(DatasetInfo, yamlio.read(path), path)


def version(files: dict[str, bytes], when: dt.datetime) -> str:
    """The release a build is: its day and which data (the start of `kb.nt`'s sha256), so the same
    data on the same day is the same version."""
    return f"{when.date().isoformat()}-{hashlib.sha256(files.get('kb.nt', b'')).hexdigest()[:12]}"


def release(files: dict[str, bytes], when: dt.datetime) -> dict[str, bytes]:
    """The versioned release dump: every published file under `release/<version>/`, with a
    `SHA256SUMS` that `sha256sum -c` checks (the analyses, dated by the build, are left out)."""
    folder = f"release/{version(files, when)}/"
    chosen = {name: content for name, content in sorted(files.items()) if name not in UNRELEASED}
    sums = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in chosen.items())
    return {folder + name: content for name, content in chosen.items()} | {folder + "SHA256SUMS": sums.encode("utf-8")}


UNRELEASED = ("analysis.json",)


def _distribution(name: str) -> tuple[str, str | None, str] | None:
    for key, value in DISTRIBUTIONS.items():
        if name == key or (key.endswith("/") and name.startswith(key)):
            return value
    return None


def describe(model: Model, builder: Builder, info: DatasetInfo, files: dict[str, bytes], when: dt.datetime) -> bytes:
    """The description of the dataset whose files are `files` (name -> bytes), as Turtle."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF), ("void", VOID)):
        graph.bind(prefix, namespace)
    graph.bind("spdx", SPDX)
    graph.bind("vcard", VCARD)
    base = str(builder.id).removesuffix("id/")
    dataset, catalog = builder.id["dataset"], builder.id["catalog"]
    title, description = info.title or _title(model), info.description or _description(model)
    for node in (catalog, dataset):
        _names(graph, node, DCTERMS.title, title)
        _names(graph, node, DCTERMS.description, description)
        graph.add((node, DCTERMS.license, LICENCE))
        _agents(graph, node, builder, info)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    access = URIRef(f"{EU}access-right/PUBLIC")
    graph.add((dataset, DCTERMS.accessRights, access))
    graph.add((access, RDF.type, DCTERMS.RightsStatement))
    dutch = URIRef(f"{EU}language/NLD")
    graph.add((dataset, DCTERMS.language, dutch))
    graph.add((dutch, RDF.type, DCTERMS.LinguisticSystem))
    for theme in info.themes:
        graph.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    graph.add((dataset, DCTERMS.modified, Literal(when.date().isoformat(), datatype=XSD.date)))
    if info.issued is not None:
        graph.add((dataset, DCTERMS.issued, Literal(info.issued.isoformat(), datatype=XSD.date)))
    graph.add((dataset, DCAT_VERSION, Literal(version(files, when))))
    rights = builder.id["rights"]
    graph.add((dataset, DCTERMS.rights, rights))
    graph.add((rights, RDF.type, DCTERMS.RightsStatement))
    graph.add((rights, RDFS.label, Literal(_RIGHTS, lang="nl")))
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    if info.landing_page:
        graph.add((dataset, DCAT.landingPage, URIRef(info.landing_page)))
    if info.endpoint:
        _service(graph, builder, dataset, URIRef(info.endpoint))
    graph.add((dataset, RDFS.seeAlso, URIRef(f"{base}data/provenance.ttl")))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(f"{base}def")))
    for vocabulary in (*VOCABULARIES, str(builder.kb)):
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    graph.add((dataset, VOID.triples, Literal(len(builder.triples), datatype=XSD.integer)))
    for name in sorted(files):
        kind = _distribution(name)
        if kind is None:
            continue
        media, file_type, label = kind
        url = URIRef(f"{base}data/{Path(name).name}")
        node = builder.id[f"distribution/{name}"]
        graph.add((dataset, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        shown = f"{label} {Path(name).stem}" if name.startswith("csv/") else label
        graph.add((node, DCTERMS.title, Literal(shown, lang="nl")))
        graph.add((node, DCAT.accessURL, url))
        graph.add((node, DCAT.downloadURL, url))
        graph.add((node, DCAT.mediaType, URIRef(f"{IANA}{media}")))
        if file_type:
            graph.add((node, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}")))
        graph.add((node, DCTERMS.license, LICENCE))
        graph.add((node, DCAT.byteSize, Literal(len(files[name]), datatype=XSD.nonNegativeInteger)))
        checksum = builder.id[f"distribution/{name}/checksum"]
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        digest = hashlib.sha256(files[name]).hexdigest()
        graph.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        if name == "kb.nt":
            graph.add((dataset, VOID.dataDump, url))
    return graph.serialize(format="turtle", encoding="utf-8")


_RIGHTS = (
    "De gecureerde gegevens zijn vrij van rechten (CC0 1.0). De citaten uit het akkoord zijn het werk van "
    "zijn uitgevers en staan erin om de maatregelen controleerbaar te maken."
)


def missing(info: DatasetInfo) -> list[str]:
    """What DCAT-AP-NL requires that `dataset.yaml` does not say (to register on data.overheid.nl)."""
    return [name for name, value in (("publisher", info.publisher), ("contact", info.contact)) if value is None]


def _title(model: Model) -> Names:
    titles = "; ".join(agreement.agreement.title for agreement in model.agreements)
    return Names(nl=f"Herleidbare maatregelen: {titles}", en=f"Traceable measures: {titles}")


def _description(model: Model) -> Names:
    measures = sum(1 for record in model.measures() if record.measure.lifecycle == "active")
    records = sum(1 for entry in model.kb.values() if entry.record.lifecycle == "active")
    count = len(model.agreements)
    return Names(
        nl=f"{measures} maatregelen uit {count} akkoord(en), elk met zijn exacte plaats in de tekst, gekoppeld "
        f"aan {records} wetten, wetsvoorstellen, EU-instrumenten, organisaties en thema's, met bronnen en status.",
        en=f"{measures} measures from {count} agreement(s), each with its exact place in the text, linked to "
        f"{records} laws, bills, EU instruments, organisations and themes, with sources and status.",
    )


def _service(graph: Graph, builder: Builder, dataset: URIRef, endpoint: URIRef) -> None:
    """The SPARQL endpoint as a DCAT data service that serves the dataset (and VoID's name for it)."""
    service = builder.id["service/sparql"]
    graph.add((service, RDF.type, DCAT.DataService))
    _names(graph, service, DCTERMS.title, Names(nl="SPARQL-eindpunt", en="SPARQL endpoint"))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.license, LICENCE))
    graph.add((dataset, VOID.sparqlEndpoint, endpoint))


def _names(graph: Graph, node: URIRef, predicate: URIRef, names: Names) -> None:
    graph.add((node, predicate, Literal(names.nl, lang="nl")))
    graph.add((node, predicate, Literal(names.en, lang="en")))


def _agents(graph: Graph, node: URIRef, builder: Builder, info: DatasetInfo) -> None:
    if info.publisher is not None:
        graph.add((node, DCTERMS.publisher, _agent(graph, builder.id["agent/publisher"], info.publisher)))
    for index, creator in enumerate(info.creators or ([info.publisher] if info.publisher else []), start=1):
        graph.add((node, DCTERMS.creator, _agent(graph, builder.id[f"agent/creator/{index}"], creator)))
    if info.contact is not None:
        contact = builder.id["contact"]
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(info.contact.name)))
        if info.contact.email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{info.contact.email}")))
        if info.contact.url:
            graph.add((contact, VCARD.hasURL, URIRef(info.contact.url)))


def _agent(graph: Graph, node: URIRef, agent: Agent) -> URIRef:
    """A foaf:Agent by name, with its page when it has one."""
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agent.name)))
    if agent.url:
        graph.add((node, FOAF.homepage, URIRef(agent.url)))
    return node
