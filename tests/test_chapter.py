"""The first agreement as committed: the facts the issue names, checked on `policy/` itself.

These read the committed files (what the site and the checks will use), not a fresh parse:
38 bullets, each the exact text of its bullet; 9 headings in the right tree; every preamble; no
page number left in any text; every offset round-trips.
"""

from __future__ import annotations

import re

import pytest

from conftest import CHAPTER, REPO
from policykb.load import AgreementData, load_model
from policykb.model import fingerprint
from policykb.repo import Repo


@pytest.fixture(scope="module")
def chapter() -> AgreementData:
    return next(item for item in load_model(Repo(REPO)).agreements if item.id == "coalitieakkoord-2026")


INTEGRATIE = "Integratie: beschermen van vrijheid, sneller meedoen"


def source_bullets() -> list[str]:
    """The bullets read straight from source.txt with a deliberately naive method: split at the
    glyph, cut at the first whitespace-only line or the one heading that follows a bullet
    directly, join the lines (independent of the parser)."""
    raw = CHAPTER.read_text(encoding="utf-8")
    bullets = []
    for piece in raw.split("•")[1:]:
        lines = []
        for line in piece.split("\n"):
            if (line and not line.strip()) or line.strip() == INTEGRATIE:
                break  # a whitespace-only line ends the bullet
            if line.strip() in ("37",):
                continue
            if line:
                lines.append(line.strip())
        text = ""
        for line in lines:
            text += line if text.endswith("-") and not text.endswith(" -") else (" " if text else "") + line
        bullets.append(text.strip())
    return bullets


def test_38_bullets_each_the_exact_text_of_its_bullet(chapter: AgreementData) -> None:
    bullets = [record.measure for record in chapter.measures if record.measure.origin == "bullet"]
    measures = sorted(bullets, key=lambda measure: measure.source.start)
    assert [measure.text for measure in measures] == source_bullets()
    assert len(measures) == 38


def test_9_headings_in_the_right_tree(chapter: AgreementData) -> None:
    sections = {section.title: section for section in chapter.structure.sections}
    titles = {section.id: section.title for section in chapter.structure.sections}
    tree = {section.title: titles.get(section.parent) for section in chapter.structure.sections}
    integratie = INTEGRATIE
    assert tree == {
        "Asiel, migratie en integratie": None,
        "Een helder migratiemodel in Europa": "Asiel, migratie en integratie",
        "Nationale maatregelen": "Asiel, migratie en integratie",
        "Hardere aanpak van asielzoekers die de wet overtreden": "Asiel, migratie en integratie",
        "De asielketen op orde": "Asiel, migratie en integratie",
        "Fatsoenlijke regels voor Arbeidsmigratie en misstanden aanpakken": "Asiel, migratie en integratie",
        integratie: "Asiel, migratie en integratie",
        "Vrijheid beschermen en versterken": integratie,
        "Meedoen wordt de norm": integratie,
    }
    assert [sections[title].level for title in tree] == [1, 2, 2, 2, 2, 2, 2, 3, 3]


def test_every_offset_round_trips_and_matches_its_fingerprint(chapter: AgreementData) -> None:
    for record in chapter.measures:
        source = record.measure.source
        assert chapter.text[source.start : source.end] == record.measure.text
        assert source.fingerprint == fingerprint(record.measure.text)
    for section in chapter.structure.sections:
        assert chapter.text[section.heading.start : section.heading.end] == section.title


def test_every_preamble_recorded(chapter: AgreementData) -> None:
    texts = [chapter.text[preamble.start : preamble.end] for preamble in chapter.structure.preambles]
    assert len(texts) == 11
    assert texts[0].startswith("Het onderwerp migratie is te lang een thema")
    assert all(text.endswith(("doen:", "plannen.", "intimidatie.", "slapen.")) for text in texts)
    # The financing commitment in "De asielketen op orde" is flagged for a curator to decide on.
    candidates = [chapter.text[c.start : c.end] for p in chapter.structure.preambles for c in p.candidates]
    assert any("meerjarige financiering" in candidate for candidate in candidates)
    # ... and a curator promoted it: parse located it inside that intro paragraph.
    promoted = next(record.measure for record in chapter.measures if record.measure.origin == "prose")
    asielketen = next(p for p in chapter.structure.preambles if p.section == "ami-de-asielketen-op-orde")
    assert asielketen.start <= promoted.source.start < promoted.source.end <= asielketen.end


def test_no_page_number_left_and_removal_noted(chapter: AgreementData) -> None:
    assert not re.search(r"(^|\s)37(\s|$)", chapter.text)
    removed = chapter.structure.page_map.removed
    assert [(item.text, item.reason) for item in removed] == [("37", "page-number")]
    # The footer closes page 37: everything before it is on page 37, nothing after is guessed.
    pages = {record.measure.source.page for record in chapter.measures}
    assert pages == {37, None}
    before = [r.measure for r in chapter.measures if r.measure.source.end <= removed[0].at]
    assert before and all(measure.source.page == 37 for measure in before)


def test_source_and_text_hashes(chapter: AgreementData) -> None:
    import hashlib

    folder = REPO / "policy" / "coalitieakkoord-2026"
    assert chapter.agreement.sha256.source == hashlib.sha256((folder / "source.txt").read_bytes()).hexdigest()
    assert chapter.agreement.sha256.text == hashlib.sha256((folder / "text.txt").read_bytes()).hexdigest()


def test_every_measure_has_a_dated_status_with_evidence_and_the_condition_is_structured(chapter: AgreementData) -> None:
    for record in chapter.measures:
        assert record.measure.status and record.measure.status[-1].evidence
    conditional = next(
        r.measure for r in chapter.measures if r.measure.text.startswith("Indien de Asielnoodmaatregelenwet")
    )
    assert conditional.condition is not None and conditional.condition.any is not None
    assert {(w.bill, w.stage) for w in conditional.condition.any} == {
        ("kst-36704", "aangenomen-eerste-kamer"),
        ("kst-36703", "aangenomen-eerste-kamer"),
    }
