"""The vocabulary in one place: loaded strictly with located problems, and extended by YAML alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from conftest import copy_of
from policykb import yamlio
from policykb.cli import main
from policykb.compile.terms import ELI
from policykb.problems import DataError
from policykb.vocab import PACKAGE_SCHEMA, load_vocabulary


def vocabulary_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schema"
    shutil.copytree(PACKAGE_SCHEMA, folder)
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("kinds.yaml", "nl: wetsvoorstel, ", "", "kinds.yaml:17: bill.nl: Field required"),
        (
            "relations.yaml",
            "parent: concerns, target: instrument, definition: 'The measure carries out",
            "parent: concern, target: instrument, definition: 'The measure carries out",
            "relations.yaml:7: implements: parent 'concern' is not a relation",
        ),
        (
            "kinds.yaml",
            "adopted: [vastgesteld]",
            "adopted: [aangenomen]",
            "kinds.yaml:22: eu-procedure: adopted stage 'aangenomen' is not in stages.yaml",
        ),
        (
            "identifiers.yaml",
            "examples: [BWBR0011823]",
            "examples: [BWB0011823]",
            "identifiers.yaml:31: bwb: example 'BWB0011823' does not match the pattern",
        ),
        (
            "statuses.yaml",
            "en: stalled, ",
            "en: stalled, colour: red, ",
            "statuses.yaml:7: stalled.colour: unknown field",
        ),
    ],
    ids=["missing-label", "unknown-parent", "unknown-stage", "example-off-pattern", "unknown-field"],
)
def test_a_broken_vocabulary_is_a_located_problem(tmp_path: Path, file: str, old: str, new: str, expected: str) -> None:
    folder = vocabulary_copy(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_vocabulary(folder)
    assert expected in "\n".join(problem.shown(tmp_path) for problem in error.value.problems)


KIND = (
    "provincial-regulation: {folder: provincial-regulations, class: instrument, "
    "rdf: ['eli:LegalResource'], path: provincial-regulation, "
    "legal: true, official_identifier: true, adopted: [in-werking-getreden], "
    "nl: provinciale verordening, en: provincial regulation}\n"
)
SCHEME = (
    "cvdr:\n  pattern: '^CVDR\\d{6}$'\n  label: Decentral regulation (test "
    "scheme)\n  nl: CVDR-nummer\n  examples: [CVDR123456]\n  official: true\n"
    "  local_id: true\n  lookup: 'https://example.org/cvdr/{value}'\n"
)
RECORD = """id: omgevingsverordening-test
kind: provincial-regulation
name: {nl: Omgevingsverordening Test, en: Environment Regulation Test}
aliases: [Omgevingsverordening Test]
identifiers:
  cvdr: {value: CVDR654321, source: 'https://example.org/synthetic/cvdr'}
"""


def test_a_new_kind_and_a_new_identifier_scheme_need_yaml_alone(base: Path, tmp_path: Path) -> None:
    """A repository adds a kind and a scheme to its own copy of the vocabulary; every stage then
    handles a record of that kind: validate, link, compile (RDF types, eli:id_local), check
    (identifier coverage, SHACL with the scheme's pattern) and the site (its page, in Dutch)."""
    root = copy_of(base, tmp_path)
    folder = root / "schema"
    shutil.copytree(PACKAGE_SCHEMA, folder)
    with (folder / "kinds.yaml").open("a", encoding="utf-8") as stream:
        stream.write(KIND)
    with (folder / "identifiers.yaml").open("a", encoding="utf-8") as stream:
        stream.write(SCHEME)
    record = root / "kb" / "provincial-regulations" / "omgevingsverordening-test.yaml"
    record.parent.mkdir()
    record.write_text(RECORD, encoding="utf-8")
    measure = sorted((root / "policy" / "synthetic" / "measures").glob("*.yaml"))[0]
    raw = yamlio.load(measure)
    raw["links"].append(
        {
            "target": "omgevingsverordening-test",
            "relation": "implements",
            "justification": "Test: the measure carries it out.",
            "added": "curator",
            "review": "confirmed",
            "reviewed": raw["source"]["fingerprint"],
        }
    )
    measure.write_text(yamlio.dumps(raw), encoding="utf-8")

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, [*args, "--root", str(root)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("schema")  # the root's generated shapes and JSON Schemas follow its vocabulary
    assert "'^CVDR\\\\d{6}$'" in (folder / "shapes" / "vocabularies.ttl").read_text(encoding="utf-8").replace('"', "'")
    run("validate")
    run("link", "--check")
    run("compile")
    graph = Graph().parse(root / "build" / "kb.nt")
    iri = URIRef("https://w3id.org/policykb/id/provincial-regulation/omgevingsverordening-test")
    assert (iri, RDF.type, ELI.LegalResource) in graph and str(graph.value(iri, ELI.id_local)) == "CVDR654321"
    assert "passed" in run("check")
    run("site", "--out", str(tmp_path / "site"))
    page = (tmp_path / "site" / "instrument" / "omgevingsverordening-test" / "index.html").read_text(encoding="utf-8")
    assert "provinciale verordening" in page and "https://example.org/cvdr/CVDR654321" in page
