"""`policykb compile`: the RDF contract, byte-stable dumps that parse back, the vocabulary, the
NetworkX projection and the CSV tables, on the synthetic corpus (the chapter's own graph, tables
and analyses are facts checked in test_chapter.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from policykb.cli import main
from policykb.compile import Compiled, compile_model
from policykb.compile.shacl import validate
from policykb.compile.terms import ELI, KB, OA, iris
from policykb.load import load_model
from policykb.model import fingerprint, sha256_bytes
from policykb.repo import Repo
from policykb.vocab import PACKAGE_SCHEMA, default_vocabulary

ID = iris().id
EPOCH = "1790000000"  # 2026-09-21


@pytest.fixture(scope="module")
def typed(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the synthetic corpus whose first measure's links are typed (`implements`, a
    sub-relation of `concerns`), as curators refine them."""
    root = tmp_path_factory.mktemp("typed") / "root"
    shutil.copytree(base, root)
    for path in sorted((root / "policy" / "synthetic" / "measures").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "relation: concerns" in text:
            path.write_text(text.replace("relation: concerns", "relation: implements"), encoding="utf-8")
            break
    return root


@pytest.fixture(scope="module")
def compiled(typed: Path) -> Compiled:
    return compile_model(Repo(typed), load_model(Repo(typed)))


@pytest.fixture(scope="module")
def graph(compiled: Compiled) -> Graph:
    return compiled.graph


def test_compiling_twice_gives_the_same_bytes(typed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = compile_model(Repo(typed), load_model(Repo(typed)))
    second = compile_model(Repo(typed), load_model(Repo(typed)))
    assert first.files == second.files
    assert b"2026-09-21T" in first.files["provenance.ttl"]


@pytest.mark.parametrize(("name", "rdf_format"), [("kb.ttl", "turtle"), ("kb.nt", "nt"), ("kb.jsonld", "json-ld")])
def test_every_dump_parses_back_to_the_same_graph(compiled: Compiled, graph: Graph, name: str, rdf_format: str) -> None:
    parsed = Graph().parse(data=compiled.files[name].decode("utf-8"), format=rdf_format)
    assert len(parsed) == len(graph) > 1000
    assert isomorphic(parsed, graph)


def test_the_json_ld_context_is_embedded_and_shipped_beside_it(compiled: Compiled) -> None:
    document = json.loads(compiled.files["kb.jsonld"])
    shipped = json.loads(compiled.files["context.jsonld"])
    assert document["@context"] == shipped["@context"]
    assert not any(
        isinstance(value, str) and value.startswith("http") and value.endswith(".jsonld")
        for value in document["@context"].values()
    )
    assert shipped["@context"]["kb"] == "https://w3id.org/policykb/def#"


def test_offsets_are_written_as_web_annotation_says(graph: Graph) -> None:
    """xsd:nonNegativeInteger in our own dumps (the shapes also accept the stores' xsd:integer)."""
    offsets = [o for p in (OA.start, OA.end) for o in graph.objects(None, p)]
    assert offsets and {o.datatype for o in offsets} == {URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")}


def test_n_triples_are_sorted_and_there_are_no_blank_nodes(compiled: Compiled, graph: Graph) -> None:
    lines = compiled.files["kb.nt"].decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_the_compiled_corpus_conforms_to_the_shapes(graph: Graph) -> None:
    conforms, violations = validate(graph)
    assert conforms, violations[:5]


def test_a_measure_as_the_contract_says(typed: Path, graph: Graph) -> None:
    data = load_model(Repo(typed)).agreements[0]
    record = next(item for item in data.measures if item.measure.links)
    measure = ID[f"measure/{record.measure.id}"]
    assert (measure, RDF.type, KB.Measure) in graph
    assert graph.value(measure, KB.statedIn) == ID[f"section/synthetic/{record.measure.section}"]
    assert (graph.value(measure, KB.statedIn), RDF.type, ELI.WorkSubdivision) in graph
    span = graph.value(measure, KB.hasSourceSpan)
    assert (span, RDF.type, OA.Annotation) in graph and graph.value(span, OA.hasBody) == measure
    target = graph.value(span, OA.hasTarget)
    selectors = {graph.value(selector, RDF.type): selector for selector in graph.objects(target, OA.hasSelector)}
    quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
    start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
    assert str(graph.value(quote, OA.exact)) == data.text[start:end] == record.measure.text
    assert data.text[max(0, start - 32) : start] == str(graph.value(quote, OA.prefix))
    assert graph.value(graph.value(target, OA.hasSource), KB.sha256) == Literal(sha256_bytes(data.text.encode("utf-8")))
    assert graph.value(measure, KB.status) == ID[f"status/{record.measure.status[-1].value}"]
    for link in record.measure.links:
        assert (measure, KB[default_vocabulary().property_of(link.relation)], None) in graph


def test_every_typed_link_also_states_its_super_property(graph: Graph) -> None:
    pairs = list(graph.subject_objects(KB.implements))
    assert pairs, "the typed fixture has an implements link"
    assert all((s, KB.concerns, o) in graph for s, o in pairs)


def test_every_concept_has_its_notation(graph: Graph) -> None:
    """Themes, statuses, stages, kinds of evidence, condition states: each skos:Concept carries its
    YAML id as skos:notation, the join key the contract promises."""
    from rdflib.namespace import RDF, SKOS

    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts and all((concept, SKOS.notation, None) in graph for concept in concepts)


def test_records_use_public_iris_labels_and_abbreviations(typed: Path, graph: Graph) -> None:
    kb = load_model(Repo(typed)).kb
    regulation = next(entry.record for entry in kb.values() if entry.record.kind == "eu-regulation")
    eli = URIRef(regulation.identifiers["eli"].value)
    assert (eli, RDF.type, ELI.LegalResource) in graph  # the act's own ELI is its IRI
    assert (eli, ELI.id_local, Literal(regulation.identifiers["celex"].value)) in graph
    organisation = next(entry.record for entry in kb.values() if entry.record.kind == "organisation")
    iri = ID[f"organisation/{organisation.id}"]
    assert {label.language for label in graph.objects(iri, SKOS.prefLabel)} == {"nl", "en"}
    assert {str(alias) for alias in graph.objects(iri, SKOS.altLabel)} == {
        alias.text for alias in organisation.alias_forms() if alias.text != organisation.name.nl
    }


def test_the_vocabulary_defines_every_kb_term_with_labels_domain_and_comment(graph: Graph) -> None:
    vocabulary = Graph().parse(PACKAGE_SCHEMA / "policykb.ttl")
    defined = {str(s).removeprefix(str(KB)) for s in vocabulary.subjects(RDF.type, None) if str(s).startswith(str(KB))}
    names = default_vocabulary()
    assert {names.property_of(relation) for relation in names.relations} <= defined
    assert {curie.removeprefix("kb:") for _, _, curie in names.curies() if curie.startswith("kb:")} <= defined
    for term in sorted(defined):
        subject = KB[term]
        assert {label.language for label in vocabulary.objects(subject, RDFS.label)} == {"nl", "en"}, term
        assert {comment.language for comment in vocabulary.objects(subject, RDFS.comment)} == {"nl", "en"}, term
    used = {p for _, p, _ in graph} | {o for _, p, o in graph if p == RDF.type}
    assert {str(term).removeprefix(str(KB)) for term in used if str(term).startswith(str(KB))} <= defined
    assert (KB.implements, RDFS.subPropertyOf, KB.concerns) in vocabulary
    assert (KB.Measure, RDF.type, OWL.Class) in vocabulary


def test_a_misspelled_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        KB.implemnts  # noqa: B018
    with pytest.raises(AttributeError):
        ELI.date_documnt  # noqa: B018


def test_the_base_iri_is_one_setting(typed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compile", "--root", str(typed), "--out", str(tmp_path / "out"), "--base", "https://example.org/kb/"]
    )
    assert result.exit_code == 0, result.output
    g = Graph().parse(tmp_path / "out" / "kb.ttl")
    first = sorted(path.stem for path in (typed / "policy" / "synthetic" / "measures").glob("*.yaml"))[0]
    assert (
        URIRef(f"https://example.org/kb/id/measure/{first}"),
        RDF.type,
        URIRef("https://example.org/kb/def#Measure"),
    ) in g
    assert "w3id.org" not in (tmp_path / "out" / "kb.ttl").read_text(encoding="utf-8")
    assert "<https://example.org/kb/def#>" in (tmp_path / "out" / "policykb.ttl").read_text(encoding="utf-8")
    shapes = tmp_path / "out" / "shapes"
    assert validate(g, Graph().parse(shapes / "core.ttl") + Graph().parse(shapes / "vocabularies.ttl"))[0]
    bad = CliRunner().invoke(
        main, ["compile", "--root", str(typed), "--out", str(tmp_path / "out"), "--base", "example.org"]
    )
    assert bad.exit_code == 2 and "--base" in bad.output


def test_provenance_names_the_sources_commit_and_time(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    shutil.copytree(base, root)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-C", str(root)]
    for command in (["init", "--quiet"], ["add", "-A"], ["commit", "--quiet", "-m", "corpus"]):
        subprocess.run([*git, *command], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    provenance = Graph().parse(
        data=compile_model(Repo(root), load_model(Repo(root))).files["provenance.ttl"], format="turtle"
    )
    folder = root / "policy" / "synthetic"
    hashes = {str(o) for o in provenance.objects(None, KB.sha256)}
    assert {sha256_bytes((folder / name).read_bytes()) for name in ("source.txt", "text.txt")} <= hashes
    assert Literal(f"git:{commit}") in set(provenance.objects(None, DCTERMS.identifier))
    assert "2026-09-21T" in str(next(provenance.objects(None, PROV.endedAtTime)))


def test_csv_tables_for_spreadsheet_users(typed: Path, compiled: Compiled) -> None:
    model = load_model(Repo(typed))
    measures = list(csv.DictReader(io.StringIO(compiled.files["csv/measures.csv"].decode("utf-8"))))
    assert [row["id"] for row in measures] == sorted(record.measure.id for record in model.measures())
    for row, record in zip(measures, sorted(model.measures(), key=lambda record: record.measure.id), strict=True):
        involved = [
            link.target for link in record.measure.links if link.relation == "involves" and link.review == "confirmed"
        ]
        assert row["organisations"] == "; ".join(involved) and row["status"] == record.measure.status[-1].value
        assert fingerprint(row["text"]) == fingerprint(record.measure.text)  # the quote, byte for byte
    organisations = list(csv.DictReader(io.StringIO(compiled.files["csv/organisations.csv"].decode("utf-8"))))
    assert {row["id"] for row in organisations} == {
        key for key, entry in model.kb.items() if entry.record.kind == "organisation"
    }
    assert {name for name in compiled.files if name.startswith("csv/")} >= {
        "csv/links.csv",
        "csv/sections.csv",
        "csv/laws.csv",
        "csv/themes.csv",
    }


def test_the_networkx_projection_and_its_analyses(typed: Path, compiled: Compiled, tmp_path: Path) -> None:
    projection = compiled.projection
    path = tmp_path / "graph.graphml"
    path.write_bytes(compiled.files["graph.graphml"])
    again = nx.read_graphml(path)
    assert (again.number_of_nodes(), again.number_of_edges()) == (
        projection.number_of_nodes(),
        projection.number_of_edges(),
    )
    model = load_model(Repo(typed))
    for record in model.measures():
        node = f"measure/{record.measure.id}"
        assert projection.nodes[node]["type"] == "measure"
        relations = {data["relation"] for _, _, data in projection.out_edges(node, data=True)}
        assert relations >= {
            "statedIn",
            *(link.relation for link in record.measure.links if link.review == "confirmed"),
        }
    per_organisation = {row["id"]: row["count"] for row in compiled.analysis["measures_per_organisation"]}
    counted = {}
    for record in model.measures():
        for target in {link.target for link in record.measure.links if link.relation == "involves"}:
            counted[target] = counted.get(target, 0) + 1
    assert per_organisation == counted


def test_compile_writes_build(typed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compile", "--root", str(typed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in (
        "kb.ttl",
        "kb.nt",
        "kb.jsonld",
        "context.jsonld",
        "graph.graphml",
        "analysis.json",
        "policykb.ttl",
        "provenance.ttl",
        "shapes/core.ttl",
        "csv/measures.csv",
    ):
        assert (out / name).is_file(), name
        assert (out / name).stat().st_mode & 0o044, f"{name} must be readable by others (a web server)"


def test_every_dump_carries_the_relation_hierarchy(compiled: Compiled) -> None:
    """A researcher with kb.nt alone can ask for kb:concerns and its sub-relations."""
    from rdflib.namespace import RDFS

    graph = Graph().parse(data=compiled.files["kb.nt"], format="nt")
    assert (KB.implements, RDFS.subPropertyOf, KB.concerns) in graph
    query = "SELECT DISTINCT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* ?top }"
    found = {str(row[0]) for row in graph.query(query, initBindings={"top": KB.concerns})}
    assert str(KB.cites) in found and str(KB.implements) in found


@dataclass
class Legislative:
    """The compiled graph of the corpus below, and the ids of what was added."""

    graph: Graph
    first: str
    novelle: str
    act: str


@pytest.fixture(scope="module")
def legislative(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Legislative:
    """The synthetic corpus with what 1.2 models: a bill with dated stages that amends an act and
    a second bill (a novelle) that amends the first; a package; an EU procedure with a verified
    procedure number; an organisation with an unverified Wikidata id; parties to the agreement."""
    root = tmp_path_factory.mktemp("legislative") / "root"
    shutil.copytree(base, root)
    kb = root / "kb"
    bills = sorted((kb / "bills").glob("*.yaml"))
    act = sorted((kb / "eu-acts").glob("*.yaml"))[0].stem
    first, novelle = bills[0].stem, bills[1].stem
    source = "https://example.org/synthetic/stage"
    with bills[0].open("a", encoding="utf-8") as out:
        out.write(
            f"events:\n  - {{stage: ingediend, date: 2025-01-10, source: '{source}'}}\n"
            f"  - {{stage: aangenomen-tweede-kamer, date: 2025-06-03, source: '{source}'}}\n"
            f"relations:\n  - {{relation: amends, target: {act}}}\n"
        )
    with bills[1].open("a", encoding="utf-8") as out:
        out.write(f"relations:\n  - {{relation: amends, target: {first}}}\n")
    (kb / "eu-procedures").mkdir()
    (kb / "eu-procedures" / "eu-2025-0001-cod.yaml").write_text(
        "id: eu-2025-0001-cod\nkind: eu-procedure\nname: {nl: Voorstel een, en: Proposal one}\n"
        "identifiers:\n  procedure: {value: 2025/0001(COD), source: 'https://example.org/oeil'}\n"
        f"events:\n  - {{stage: voorgesteld, date: 2025-02-01, source: '{source}'}}\n"
        "sources: ['https://example.org/oeil']\n",
        encoding="utf-8",
    )
    (kb / "eu-acts" / "eu-pakket.yaml").write_text(
        f"id: eu-pakket\nkind: eu-package\nname: {{nl: Een pakket, en: A package}}\nparts: [{act}]\n"
        "sources: ['https://example.org/pakket']\n",
        encoding="utf-8",
    )
    organisation = sorted((kb / "organisations").glob("*.yaml"))[0]
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(
        text.replace(
            "identifiers:\n",
            "identifiers:\n  wikidata: {value: Q1, source: 'https://example.org/mirror', status: unverified}\n",
            1,
        )
        if "identifiers:\n" in text
        else text + "identifiers:\n  wikidata: {value: Q1, source: 'https://example.org/mirror', status: unverified}\n",
        encoding="utf-8",
    )
    agreement = root / "policy" / "synthetic" / "agreement.yaml"
    agreement.write_text(
        agreement.read_text(encoding="utf-8").replace("parties: []", "parties: [Partij A, Partij B]"), encoding="utf-8"
    )
    return Legislative(compile_model(Repo(root), load_model(Repo(root))).graph, first, novelle, act)


ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"


def test_bill_stages_are_eli_dl_activities_and_amendments_sit_on_the_draft(legislative: Legislative) -> None:
    graph = legislative.graph
    bill, novelle = ID[f"bill/{legislative.first}"], ID[f"bill/{legislative.novelle}"]
    activities = sorted(graph.objects(bill, URIRef(ELI_DL + "consists_of")))
    assert len(activities) == 2
    assert all((a, RDF.type, URIRef(ELI_DL + "LegislativeActivity")) in graph for a in activities)
    assert sorted(str(graph.value(a, URIRef(ELI_DL + "activity_date"))) for a in activities) == [
        "2025-01-10",
        "2025-06-03",
    ]
    assert {graph.value(a, URIRef(ELI_DL + "had_activity_type")) for a in activities} == {
        ID["stage/ingediend"],
        ID["stage/aangenomen-tweede-kamer"],
    }
    draft = graph.value(bill, KB.draft)
    assert (draft, RDF.type, URIRef(ELI_DL + "DraftLegislationWork")) in graph
    changed = graph.value(draft, URIRef(ELI_DL + "foresees_change_of"))
    assert changed is not None and (changed, RDF.type, ELI.LegalResource) in graph
    assert (bill, ELI.amends, None) not in graph and (draft, ELI.amends, None) not in graph
    # the novelle foresees a change of the first bill's draft, not of the process
    assert graph.value(graph.value(novelle, KB.draft), URIRef(ELI_DL + "foresees_change_of")) == draft
    conforms, violations = validate(graph)
    assert conforms, violations[:3]


def test_the_package_is_no_legal_act(legislative: Legislative) -> None:
    graph = legislative.graph
    package = ID["eu-act/eu-pakket"]
    assert (package, RDF.type, KB.Package) in graph
    assert (package, RDF.type, ELI.LegalResource) not in graph
    assert graph.value(package, DCTERMS.hasPart) is not None
    assert graph.value(package, KB.jurisdiction) == ID["jurisdiction/eu"]


def test_join_keys_come_from_verified_identifiers_only(legislative: Legislative) -> None:
    graph = legislative.graph
    procedure = ID["procedure/eu-2025-0001-cod"]
    assert graph.value(procedure, SKOS.exactMatch) == URIRef("https://data.europarl.europa.eu/eli/dl/proc/2025-0001")
    wikidata = URIRef("http://www.wikidata.org/entity/Q1")
    assert (None, None, wikidata) not in graph  # unverified: no link of any kind to another dataset
    unverified = [node for node in graph.subjects(KB.verified, Literal(False))]
    assert unverified, "the corpus has unverified and derived identifiers"
    for node in unverified:
        value = str(graph.value(node, RDF.value))
        record = graph.value(None, KB.hasIdentifier, node)
        linked = {
            str(o)
            for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, RDFS.seeAlso)
            for o in graph.objects(record, p)
        }
        assert not any(value in link for link in linked), (record, value, linked)
    flags = {
        str(graph.value(node, KB.verification)): graph.value(node, KB.verified).toPython()
        for node in graph.subjects(RDF.type, KB.Identifier)
    }
    assert flags == {"verified": True, "derived": False, "unverified": False}


def test_parties_and_jurisdictions_are_queryable(legislative: Legislative) -> None:
    graph = legislative.graph
    parties = sorted(graph.objects(ID["agreement/synthetic"], DCTERMS.contributor))
    assert parties == [ID["party/partij-a"], ID["party/partij-b"]]
    assert all((party, RDF.type, KB.PoliticalParty) in graph for party in parties)
    assert graph.value(ID[f"bill/{legislative.first}"], KB.jurisdiction) == ID["jurisdiction/nl"]
    act = next(graph.subjects(DCTERMS.identifier, Literal(legislative.act)))
    assert graph.value(act, ELI.jurisdiction) == ID["jurisdiction/eu"]


def test_the_json_ld_writer_gives_rdflibs_bytes(compiled: Compiled, graph: Graph) -> None:
    from policykb.compile import dumps

    names = compiled.builder.names
    assert dumps.jsonld(graph, names) == dumps.jsonld(graph, names, "rdflib") == compiled.files["kb.jsonld"]
    literals = Graph()  # every kind of literal, beside the corpus's own shapes of node
    subject, other = URIRef("https://w3id.org/policykb/id/x/a"), URIRef("https://w3id.org/policykb/id/x/b")
    for value in (
        Literal("tekst"),
        Literal("typed", datatype=URIRef("http://www.w3.org/2001/XMLSchema#string")),
        Literal("nl", lang="nl"),
        Literal(True),
        Literal(3),
        Literal(2.5),
        Literal("1.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        Literal("2026-12-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
        Literal("geen getal", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
        Literal("NaN", datatype=URIRef("http://www.w3.org/2001/XMLSchema#double")),
    ):
        literals.add((subject, RDFS.comment, value))
    literals.add((subject, RDF.type, KB.Measure))
    literals.add((subject, DCTERMS.relation, other))
    literals.add((other, RDF.type, OWL.Thing))
    assert dumps.jsonld(literals, names) == dumps.jsonld(literals, names, "rdflib")
    literals.add((other, RDF.type, Literal("een type als tekst")))
    assert dumps._nodes(literals, dumps.context(names)["@context"]) is None  # not the writer's: rdflib writes it


def test_a_literal_with_a_line_separator_stays_one_triple() -> None:
    from policykb.compile import dumps
    from policykb.compile.terms import iris

    graph = Graph()
    text = "een\u2028twee\x0cdrie\x85vier"  # Word's line separator, a form feed from a PDF, NEL
    graph.add((URIRef("https://w3id.org/policykb/id/x/a"), RDFS.comment, Literal(text, lang="nl")))
    graph.add((URIRef("https://w3id.org/policykb/id/x/b"), RDFS.label, Literal("b")))
    triples = dumps.ntriples(graph)
    assert triples.count(b"\n") == 2
    assert isomorphic(Graph().parse(data=triples, format="nt"), graph)
    assert isomorphic(Graph().parse(data=dumps.turtle(triples, iris()), format="turtle"), graph)
