"""`policykb compile`: the RDF contract, byte-stable dumps that parse back, the vocabulary, the
NetworkX projection and the CSV tables, on the real chapter."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from conftest import REPO
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


@cache
def compiled() -> Compiled:
    return compile_model(Repo(REPO), load_model(Repo(REPO)))


def graph() -> Graph:
    return compiled().graph


def test_compiling_twice_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = compile_model(Repo(REPO), load_model(Repo(REPO)))
    second = compile_model(Repo(REPO), load_model(Repo(REPO)))
    assert first.files == second.files
    assert b"2026-09-21T" in first.files["provenance.ttl"]


@pytest.mark.parametrize(("name", "rdf_format"), [("kb.ttl", "turtle"), ("kb.nt", "nt"), ("kb.jsonld", "json-ld")])
def test_every_dump_parses_back_to_the_same_graph(name: str, rdf_format: str) -> None:
    parsed = Graph().parse(data=compiled().files[name].decode("utf-8"), format=rdf_format)
    assert len(parsed) == len(graph()) > 3000
    assert isomorphic(parsed, graph())


def test_the_json_ld_context_is_embedded_and_shipped_beside_it() -> None:
    document = json.loads(compiled().files["kb.jsonld"])
    shipped = json.loads(compiled().files["context.jsonld"])
    assert document["@context"] == shipped["@context"]
    assert not any(
        isinstance(value, str) and value.startswith("http") and value.endswith(".jsonld")
        for value in document["@context"].values()
    )
    assert shipped["@context"]["kb"] == "https://w3id.org/policykb/def#"


def test_n_triples_are_sorted_and_there_are_no_blank_nodes() -> None:
    lines = compiled().files["kb.nt"].decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert not any(isinstance(term, BNode) for triple in graph() for term in triple)


def test_the_compiled_chapter_conforms_to_the_shapes() -> None:
    conforms, violations = validate(graph())
    assert conforms, violations[:5]


def test_a_measure_as_the_contract_says() -> None:
    g = graph()
    measure = ID["measure/ami-nat-001"]
    assert (measure, RDF.type, KB.Measure) in g
    assert g.value(measure, KB.statedIn) == ID["section/coalitieakkoord-2026/ami-nationale-maatregelen"]
    assert (g.value(measure, KB.statedIn), RDF.type, ELI.WorkSubdivision) in g
    span = g.value(measure, KB.hasSourceSpan)
    assert (span, RDF.type, OA.Annotation) in g and g.value(span, OA.hasBody) == measure
    target = g.value(span, OA.hasTarget)
    selectors = {g.value(selector, RDF.type): selector for selector in g.objects(target, OA.hasSelector)}
    quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
    text = (REPO / "policy" / "coalitieakkoord-2026" / "text.txt").read_text(encoding="utf-8")
    start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
    assert str(g.value(quote, OA.exact)) == text[start:end]
    assert text[start - 32 : start] == str(g.value(quote, OA.prefix))
    assert g.value(g.value(target, OA.hasSource), KB.sha256) == Literal(sha256_bytes(text.encode("utf-8")))
    assert g.value(measure, KB.status) == ID["status/not-started"]
    assert {
        g.value(requirement, KB.process) for requirement in g.objects(g.value(measure, KB.condition), KB.requires)
    } == {ID["bill/kst-36704"], ID["bill/kst-36703"]}


def test_every_typed_link_also_states_its_super_property() -> None:
    g = graph()
    typed = [KB.implements, KB.amends, KB.repeals, KB.dependsOn, KB.supports, KB.followsAdviceOf, KB.cites]
    pairs = [(s, o) for p in typed for s, o in g.subject_objects(p)]
    assert len(pairs) > 20
    assert all((s, KB.concerns, o) in g for s, o in pairs)


def test_records_use_public_iris_labels_and_abbreviations() -> None:
    g = graph()
    pact = ID["eu-act/eu-migratiepact"]
    parts = set(g.objects(pact, DCTERMS.hasPart))
    assert len(parts) == 10 and URIRef("http://data.europa.eu/eli/reg/2024/1351/oj") in parts
    assert (URIRef("http://data.europa.eu/eli/reg/2024/1351/oj"), ELI.id_local, Literal("32024R1351")) in g
    ind = ID["organisation/ind"]
    assert {label.language for label in g.objects(ind, SKOS.prefLabel)} == {"nl", "en"}
    assert Literal("IND") in set(g.objects(ind, SKOS.altLabel))
    for identifier in g.objects(URIRef("http://data.europa.eu/eli/reg/2024/1351/oj"), KB.hasIdentifier):
        assert g.value(identifier, DCTERMS.source) is not None or str(g.value(identifier, KB.verification)) == "derived"
    assert (ID["theme/integratie"], SKOS.exactMatch, URIRef("http://eurovoc.europa.eu/1462")) in g


def test_the_vocabulary_defines_every_kb_term_with_labels_domain_and_comment() -> None:
    vocabulary = Graph().parse(PACKAGE_SCHEMA / "policykb.ttl")
    defined = {str(s).removeprefix(str(KB)) for s in vocabulary.subjects(RDF.type, None) if str(s).startswith(str(KB))}
    names = default_vocabulary()
    assert {names.property_of(relation) for relation in names.relations} <= defined
    assert {curie.removeprefix("kb:") for _, _, curie in names.curies() if curie.startswith("kb:")} <= defined
    for term in sorted(defined):
        subject = KB[term]
        assert {label.language for label in vocabulary.objects(subject, RDFS.label)} == {"nl", "en"}, term
        assert {comment.language for comment in vocabulary.objects(subject, RDFS.comment)} == {"nl", "en"}, term
    used = {p for _, p, _ in graph()} | {o for _, p, o in graph() if p == RDF.type}
    assert {str(term).removeprefix(str(KB)) for term in used if str(term).startswith(str(KB))} <= defined
    assert (KB.implements, RDFS.subPropertyOf, KB.concerns) in vocabulary
    assert (KB.Measure, RDF.type, OWL.Class) in vocabulary


def test_a_misspelled_term_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        KB.implemnts  # noqa: B018
    with pytest.raises(AttributeError):
        ELI.date_documnt  # noqa: B018


def test_the_base_iri_is_one_setting(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compile", "--root", str(REPO), "--out", str(tmp_path), "--base", "https://example.org/kb/"]
    )
    assert result.exit_code == 0, result.output
    g = Graph().parse(tmp_path / "kb.ttl")
    assert (
        URIRef("https://example.org/kb/id/measure/ami-nat-001"),
        RDF.type,
        URIRef("https://example.org/kb/def#Measure"),
    ) in g
    assert "w3id.org" not in (tmp_path / "kb.ttl").read_text(encoding="utf-8")
    assert "<https://example.org/kb/def#>" in (tmp_path / "policykb.ttl").read_text(encoding="utf-8")
    assert validate(
        g,
        Graph().parse(data=(tmp_path / "shapes" / "core.ttl").read_text(encoding="utf-8"))
        + Graph().parse(tmp_path / "shapes" / "vocabularies.ttl"),
    )[0]
    bad = CliRunner().invoke(main, ["compile", "--root", str(REPO), "--out", str(tmp_path), "--base", "example.org"])
    assert bad.exit_code == 2 and "--base" in bad.output


def test_provenance_names_the_sources_commit_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    provenance = Graph().parse(
        data=compile_model(Repo(REPO), load_model(Repo(REPO))).files["provenance.ttl"], format="turtle"
    )
    folder = REPO / "policy" / "coalitieakkoord-2026"
    hashes = {str(o) for o in provenance.objects(None, KB.sha256)}
    assert {
        sha256_bytes((folder / "source.txt").read_bytes()),
        sha256_bytes((folder / "text.txt").read_bytes()),
    } <= hashes
    assert any(str(o).startswith("git:") for o in provenance.objects(None, DCTERMS.identifier))


def test_csv_tables_for_spreadsheet_users() -> None:
    measures = list(csv.DictReader(io.StringIO(compiled().files["csv/measures.csv"].decode("utf-8"))))
    assert len(measures) == 39
    row = next(row for row in measures if row["id"] == "ami-nat-004")
    assert row["organisations"] == "vluchtelingenwerk-nederland; coa; ind" and row["status"] == "not-started"
    assert fingerprint(row["text"]) == fingerprint(
        next(r.measure.text for r in load_model(Repo(REPO)).measures() if r.measure.id == "ami-nat-004")
    )
    organisations = list(csv.DictReader(io.StringIO(compiled().files["csv/organisations.csv"].decode("utf-8"))))
    assert any(row["id"] == "ind" and "IND" in row["aliases"] for row in organisations)
    assert {name for name in compiled().files if name.startswith("csv/")} >= {
        "csv/links.csv",
        "csv/sections.csv",
        "csv/eu-acts.csv",
        "csv/bills.csv",
        "csv/themes.csv",
    }


def test_the_networkx_projection_and_its_analyses(tmp_path: Path) -> None:
    projection = compiled().projection
    path = tmp_path / "graph.graphml"
    path.write_bytes(compiled().files["graph.graphml"])
    again = nx.read_graphml(path)
    assert (
        again.number_of_nodes() == projection.number_of_nodes()
        and again.number_of_edges() == projection.number_of_edges()
    )
    assert projection.nodes["measure/ami-nat-004"]["type"] == "measure"
    assert {data["relation"] for _, _, data in projection.out_edges("measure/ami-nat-001", data=True)} >= {
        "implements",
        "involves",
        "waitsOn",
        "statedIn",
    }
    analysis = compiled().analysis
    # ami-nat-001 waits for the Eerste Kamer to adopt both bills; kb/ records no such vote.
    waiting = {entry["measure"]: entry["reasons"] for entry in analysis["waiting"]}
    assert waiting["ami-nat-001"] == [
        {"on": "kst-36704", "waits_for": "aangenomen-eerste-kamer"},
        {"on": "kst-36703", "waits_for": "aangenomen-eerste-kamer"},
    ]
    assert analysis["measures_per_organisation"][0] == {
        "id": "gemeenten",
        "count": 7,
        "measures": [
            "ami-asi-001",
            "ami-asi-003",
            "ami-fat-005",
            "ami-har-004",
            "ami-mee-006",
            "ami-mee-007",
            "ami-nat-005",
        ],
    }
    pact_group = next(group for group in analysis["groups"] if "eu-migratiepact" in group["instruments"])
    assert {"ami-hel-003", "ami-nat-003", "ami-mee-009"} <= set(pact_group["measures"])


def test_compile_writes_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compile", "--root", str(REPO), "--out", str(tmp_path)])
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
        assert (tmp_path / name).is_file(), name
        assert (tmp_path / name).stat().st_mode & 0o044, f"{name} must be readable by others (a web server)"
