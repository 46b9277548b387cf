"""The researcher's cookbook (queries/examples/): each answer worked out by hand from the text first.

Every query runs on both engines, which must agree. Where the chapter's answer is trivial (every
measure is `not-started`), a small synthetic fixture with varied statuses proves the query works.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from conftest import REPO, WORDS
from policykb import yamlio
from policykb.cli import main
from policykb.compile.rdf import build_graph
from policykb.load import load_model
from policykb.query import ENGINES, QueryError, Results, open_store
from policykb.repo import Repo
from policykb.resources import QUERIES
from policykb.synth import generate

EXAMPLES = QUERIES / "examples"
ID = "https://w3id.org/policykb/id/"


@cache
def chapter() -> Graph:
    return build_graph(load_model(Repo(REPO)))


def run(name: str, graph: Graph | None = None) -> list[tuple[str, ...]]:
    """The rows of an example, terms shortened; both engines must give the same rows."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    answers = []
    for engine in ENGINES:
        results = open_store(engine, graph if graph is not None else chapter()).query(text)
        answers.append(rows(results))
    assert answers[0] == answers[1], "oxigraph and rdflib disagree"
    return answers[0]


def rows(results: Results) -> list[tuple[str, ...]]:
    return [tuple("" if term is None else term.value.removeprefix(ID) for term in row) for row in results.rows]


def test_every_example_has_a_title_and_a_description_and_a_test() -> None:
    tested = {name for name in globals() if name.startswith("test_")}
    for path in sorted(EXAMPLES.glob("*.rq")):
        head = path.read_text(encoding="utf-8").splitlines()
        assert head[0].startswith("# title: ") and head[1].startswith("# description: "), path.name
        if "# federated: true" not in head:
            assert f"test_{path.stem.replace('-', '_')}" in tested, f"{path.name} has no test"


def test_measures_per_organisation() -> None:
    # By hand: "gemeenten" is named in ami-asi-001 (flexibele plekken door gemeenten), ami-asi-003
    # (convenant met gemeenten), ami-fat-005 (gemeentelijke bedrijfseffectrapportages), ami-har-004
    # (gemeenten met een aanmeldcentrum), ami-mee-006 (pilots in verschillende gemeenten),
    # ami-nat-005 (een aantal gemeenten), and implied in ami-mee-007 (the Participatiewet benefit);
    # the IND in ami-nat-003, ami-nat-004, ami-asi-004 and (implied) ami-har-001; the COA in
    # ami-asi-001, ami-asi-004, ami-nat-004 and (implied, de opvang) ami-asi-002 — not ami-asi-003,
    # whose "COA-locaties" was rejected.
    answer = {row[0]: int(row[2]) for row in run("measures-per-organisation.rq")}
    assert answer["organisation/gemeenten"] == 7
    assert answer["organisation/ind"] == 4 and answer["organisation/coa"] == 4
    assert answer["organisation/eerste-kamer"] == 1
    assert list(answer)[0] == "organisation/gemeenten"


def test_measures_concerning_the_eu_pact() -> None:
    # By hand: ami-hel-003 ("Conform het EU-migratiepact … buitengrensprocedure", "solidariteits-
    # mechanisme binnen het Pact", "gesloten opvang"), ami-nat-003 ("minimumnormen uit het
    # EU-migratiepact", "conform Europese regelgeving"), ami-mee-009 ("verdwijnt onder het Europese
    # migratiepact") and ami-hel-001 (hervestiging: the resettlement framework, one of the ten acts).
    # ami-hel-002's bandencriterium amends 2024/1348 but is not part of the Pact.
    answer = run("measures-concerning-the-eu-pact.rq")
    assert sorted({row[0] for row in answer}) == [
        "measure/ami-hel-001",
        "measure/ami-hel-003",
        "measure/ami-mee-009",
        "measure/ami-nat-003",
    ]
    assert (
        "measure/ami-hel-003",
        "http://data.europa.eu/eli/reg/2024/1351/oj",
        "https://w3id.org/policykb/def#implements",
    ) in answer
    assert (
        "measure/ami-mee-009",
        "http://data.europa.eu/eli/reg/2024/1347/oj",
        "https://w3id.org/policykb/def#cites",
    ) in answer


def test_measures_waiting_on_the_eerste_kamer() -> None:
    # By hand: only ami-nat-001 is conditional ("Indien de Asielnoodmaatregelenwet en/of de Wet
    # Invoering Tweestatusstelsel zijn aangenomen door de Eerste Kamer"); both bills' latest events
    # in kb/ are steps of the Eerste Kamer's handling, with no vote recorded.
    assert run("measures-waiting-on-the-eerste-kamer.rq") == [
        ("measure/ami-nat-001", "bill/kst-36703", "Wet invoering tweestatusstelsel", "aangenomen-eerste-kamer"),
        ("measure/ami-nat-001", "bill/kst-36704", "Asielnoodmaatregelenwet", "aangenomen-eerste-kamer"),
    ]


def test_ind_quotes_and_pages() -> None:
    # By hand: the IND is named in the bullets "De IND moet sneller kunnen beslissen …" (ami-nat-003)
    # and "We willen dat Vluchtelingenwerk, in samenwerking met COA en IND, …" (ami-nat-004), in the
    # promoted sentence "(IND, COA, Nidos en DT&V)" (ami-asi-004), and implied by "het besluit op de
    # asielaanvraag" (ami-har-001). All stand after the page-37 footer, so no page is known.
    answer = run("ind-quotes-and-pages.rq")
    assert [row[0] for row in answer] == [
        "measure/ami-nat-003",
        "measure/ami-nat-004",
        "measure/ami-har-001",
        "measure/ami-asi-004",
    ]
    assert all(row[1] == "" for row in answer)
    text = (REPO / "policy" / "coalitieakkoord-2026" / "text.txt").read_text(encoding="utf-8")
    for _, _, start, end, quote in answer:
        assert text[int(start) : int(end)] == quote
    assert answer[1][4].startswith("We willen dat Vluchtelingenwerk, in samenwerking met COA en IND")


def test_measures_without_confirmed_link() -> None:
    # By hand: six bullets name no body, law or document and imply none the register lists: the
    # pilot for skilled workers (ami-fat-006), the top-x approach (ami-har-002), daytime activities
    # (ami-har-005), language lessons (ami-mee-002), the Meedoenbalie (ami-mee-003) and the
    # Ervaringscertificaten (ami-mee-008).
    answer = run("measures-without-confirmed-link.rq")
    assert [row[0] for row in answer] == [
        f"measure/{key}"
        for key in ("ami-fat-006", "ami-har-002", "ami-har-005", "ami-mee-002", "ami-mee-003", "ami-mee-008")
    ]
    assert all(row[2] for row in answer), "each states why no organisation is involved"


def test_measures_by_status() -> None:
    # The chapter: every measure was assessed once, not started.
    assert run("measures-by-status.rq") == [("status/not-started", "niet begonnen", "39")]


def test_measures_by_status_on_a_fixture_with_varied_statuses(tmp_path: Path) -> None:
    repo = generate(tmp_path, measures=12, words=WORDS, records=12, seed=5)
    paths = sorted((repo.policy / "synthetic" / "measures").glob("*.yaml"))
    later = {0: "in-progress", 1: "in-progress", 2: "in-progress", 3: "done", 4: "stalled"}
    for index, value in later.items():
        raw = yamlio.load(paths[index])
        raw["status"].append(
            {"date": "2027-01-15", "value": value, "evidence": ["https://example.org/synthetic/evidence"]}
        )
        paths[index].write_text(yamlio.dumps(raw).replace("'2027-01-15'", "2027-01-15"), encoding="utf-8")
    answer = run("measures-by-status.rq", build_graph(load_model(repo)))
    assert answer == [
        ("status/not-started", "niet begonnen", "7"),
        ("status/in-progress", "in uitvoering", "3"),
        ("status/done", "gerealiseerd", "1"),
        ("status/stalled", "vastgelopen", "1"),
    ]


def test_the_federated_example_is_marked_and_never_run() -> None:
    federated = [path for path in EXAMPLES.glob("*.rq") if "# federated: true" in path.read_text(encoding="utf-8")]
    assert [path.name for path in federated] == ["federated-wikidata.rq"]
    assert "SERVICE <https://query.wikidata.org/sparql>" in federated[0].read_text(encoding="utf-8")


# --- the command ------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_syntax_error_is_located_not_a_traceback(engine: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x\nWHERE {\n  ?x ?y ?z FILTER (?x = )\n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(bad), "--engine", engine, "--data", str(_dump(tmp_path))])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:") and "Traceback" not in result.output
    assert int(result.output.split(":")[1]) == 3, result.output


def _dump(folder: Path) -> Path:
    path = folder / "kb.nt"
    if not path.is_file():
        chapter().serialize(path, format="nt")
    return path


@pytest.mark.parametrize("output", ["table", "csv", "tsv", "json"])
def test_outputs(output: str, tmp_path: Path) -> None:
    query = (
        "PREFIX kb: <https://w3id.org/policykb/def#> SELECT ?m ?label WHERE { "
        '?m kb:involves/<http://purl.org/dc/terms/identifier> "nidos" ; '
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?m"
    )
    result = CliRunner().invoke(main, ["query", "-e", query, "--format", output, "--data", str(_dump(tmp_path))])
    assert result.exit_code == 0, result.output
    text = result.output
    if output == "table":
        assert "id:measure/ami-asi-002" in text and "(2 rows)" in text
    elif output == "csv":
        assert text.splitlines()[0] == "m,label" and f"{ID}measure/ami-asi-002," in text
        assert result.stdout_bytes.startswith(b"m,label\r\n")  # the SPARQL 1.1 CSV format ends lines in CRLF
    elif output == "tsv":
        assert text.splitlines()[0] == "?m\t?label" and f'<{ID}measure/ami-asi-002>\t"' in text and '"@nl' in text
    else:
        import json

        data = json.loads(text)
        assert data["head"]["vars"] == ["m", "label"]
        first = data["results"]["bindings"][0]
        assert first["m"] == {"type": "uri", "value": f"{ID}measure/ami-asi-002"} and first["label"]["xml:lang"] == "nl"


def test_query_needs_exactly_one_query() -> None:
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 2 and "give a query FILE or -e" in result.output


def test_an_evaluation_error_is_reported(tmp_path: Path) -> None:
    with pytest.raises(QueryError):
        open_store("oxigraph", chapter()).query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
