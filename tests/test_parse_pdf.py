"""Parse whole agreements from PDF (made with LibreOffice, see scripts/make_pdf_fixtures.py):
one command gives a complete, classified draft. The facts come from each fixture's
`*.expected.yaml`, written from the document source, not from running policykb."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, parse_into
from policykb import yamlio
from policykb.load import AgreementData, load_model
from policykb.parse import plan
from policykb.repo import Repo

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"


def facts(name: str) -> dict:
    return yamlio.load(FIXTURES / f"{name}.expected.yaml")


@pytest.fixture(scope="module", params=["agreement-small", "agreement-long"])
def parsed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, AgreementData]:
    root = tmp_path_factory.mktemp(request.param)
    (root / "policy").mkdir()
    parse_into(root, FIXTURES / f"{request.param}.pdf", "pdf-agreement")
    data = load_model(Repo(root)).agreements[0]
    return request.param, root, data


def measures_in_order(data: AgreementData) -> list:
    return sorted((record.measure for record in data.measures), key=lambda measure: measure.source.start)


def test_every_heading_found_with_its_level(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    expected = [(h["text"], h["level"]) for h in facts(name)["headings"] if h["text"] != "Inhoud"]
    found = [(section.title, section.level) for section in data.structure.sections]
    assert found == expected


def test_every_bullet_is_a_measure_under_its_heading(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    titles = {section.id: section.title for section in data.structure.sections}
    per_heading: dict[str, int] = {}
    for measure in measures_in_order(data):
        per_heading[titles[measure.section]] = per_heading.get(titles[measure.section], 0) + 1
    expected = {h["text"]: h["bullets"] for h in facts(name)["headings"] if h["bullets"]}
    assert per_heading == expected
    assert sum(per_heading.values()) == facts(name)["bullets_total"]


def test_chosen_bullets_verbatim_and_the_split_bullet_joined(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    texts = [measure.text for measure in measures_in_order(data)]
    for chosen in facts(name).get("chosen_bullets", []):
        assert chosen["text"] in texts
    split = facts(name)["split_bullet"]
    measure = next(measure for measure in measures_in_order(data) if measure.text == split["text"])
    assert measure.source.page == split["starts_on_page"]


def test_page_residue_removed_and_pages_known(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    header = facts(name)["running_header"]
    assert header not in data.text
    removed = data.structure.page_map.removed
    assert sum(1 for item in removed if item.text == header) >= facts(name)["physical_pages"] - 1
    assert sum(1 for item in removed if item.reason == "page-number") >= facts(name)["page_numbers"]["last_printed"] - 1
    assert all(measure.source.page is not None for measure in measures_in_order(data))


def test_toc_and_tables_excluded_with_reasons(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    toc = [data.text[span.start : span.end] for span in data.structure.excluded if span.reason == "toc"]
    assert toc and toc[0].startswith("Inhoud")
    assert facts(name)["toc"]["last_line"]["title"] in toc[-1]
    tables = [data.text[span.start : span.end] for span in data.structure.excluded if span.reason == "table"]
    assert len(tables) == len(facts(name)["tables"])
    for table, expected in zip(tables, facts(name)["tables"], strict=True):
        assert table.splitlines()[0] == expected["first_row"]
        assert len(table.splitlines()) == expected["rows"]


def test_pdf_parse_is_a_fixed_point(parsed) -> None:  # type: ignore[no-untyped-def]
    _, root, _ = parsed
    assert plan(Repo(root), "pdf-agreement", on=TODAY).changes() == []
