"""The dataset description (`build/dataset.ttl`, DCAT-AP-NL and VoID) on a copy of the synthetic
corpus: complete with a `dataset.yaml`, conforming to the shapes written from DCAT-AP-NL 3.0,
every distribution's size and checksum those of the file written; without one, exactly what is
missing is said."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from conftest import copy_of
from policykb.compile.shacl import validate
from policykb.resources import VOCABULARY

POLICYKB = str(Path(sys.executable).parent / "policykb")
SHAPES = Graph().parse(VOCABULARY / "dataset-shapes.ttl")
SPDX = "http://spdx.org/rdf/terms#"
COMPLETE = """\
publisher: {name: Ministerie van Voorbeeldzaken, url: 'https://example.org/ministerie'}
contact: {name: Team open data, email: opendata@example.org}
themes: [GOVE, JUST]
issued: 2026-11-30
endpoint: 'https://example.org/sparql'
"""


def compiled(root: Path) -> tuple[Graph, Path, str]:
    result = subprocess.run([POLICYKB, "compile", "--root", str(root)], capture_output=True, text=True, check=True)
    return Graph().parse(root / "build" / "dataset.ttl"), root / "build", result.stdout


def test_a_complete_description_conforms_and_its_checksums_are_the_files(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    (root / "dataset.yaml").write_text(COMPLETE, encoding="utf-8")
    graph, build, output = compiled(root)
    conforms, violations = validate(graph, SHAPES)
    assert conforms, violations
    assert "not yet registrable" not in output
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)
    assert (dataset, DCTERMS.license, URIRef("http://creativecommons.org/publicdomain/zero/1.0/deed.nl")) in graph
    distributions = list(graph.objects(dataset, DCAT.distribution))
    names = {str(url).rsplit("/", 1)[1] for d in distributions for url in graph.objects(d, DCAT.downloadURL)}
    assert {"kb.ttl", "kb.nt", "kb.jsonld", "graph.graphml", "measures.csv"} <= names
    for distribution in distributions:
        name = str(distribution).split("/distribution/", 1)[1]
        data = (build / name).read_bytes()
        size = graph.value(distribution, DCAT.byteSize)
        assert isinstance(size, Literal) and int(size) == len(data)
        checksum = graph.value(distribution, URIRef(SPDX + "checksum"))
        assert str(graph.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha256(data).hexdigest()
    triples = len(Graph().parse(build / "kb.nt"))
    assert int(graph.value(dataset, VOID.triples)) == triples
    assert str(graph.value(dataset, DCTERMS.issued)) == "2026-11-30"
    [service] = graph.subjects(DCAT.servesDataset, dataset)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == graph.value(dataset, VOID.sparqlEndpoint)
    assert graph.value(service, DCAT.endpointURL) == URIRef("https://example.org/sparql")


def test_the_release_is_kept_under_its_version_with_checksums_sha256sum_checks(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    graph, build, _ = compiled(root)
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)
    version = str(graph.value(dataset, URIRef("http://www.w3.org/ns/dcat#version")))
    release = build / "release" / version
    listed = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in listed]
    assert {"kb.nt", "kb.ttl", "kb.jsonld", "dataset.ttl", "policykb.ttl", "graph.graphml"} <= set(names)
    assert "analysis.json" not in names and (release / "kb.nt").read_bytes() == (build / "kb.nt").read_bytes()
    check = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=release, capture_output=True)
    assert check.returncode == 0, check.stdout
    # changed data is another release; the first stays
    measure = next((root / "policy").glob("*/measures/*.yaml"))
    measure.write_text(measure.read_text(encoding="utf-8").replace("title: ", "title: Anders ", 1), encoding="utf-8")
    compiled(root)
    assert len(list((build / "release").iterdir())) == 2 and (release / "SHA256SUMS").is_file()


def test_without_dataset_yaml_exactly_the_missing_facts_are_said(base: Path, tmp_path: Path) -> None:
    graph, _, output = compiled(copy_of(base, tmp_path))
    assert "dataset.yaml gives no publisher and no contact" in output
    conforms, violations = validate(graph, SHAPES)
    assert not conforms
    paths = {violation.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for violation in violations}
    assert paths == {"publisher", "contactPoint", "creator"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("contact: {name: Team}\n", "a contact needs an `email` or a `url`"),
        ("themes: [government]\n", "themes.0"),
        ("publisher: {naam: X}\n", "publisher"),
    ],
)
def test_a_bad_dataset_yaml_is_located(base: Path, tmp_path: Path, text: str, message: str) -> None:
    root = copy_of(base, tmp_path)
    (root / "dataset.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([POLICYKB, "compile", "--root", str(root)], capture_output=True, text=True)
    assert result.returncode == 2 and "dataset.yaml:1" in result.stderr and message in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("sparql", "path"),
    [
        (
            "DELETE { ?d dcat:byteSize ?s } INSERT { ?d dcat:byteSize ?t } "
            "WHERE { ?d dcat:byteSize ?s BIND (STRDT(STR(?s), xsd:integer) AS ?t) }",
            "byteSize",
        ),
        (
            "DELETE { ?d dcat:theme ?t } INSERT { ?d dcat:theme "
            "<http://publications.europa.eu/resource/authority/data-theme/XXXX> } WHERE { ?d dcat:theme ?t }",
            "theme",
        ),
        ("DELETE WHERE { ?c spdx:checksumValue ?v }", "checksum"),
        ("DELETE WHERE { ?l a dcterms:LicenseDocument }", "license"),
        ("DELETE WHERE { ?s dcat:endpointURL ?e }", "endpointURL"),
    ],
    ids=["size-as-integer", "invented-theme", "no-checksum-value", "licence-untyped", "service-without-endpoint"],
)
def test_the_shapes_catch_a_broken_description(base: Path, tmp_path: Path, sparql: str, path: str) -> None:
    root = copy_of(base, tmp_path)
    (root / "dataset.yaml").write_text(COMPLETE, encoding="utf-8")
    graph, _, _ = compiled(root)
    prefixes = (
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    )
    graph.update(prefixes + sparql)
    conforms, violations = validate(graph, SHAPES)
    assert not conforms and any(path in (violation.path or "") for violation in violations), violations
