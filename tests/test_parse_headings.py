"""Headings from the layout and from the table of contents, front matter, languages and the prose
unit, on small synthetic sources (tiny PDFs from tests/pdfs.py, texts written here): each test
builds the one layout it is about."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TODAY
from pdfs import Line, write_pdf
from policykb import yamlio
from policykb.cli import main
from policykb.load import load_model
from policykb.parse import apply, plan
from policykb.problems import DataError
from policykb.repo import Repo

FULL = "De woningnood is groot en de bouw loopt achter bij wat het land nodig heeft, daarom zetten wij in op meer tempo"
"""A body line that fills the measure of an A4 page in 11 pt Helvetica (about 450 points)."""


def body(top: float, count: int, last: str = "en zo gaat de tekst verder tot het einde van de alinea.") -> list[Line]:
    lines = [Line(FULL, top + 14 * index) for index in range(count - 1)]
    return [*lines, Line(last, top + 14 * (count - 1))]


def tree(root: Path) -> list[tuple[str, int, str | None]]:
    structure = load_model(Repo(root)).agreements[0].structure
    titles = {section.id: section.title for section in structure.sections}
    return [(s.title, s.level, titles.get(s.parent) if s.parent else None) for s in structure.sections]


def parsed(root: Path, source: Path, **options: str) -> Path:
    (root / "policy").mkdir(exist_ok=True)
    apply(plan(Repo(root), "proef", source, on=TODAY, **options))
    return root


def test_italic_at_the_body_size_is_a_heading_when_it_stands_alone(tmp_path: Path) -> None:
    page = [
        Line("Wonen", 72, size=16, bold=True),
        *[Line(text, 100 + 14 * i, italic=True) for i, text in enumerate([FULL, FULL, "en dat kan ook."])],
        *body(150, 3),
        Line("Huurders beschermen", 210, italic=True),
        *body(232, 3),
        Line("Bouwen aan de stad", 290, size=13, bold=True, italic=True),
        *body(312, 2),
    ]
    root = parsed(tmp_path, write_pdf(tmp_path / "stijlen.pdf", [page]))
    assert tree(root) == [
        ("Wonen", 1, None),
        ("Huurders beschermen", 3, "Wonen"),  # italic 11: below bold italic 13
        ("Bouwen aan de stad", 2, "Wonen"),
    ]
    structure = load_model(Repo(root)).agreements[0].structure
    assert len([p for p in structure.preambles if p.section == structure.sections[0].id]) == 2  # the italic intro


def test_a_bold_phrase_that_fills_its_line_is_not_a_heading(tmp_path: Path) -> None:
    page = [
        Line("Wonen", 72, size=16, bold=True),
        *body(100, 2),
        Line(FULL, 140, bold=True),  # a paragraph that opens with a bold sentence filling the line
        Line("en die gewoon verder gaat in de gewone letter tot het einde van de zin.", 154),
        *body(180, 2),
        Line("• We bouwen meer huizen", 220),
        Line("• Sneller bouwen", 234, bold=True),  # a bullet set in bold is a bullet
    ]
    root = parsed(tmp_path, write_pdf(tmp_path / "vet.pdf", [page]))
    assert tree(root) == [("Wonen", 1, None)]
    texts = [record.measure.text for record in load_model(Repo(root)).agreements[0].measures]
    assert sorted(texts) == ["Sneller bouwen", "We bouwen meer huizen"]


def test_a_sentence_in_a_heading_style_is_not_a_heading(tmp_path: Path) -> None:
    page = [
        Line("Wonen", 72, size=16, bold=True),
        Line("Dit gaan we doen:", 100, bold=True),
        Line("• We bouwen meer huizen", 116),
        Line("Dit is een korte cursieve zin.", 140, italic=True),
        *body(160, 2),
    ]
    root = parsed(tmp_path, write_pdf(tmp_path / "zinnen.pdf", [page]))
    assert tree(root) == [("Wonen", 1, None)]


def contents_pdf(tmp_path: Path) -> Path:
    """A cover, a table of contents (dot leaders; sections indented) and two pages of body; the
    closing section is set in body type, so only the table tells it is a heading."""
    cover = [Line("Coalitieakkoord 2030", 300, size=28, bold=True), Line("D66, VVD en CDA", 340, size=14)]
    leaders = "." * 60
    toc = [
        Line("Inhoud", 72, size=16, bold=True),
        Line(f"Wonen {leaders} 3", 100),
        Line(f"Huurders {leaders} 3", 114, x=90),
        Line(f"Slotbepalingen {leaders} 4", 128, x=90),
        Line(f"Bijlage {leaders} 5", 142),
    ]
    first = [Line("Wonen", 72, size=16, bold=True), *body(100, 3), Line("Huurders", 160, size=13, bold=True)]
    first += [*body(182, 2), Line("• We beschermen huurders tegen te hoge huren", 220)]
    second = [*body(72, 2), Line("Slotbepalingen", 114), *body(136, 2)]
    return write_pdf(tmp_path / "inhoud.pdf", [cover, toc, first, second])


def test_the_table_of_contents_sets_levels_and_names_a_heading_in_body_type(tmp_path: Path) -> None:
    root = parsed(tmp_path, contents_pdf(tmp_path))
    assert tree(root) == [("Wonen", 1, None), ("Huurders", 2, "Wonen"), ("Slotbepalingen", 2, "Wonen")]
    data = load_model(Repo(root)).agreements[0]
    assert [(entry.title, entry.level, entry.section is not None) for entry in data.structure.contents] == [
        ("Wonen", 1, True),
        ("Huurders", 2, True),
        ("Slotbepalingen", 2, True),
        ("Bijlage", 1, False),
    ]
    reasons = [span.reason for span in data.structure.excluded]
    assert reasons == ["front-matter", "front-matter", "toc"]
    assert data.agreement.title == "Coalitieakkoord 2030" and data.agreement.parties == ["D66", "VVD", "CDA"]
    assert data.agreement.unconfirmed == ["title", "parties"]


def test_a_text_with_a_table_of_contents_and_a_cover(tmp_path: Path) -> None:
    source = tmp_path / "akkoord.txt"
    source.write_text(
        "Coalitieakkoord Waterschap De Dommel 2027\n\nPvdA, VVD en Water Natuurlijk\n\n"
        "Eindhoven, 14 mei 2027\n\nInhoud\n\nVeiligheid 2\n    Dijken 2\nSchoon water 3\n\n"
        "Veiligheid\n\nHet water komt hoger en daar bereiden we ons op voor.\n\nDijken\n\n"
        "• We versterken de dijken langs de Dommel voor 2030.\n\nSchoon water\n\n"
        "• We zuiveren het afvalwater van de hele regio beter.\n",
        encoding="utf-8",
    )
    root = parsed(tmp_path, source)
    assert tree(root) == [("Veiligheid", 1, None), ("Dijken", 2, "Veiligheid"), ("Schoon water", 1, None)]
    data = load_model(Repo(root)).agreements[0]
    assert data.agreement.parties == ["PvdA", "VVD", "Water Natuurlijk"]
    assert data.agreement.date.value is not None and data.agreement.date.value.isoformat() == "2027-05-14"
    assert [span.reason for span in data.structure.excluded].count("front-matter") == 3


def test_contents_without_leaders_end_where_the_body_begins(tmp_path: Path) -> None:
    """`Präambel 3`: a title and a page number alone; the body's "Präambel" is a heading, not an entry."""
    source = tmp_path / "vertrag.txt"
    source.write_text(
        "Inhalt\nPräambel 3\n1. Haushalt 4\n1.1 Digitale Verwaltung 4\n\nPräambel\n\n"
        "Wir werden die Verwaltung bis 2028 digitalisieren und alle Anträge online anbieten.\n\n1. Haushalt\n\n"
        "Wir wollen solide Finanzen.\n\n1.1 Digitale Verwaltung\n\n"
        "Wir werden ein Bürgerkonto für alle einführen, das ab 2027 alle Leistungen bündelt.\n",
        encoding="utf-8",
    )
    root = parsed(tmp_path, source, unit="paragraph")
    assert tree(root) == [
        ("Präambel", 1, None),
        ("1. Haushalt", 1, None),
        ("1.1 Digitale Verwaltung", 2, "1. Haushalt"),
    ]
    data = load_model(Repo(root)).agreements[0]
    assert [entry.section is not None for entry in data.structure.contents] == [True, True, True]
    assert len(data.measures) == 3 and data.structure.preambles == []
    assert data.agreement.language == "de" and data.agreement.unit == "paragraph"


def test_commitments_are_read_in_the_agreements_language(tmp_path: Path) -> None:
    source = tmp_path / "vertrag.txt"
    source.write_text(
        "Wirtschaft\n\nDie Wirtschaft braucht Verlässlichkeit und klare Regeln für die kommenden Jahre. "
        "Wir werden die Unternehmen von unnötiger Bürokratie entlasten. Das ist nicht alles.\n\n"
        "• Wir senken die Stromsteuer auf das europäische Mindestmaß.\n",
        encoding="utf-8",
    )
    root = parsed(tmp_path, source, language="de")
    structure = load_model(Repo(root)).agreements[0].structure
    text = (root / "policy" / "proef" / "text.txt").read_text(encoding="utf-8")
    candidates = [text[c.start : c.end] for p in structure.preambles for c in p.candidates]
    assert candidates == ["Wir werden die Unternehmen von unnötiger Bürokratie entlasten."]


def test_a_language_parse_has_no_words_for_is_a_located_problem(tmp_path: Path) -> None:
    root = parsed(tmp_path, contents_pdf(tmp_path))
    path = root / "policy" / "proef" / "agreement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: nl", "language: fr"), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"agreement.yaml:\d+: language: parse has no words for 'fr' \(it knows de, en, nl\)"
    ):
        plan(Repo(root), "proef", on=TODAY)


def test_unconfirmed_front_matter_is_a_check_warning_until_taken_out(tmp_path: Path) -> None:
    root = parsed(tmp_path, contents_pdf(tmp_path))
    result = CliRunner().invoke(main, ["check", "--report", "--root", str(root)])
    report = (root / "build" / "reports" / "check.md").read_text(encoding="utf-8")
    assert "PK113" in report and "parties" in report and "'Bijlage'" in report, result.output
    path = root / "policy" / "proef" / "agreement.yaml"
    raw = yamlio.load(path)
    raw["unconfirmed"] = []
    path.write_text(yamlio.dumps(raw), encoding="utf-8")
    CliRunner().invoke(main, ["check", "--report", "--root", str(root)])
    report = (root / "build" / "reports" / "check.md").read_text(encoding="utf-8")
    assert "unconfirmed" not in report
