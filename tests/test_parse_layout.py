"""Parse agreements made the way real ones are (Word-style PDFs: a cover, a table of contents,
three heading styles, the lowest italic at the body size; a provincial agreement with numbered
headings and a foreword; a German agreement in prose) into the whole heading tree, every measure
under its heading, the front matter and the page labels. The facts come from each fixture's
`*.expected.yaml`, written from the outline that made the document (scripts/make_layout_fixtures.py),
never from running policykb."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TODAY
from policykb import yamlio
from policykb.cli import main
from policykb.load import AgreementData, load_model
from policykb.parse import apply, plan
from policykb.repo import Repo

FIXTURES = Path(__file__).parent / "fixtures" / "layout"
NAMES = sorted(path.name.removesuffix(".expected.yaml") for path in FIXTURES.glob("*.expected.yaml"))


def facts(name: str) -> dict:
    return yamlio.load(FIXTURES / f"{name}.expected.yaml")


@pytest.fixture(scope="module", params=NAMES)
def parsed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, AgreementData]:
    """The fixture parsed as a new agreement, with its unit; its language is detected."""
    name = request.param
    root = tmp_path_factory.mktemp(name)
    (root / "policy").mkdir()
    apply(plan(Repo(root), "layout", FIXTURES / f"{name}.pdf", on=TODAY, unit=facts(name)["unit"]))
    return name, root, load_model(Repo(root)).agreements[0]


def test_the_whole_heading_tree_with_levels_and_parents(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    titles = {section.id: section.title for section in data.structure.sections}
    found = [
        (section.title, section.level, titles.get(section.parent) if section.parent else None)
        for section in data.structure.sections
    ]
    expected = [(h["title"], h["level"], h["parent"]) for h in facts(name)["headings"]]
    assert found == expected


def test_every_heading_on_its_printed_page(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    found = [section.heading.page for section in data.structure.sections if section.heading is not None]
    assert found == [h["page"] for h in facts(name)["headings"]]


def test_every_measure_verbatim_under_its_heading(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    titles = {section.id: section.title for section in data.structure.sections}
    measures = sorted((record.measure for record in data.measures), key=lambda measure: measure.source.start)
    found = [(titles[measure.section], measure.text) for measure in measures]
    assert found == [(m["section"], m["text"]) for m in facts(name)["measures"]]


def test_the_front_matter_is_the_agreements_not_a_section(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    expected = facts(name)["front_matter"]
    front = data.structure.front_matter
    assert front is not None
    assert (front.title, front.parties) == (expected["title"], expected["parties"])
    assert front.date is not None and front.date.value == expected["date"]
    excluded = [span for span in data.structure.excluded if span.reason == "front-matter"]
    assert excluded and all(span.page is None for span in excluded)  # the cover prints no page number
    assert expected["title"].split()[0] not in {section.title.split()[0] for section in data.structure.sections}


def test_parse_fills_the_agreement_from_its_cover_for_the_curator_to_confirm(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    expected = facts(name)
    agreement = data.agreement
    assert agreement.title == expected["front_matter"]["title"]
    assert agreement.parties == expected["front_matter"]["parties"]
    assert agreement.date.value == expected["front_matter"]["date"]
    assert agreement.date.printed is not None and agreement.date.printed.page is None
    assert agreement.unconfirmed == ["title", "parties", "date"]
    assert (agreement.language, agreement.unit) == (expected["language"], expected["unit"])


def test_page_labels_map_pdf_pages_to_printed_numbers(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    labels = [label.model_dump() for label in data.structure.page_map.labels]
    assert labels == facts(name)["page_labels"]


def test_the_table_of_contents_confirms_and_a_stale_entry_is_reported(parsed) -> None:  # type: ignore[no-untyped-def]
    name, _, data = parsed
    expected = facts(name)
    contents = data.structure.contents
    assert len(contents) == expected["contents"]["entries"]
    assert [entry.title for entry in contents if entry.section is None] == expected["contents"]["missing"]
    titles = {section.id: section.title for section in data.structure.sections}
    listed = [h["title"] for h in expected["headings"] if h["in_contents"]]
    assert [titles[entry.section] for entry in contents if entry.section is not None] == listed
    assert all(span.reason != "toc" or span.section is None for span in data.structure.excluded)


def test_a_reparse_changes_nothing(parsed) -> None:  # type: ignore[no-untyped-def]
    _, root, _ = parsed
    assert plan(Repo(root), "layout", on=TODAY).changes() == []


def test_a_curated_title_and_parties_are_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    source = FIXTURES / "word-nl.pdf"
    apply(plan(Repo(tmp_path), "layout", source, on=TODAY))
    path = tmp_path / "policy" / "layout" / "agreement.yaml"
    raw = yamlio.load(path)
    raw["title"], raw["parties"], raw["unconfirmed"] = "Een eigen titel", ["VVD"], []
    raw["date"] = {"value": None, "note": "De curator zoekt de datum nog uit."}
    path.write_text(yamlio.dumps(raw), encoding="utf-8")
    moved = tmp_path / "copy.pdf"
    moved.write_bytes(source.read_bytes() + b"\n%")  # another file: parse reads the cover again
    apply(plan(Repo(tmp_path), "layout", moved, on=TODAY))
    again = yamlio.load(path)
    assert (again["title"], again["parties"]) == ("Een eigen titel", ["VVD"])
    assert again["date"]["value"] == dt.date(2026, 11, 12)
    assert again["date"]["note"] == "De curator zoekt de datum nog uit."
    assert again["unconfirmed"] == ["date"]


def test_explain_says_why_per_block_and_the_summary_counts_levels(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    result = CliRunner().invoke(
        main, ["parse", str(FIXTURES / "word-nl.pdf"), "--agreement", "layout", "--explain", "--root", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    expected = facts("word-nl")
    headings = expected["headings"]
    levels = ", ".join(f"{sum(1 for h in headings if h['level'] == n)} level {n}" for n in (1, 2, 3))
    confirmed = sum(1 for h in headings if h["in_contents"])
    summary = f"{len(headings)} headings ({levels}; {confirmed} of {expected['contents']['entries']} in the table"
    assert summary in result.output
    missing = expected["contents"]["missing"][0]
    assert f"not in the text: the table of contents' entry {missing!r}" in result.output
    lines = result.output.splitlines()
    subsection = next(line for line in lines if "'Slachtofferhulp'" in line)
    assert "heading 3" in subsection and "11 pt italic" in subsection and "not in the table of contents" in subsection
    chapter = next(line for line in lines if "'Veiligheid en rechtsstaat'" in line and "heading" in line)
    assert "16 pt bold" in chapter and "in the table of contents: level 1, page 1" in chapter
    assert any("front-matter" in line and "'VVD, D66, CDA en JA21'" in line for line in lines)
