"""Re-parse merges into curated measures: ids stay, curation stays, nothing is deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CHAPTER, TODAY, parse_into
from policykb import yamlio
from policykb.parse import plan
from policykb.repo import Repo

AGREEMENT = "test-agreement"
TAAL_BULLET = (
    "• Taal is cruciaal. We starten direct aan het begin van de asielprocedure met taalles \n\n"
    "voor kansrijke asielzoekers.  \n\n"
)


@pytest.fixture
def parsed(root: Path) -> Path:
    """A root holding the chapter, parsed once; returns the agreement folder."""
    parse_into(root, CHAPTER, AGREEMENT)
    return root / "policy" / AGREEMENT


def edit_source(folder: Path, old: str, new: str) -> None:
    path = folder / "source.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(folder: Path, measure_id: str) -> dict:
    return yamlio.load(folder / "measures" / f"{measure_id}.yaml")


def by_text(folder: Path, fragment: str) -> str:
    """The id of the one measure whose text contains `fragment`."""
    ids = [p.stem for p in (folder / "measures").glob("*.yaml") if fragment in yamlio.load(p)["text"]]
    assert len(ids) == 1, ids
    return ids[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_source_changes_no_byte(root: Path, parsed: Path) -> None:
    before = snapshot(parsed)
    again = plan(Repo(root), AGREEMENT, on=TODAY)
    assert again.changes() == []
    parse_into(root, None, AGREEMENT)
    assert snapshot(parsed) == before


def test_edited_text_keeps_its_id_and_updates_quote(root: Path, parsed: Path) -> None:
    measure_id = by_text(parsed, "Meedoenbalie")
    old = measure(parsed, measure_id)
    edit_source(parsed, "komt een Meedoenbalie", "komt een Meedoenloket")
    result = parse_into(root, None, AGREEMENT)
    new = measure(parsed, measure_id)
    assert "Meedoenloket" in new["text"] and new["lifecycle"] == "active"
    assert new["source"]["fingerprint"] != old["source"]["fingerprint"]
    assert new["title"] == old["title"]  # a title is generated once, then it is the curator's
    assert any(line.startswith(f"updated {measure_id}: text changed") for line in result.log)


def test_removed_bullet_is_retired_not_deleted(root: Path, parsed: Path) -> None:
    measure_id = by_text(parsed, "Taal is cruciaal")
    edit_source(parsed, TAAL_BULLET, "")
    result = parse_into(root, None, AGREEMENT)
    retired = measure(parsed, measure_id)
    assert retired["lifecycle"] == "retired"
    assert retired["retired"]["date"] == TODAY and "no longer in the source" in retired["retired"]["reason"]
    assert f"retired {measure_id}: its block is no longer in the source text" in result.log
    # The others keep their ids and their (shifted) offsets still round-trip.
    text = (parsed / "text.txt").read_text(encoding="utf-8")
    for path in (parsed / "measures").glob("*.yaml"):
        data = yamlio.load(path)
        if data["lifecycle"] == "active":
            assert text[data["source"]["start"] : data["source"]["end"]] == data["text"]


def test_added_bullet_gets_the_next_id_in_its_section(root: Path, parsed: Path) -> None:
    ids_before = {p.stem for p in (parsed / "measures").glob("*.yaml")}
    edit_source(
        parsed,
        "• Indien de Asielnoodmaatregelenwet",
        "• We versterken de vreemdelingenketen met extra personeel. \n\n• Indien de Asielnoodmaatregelenwet",
    )
    result = parse_into(root, None, AGREEMENT)
    added = {p.stem for p in (parsed / "measures").glob("*.yaml")} - ids_before
    assert added == {"ami-nat-006"}
    assert measure(parsed, "ami-nat-006")["text"] == "We versterken de vreemdelingenketen met extra personeel."
    assert measure(parsed, "ami-nat-006")["section"] == "ami-nationale-maatregelen"
    assert not any(line.startswith(("retired", "updated")) for line in result.log)


def test_curated_fields_and_comments_survive_a_reparse(root: Path, parsed: Path) -> None:
    measure_id = by_text(parsed, "Meedoenbalie")
    path = parsed / "measures" / f"{measure_id}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = ["# Curator: title shortened on 2026-11-20." if line.startswith("title: ") else line for line in lines]
    index = lines.index("# Curator: title shortened on 2026-11-20.")
    lines.insert(index + 1, "title: Meedoenbalie bij opvang  # short")
    content = "\n".join(lines) + "\nnotes: Checked against the PDF, page 40.  # hand-written\n"
    path.write_text(content, encoding="utf-8")
    edit_source(parsed, "komt een Meedoenbalie", "komt een Meedoenloket")
    parse_into(root, None, AGREEMENT)
    after = path.read_text(encoding="utf-8")
    assert "# Curator: title shortened on 2026-11-20." in after
    assert "title: Meedoenbalie bij opvang  # short" in after
    assert "notes: Checked against the PDF, page 40.  # hand-written" in after
    assert "Meedoenloket" in after


def test_promoted_prose_measure_gets_its_source_from_the_preamble(root: Path, parsed: Path) -> None:
    sentence = (
        "We gaan voor de hele vreemdelingenketen (IND, COA, Nidos en DT&V) de aanpak dan ook "
        "baseren op meerjarige financiering op basis van realistische prognoses."
    )
    path = parsed / "measures" / "ami-asi-101.yaml"
    path.write_text(
        "id: ami-asi-101\ntitle: Meerjarige financiering van de vreemdelingenketen\n"
        f"section: ami-de-asielketen-op-orde\norigin: prose\ntext: '{sentence}'\n",
        encoding="utf-8",
    )
    parse_into(root, None, AGREEMENT)
    promoted = measure(parsed, "ami-asi-101")
    text = (parsed / "text.txt").read_text(encoding="utf-8")
    assert text[promoted["source"]["start"] : promoted["source"]["end"]] == sentence
    assert promoted["origin"] == "prose" and promoted.get("lifecycle", "active") == "active"
    assert plan(Repo(root), AGREEMENT, on=TODAY).changes() == []  # and it is stable


def test_revived_when_the_text_comes_back(root: Path, parsed: Path) -> None:
    measure_id = by_text(parsed, "Taal is cruciaal")
    original = (parsed / "source.txt").read_bytes()
    edit_source(parsed, TAAL_BULLET, "")
    parse_into(root, None, AGREEMENT)
    assert measure(parsed, measure_id)["lifecycle"] == "retired"
    (parsed / "source.txt").write_bytes(original)
    result = parse_into(root, None, AGREEMENT)
    assert measure(parsed, measure_id)["lifecycle"] == "active" and "retired" not in measure(parsed, measure_id)
    assert f"kept {measure_id}: its text is back: revived" in result.log


def test_a_broken_measure_stops_the_parse_and_nothing_is_written(root: Path, parsed: Path) -> None:
    from policykb.problems import DataError

    broken = parsed / "measures" / "ami-nat-001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "section: twice\n", encoding="utf-8")
    edit_source(parsed, "komt een Meedoenbalie", "komt een Meedoenloket")
    before = snapshot(parsed)
    with pytest.raises(DataError) as error:
        parse_into(root, None, AGREEMENT)
    assert "ami-nat-001.yaml:11: section: duplicate key" in str(error.value)
    assert snapshot(parsed) == before


def fail_on_call(number: int, real: Callable[..., Any], calls: dict[str, int]) -> Callable[..., Any]:
    """`real`, except that call `number` fails as a full disk does (counted in `calls`)."""

    def failing(*args: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == number:
            raise OSError(28, "No space left on device")
        return real(*args)

    return failing


def test_a_failed_write_leaves_no_half_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "write_bytes", fail_on_call(5, Path.write_bytes, {"count": 0}))
    with pytest.raises(OSError):
        parse_into(root, CHAPTER, AGREEMENT)
    assert list((root / "policy").iterdir()) == []


def test_a_failed_write_into_an_existing_folder_changes_no_file(
    root: Path, parsed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykb import writing

    edited = root / "edited.txt"
    edited.write_text(
        CHAPTER.read_text(encoding="utf-8").replace("De IND moet sneller", "De IND moet veel sneller"), encoding="utf-8"
    )
    folder = root / "policy" / AGREEMENT
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    monkeypatch.setattr(writing, "write_temporary", fail_on_call(3, writing.write_temporary, calls := {"count": 0}))
    with pytest.raises(OSError):
        parse_into(root, edited, AGREEMENT)
    after = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    assert calls["count"] == 3 and after == before  # no file changed, no temporary left behind


def test_a_renamed_heading_moves_its_measures_and_keeps_retired_ones_valid(root: Path, parsed: Path) -> None:
    from policykb.load import load_model

    measure_id = by_text(parsed, "Taal is cruciaal")
    edit_source(parsed, TAAL_BULLET, "")
    parse_into(root, None, AGREEMENT)  # retires the bullet, in section ami-meedoen-wordt-de-norm
    edit_source(parsed, "Meedoen wordt de norm", "Meedoen is de norm")
    result = parse_into(root, None, AGREEMENT)
    assert measure(parsed, measure_id)["section"] == "ami-meedoen-wordt-de-norm"  # retired: untouched
    moved = measure(parsed, by_text(parsed, "Meedoenbalie"))
    assert moved["section"] == "ami-meedoen-is-de-norm"
    assert len(load_model(Repo(root)).agreements[0].measures) == 38  # 37 active, 1 retired: all valid
    assert not any(line.startswith(("retired", "new")) for line in result.log)


def test_curated_formatting_of_agreement_yaml_survives_and_stays_in_step(root: Path, parsed: Path) -> None:
    path = parsed / "agreement.yaml"
    content = path.read_text(encoding="utf-8").replace("language: nl", "language: 'nl'  # ISO 639-1")
    path.write_text(content, encoding="utf-8")
    assert plan(Repo(root), AGREEMENT, on=TODAY).changes() == []
    parse_into(root, None, AGREEMENT)
    assert path.read_text(encoding="utf-8") == content


def test_the_same_text_in_two_sections_keeps_each_id_in_its_own_section(root: Path, parsed: Path) -> None:
    measure_id = by_text(parsed, "Meedoenbalie")
    bullet = "• " + measure(parsed, measure_id)["text"]  # the very same text, now also in another section
    source = (parsed / "source.txt").read_text(encoding="utf-8")
    first = source.index("• Indien de Asielnoodmaatregelenwet")
    (parsed / "source.txt").write_text(source[:first] + bullet + " \n\n" + source[first:], encoding="utf-8")
    result = parse_into(root, None, AGREEMENT)
    assert measure(parsed, measure_id)["section"] == "ami-meedoen-wordt-de-norm"
    assert any(line.startswith("new ami-nat-") for line in result.log)


def test_a_new_measure_takes_the_code_its_section_already_uses(tmp_path: Path) -> None:
    import datetime as dt

    from ruamel.yaml.comments import CommentedMap

    from policykb.load import MeasureRecord
    from policykb.model import Measure, fingerprint
    from policykb.parse.merge import FoundMeasure, merge
    from policykb.yamlio import Document

    text = "Eerste maatregel. Tweede maatregel."
    old = Measure.model_validate(
        {
            "id": "ab-woo-001",
            "title": "Eerste",
            "section": "s1",
            "text": "Eerste maatregel.",
            "source": {"start": 0, "end": 17, "page": None, "fingerprint": fingerprint("Eerste maatregel.")},
        }
    )
    found = [
        FoundMeasure("Eerste maatregel.", "s1", 0, 17, None, "ab-won", 0),
        FoundMeasure("Tweede maatregel.", "s1", 18, 35, None, "ab-won", 1),  # codes recomputed as `won`
    ]
    document = Document(tmp_path / "ab-woo-001.yaml", {}, CommentedMap())
    files, log = merge(
        found, [MeasureRecord(document.path, old, document)], text, [], lambda _: None, tmp_path, dt.date(2026, 11, 29)
    )
    assert list(files) == [tmp_path / "ab-woo-002.yaml"] and log == ["new ab-woo-002: 'Tweede maatregel'"]
