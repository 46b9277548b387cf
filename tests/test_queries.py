"""The researcher's cookbook and `policykb query`, on the synthetic corpus: every example runs on
both engines, which must agree; the command's formats and errors. Each example's answer on the
chapter, worked out by hand from the text first, is a fact of the chapter (test_chapter.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from conftest import WORDS
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


@pytest.fixture(scope="module")
def synthetic(base: Path) -> Graph:
    return build_graph(load_model(Repo(base)))


def run(name: str, graph: Graph) -> list[tuple[str, ...]]:
    """The rows of an example, terms shortened; both engines must give the same rows."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    answers = []
    for engine in ENGINES:
        results = open_store(engine, graph).query(text)
        answers.append(rows(results))
    assert answers[0] == answers[1], "oxigraph and rdflib disagree"
    return answers[0]


def rows(results: Results) -> list[tuple[str, ...]]:
    return [tuple("" if term is None else term.value.removeprefix(ID) for term in row) for row in results.rows]


def local_examples() -> list[Path]:
    return [
        path for path in sorted(EXAMPLES.glob("*.rq")) if "# federated: true" not in path.read_text(encoding="utf-8")
    ]


def test_every_example_has_a_title_a_description_and_a_hand_worked_answer() -> None:
    import test_chapter
    from policykb.site.hooks import query_header

    for path in sorted(EXAMPLES.glob("*.rq")):
        head = query_header(path.read_text(encoding="utf-8"))
        # a Dutch title and explanation for the site, an English description for the docs
        assert {"title", "toelichting", "description"} <= set(head), path.name
        assert head["toelichting"].endswith(".") and len(head["toelichting"]) > 60, path.name
    for path in local_examples():
        assert hasattr(test_chapter, f"test_{path.stem.replace('-', '_')}"), (
            f"{path.name} has no answer worked out by hand"
        )


@pytest.mark.parametrize("name", [path.name for path in local_examples()])
def test_every_example_runs_on_both_engines_alike(synthetic: Graph, name: str) -> None:
    answer = run(name, synthetic)
    assert all(len(row) == len(answer[0]) for row in answer)


def test_measures_by_status_on_a_fixture_with_varied_statuses(tmp_path: Path) -> None:
    repo = generate(tmp_path, measures=12, words=WORDS, records=12, seed=5)
    paths = sorted((repo.policy / "synthetic" / "measures").glob("*.yaml"))
    later = {0: "in-progress", 1: "in-progress", 2: "in-progress", 3: "done", 4: "stalled"}
    for index, value in later.items():
        raw = yamlio.load(paths[index])
        raw["status"].append(
            {
                "date": "2026-11-30",
                "value": value,
                "assessor": "test",
                "evidence": [{"type": "news", "url": "https://example.org/synthetic/evidence"}],
            }
        )
        paths[index].write_text(yamlio.dumps(raw).replace("'2026-11-30'", "2026-11-30"), encoding="utf-8")
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
def test_a_syntax_error_is_located_not_a_traceback(engine: str, dump: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x\nWHERE {\n  ?x ?y ?z FILTER (?x = )\n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(bad), "--engine", engine, "--data", str(dump)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:") and "Traceback" not in result.output
    assert int(result.output.split(":")[1]) == 3, result.output


@pytest.fixture
def dump(synthetic: Graph, tmp_path: Path) -> Path:
    path = tmp_path / "kb.nt"
    synthetic.serialize(path, format="nt")
    return path


@pytest.mark.parametrize("output", ["table", "csv", "tsv", "json"])
def test_outputs(output: str, base: Path, dump: Path) -> None:
    first, second = sorted(path.stem for path in (base / "policy" / "synthetic" / "measures").glob("*.yaml"))[:2]
    query = (
        "PREFIX kb: <https://w3id.org/policykb/def#> SELECT ?m ?label WHERE { ?m a kb:Measure ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
        f"FILTER (?m IN (<{ID}measure/{first}>, <{ID}measure/{second}>)) }} "
        "ORDER BY ?m"
    )
    result = CliRunner().invoke(main, ["query", "-e", query, "--format", output, "--data", str(dump)])
    assert result.exit_code == 0, result.output
    text = result.output
    if output == "table":
        assert f"id:measure/{first}" in text and "(2 rows)" in text
    elif output == "csv":
        assert text.splitlines()[0] == "m,label" and f"{ID}measure/{first}," in text
        assert result.stdout_bytes.startswith(b"m,label\r\n")  # the SPARQL 1.1 CSV format ends lines in CRLF
    elif output == "tsv":
        assert text.splitlines()[0] == "?m\t?label" and f'<{ID}measure/{first}>\t"' in text and '"@nl' in text
    else:
        import json

        data = json.loads(text)
        assert data["head"]["vars"] == ["m", "label"]
        binding = data["results"]["bindings"][0]
        assert binding["m"] == {"type": "uri", "value": f"{ID}measure/{first}"} and binding["label"]["xml:lang"] == "nl"


def test_query_needs_exactly_one_query() -> None:
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 2 and "give a query FILE or -e" in result.output


def test_service_is_refused_in_process_too(synthetic: Graph) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        open_store("oxigraph", synthetic).query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
