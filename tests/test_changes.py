"""The dated change log, its Atom feeds and "as of" answers, on a copy of the synthetic corpus with
a worked history: sa-sec-004 waits for kst-30013 to pass the Senate, which it does on 2 June 2026;
it is assessed not started on 29 November (the corpus's own), then in progress on 30 November on
a news report."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_of
from policykb.changes import CHANGE_PATH, log
from policykb.cli import main
from policykb.load import load_model
from policykb.repo import Repo
from policykb.site.feeds import write_feeds
from policykb.site.pages import Site

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = f"https://w3id.org/policykb/{CHANGE_PATH}"
MEASURE = "policy/synthetic/measures/sa-sec-004.yaml"


@pytest.fixture
def history(base: Path, tmp_path: Path) -> Path:
    root = copy_of(base, tmp_path)
    path = root / MEASURE
    text = path.read_text(encoding="utf-8").replace(
        "      - agreement\n",
        "      - agreement\n  - {date: 2026-11-30, value: in-progress, assessor: test, evidence: "
        "[kst-30013, {type: news, url: 'https://example.org/bericht', title: Een bericht}], note: Het is begonnen.}\n",
        1,
    )
    path.write_text(
        text + "condition:\n  any:\n    - {bill: kst-30013, stage: aangenomen-eerste-kamer}\n", encoding="utf-8"
    )
    with (root / "kb/bills/kst-30013.yaml").open("a", encoding="utf-8") as file:
        file.write(
            "events:\n  - {stage: aangenomen-eerste-kamer, date: 2026-06-02, source: 'https://example.org/ek'}\n"
        )
    return root


def site_of(root: Path) -> Site:
    return Site(load_model(Repo(root)), None, {})


def linked_to(root: Path, key: str) -> set[str]:
    """The measures with a confirmed link to `key`, from the model (the corpus has several)."""
    return {
        record.measure.id
        for record in load_model(Repo(root)).measures()
        if any(link.target == key and link.review == "confirmed" for link in record.measure.links)
    }


def test_the_log_says_what_happened_in_dutch_newest_first(history: Path) -> None:
    entries = site_of(history).log
    assert [entry.date.isoformat() for entry in entries] == sorted((e.date.isoformat() for e in entries), reverse=True)
    [latest] = [entry for entry in entries if entry.date.isoformat() == "2026-11-30"]
    assert latest.title.endswith(": van niet begonnen naar in uitvoering")
    assert latest.summary == "Het is begonnen." and latest.page == "maatregel/sa-sec-004/"
    assert [(source.label, source.news) for source in latest.sources][1] == ("Een bericht", True)
    [stage] = [entry for entry in entries if entry.kind == "stage"]
    assert stage.title.endswith(": aangenomen door de Eerste Kamer")
    assert stage.measures == linked_to(history, "kst-30013") | {"sa-sec-004"}
    assert len({entry.id for entry in entries}) == len(entries)


def test_entry_ids_are_stable_and_do_not_depend_on_position(history: Path) -> None:
    before = {entry.id for entry in site_of(history).log}
    other = history / "policy/synthetic/measures/sa-sec-001.yaml"
    other.write_text(
        other.read_text(encoding="utf-8").replace(
            "      - agreement\n",
            "      - agreement\n  - {date: 2026-11-30, value: done, assessor: test, evidence: [agreement]}\n",
            1,
        ),
        encoding="utf-8",
    )
    after = {entry.id for entry in site_of(history).log}
    assert before < after and after - before == {f"{TAG}assessment/sa-sec-001/2026-11-30/done"}


def test_the_feeds_are_atom_and_select_by_record(history: Path, tmp_path: Path) -> None:
    site = site_of(history)
    records = {key: (site.record_path(record), record.name.nl) for key, record in site.kb.items()}
    written = write_feeds(tmp_path / "out", site.log, records, None)
    assert len(written) == 1 + len(records)
    ids: set[str] = set()
    for path in written:
        feed = ET.parse(path).getroot()
        assert feed.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):  # RFC 4287 4.1.1: exactly one of each
            assert len(feed.findall(f"{ATOM}{name}")) == 1, (path, name)
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        assert [link.get("rel") for link in feed.findall(f"{ATOM}link")] == ["alternate", "self"]
        for entry in feed.findall(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "link"):
                assert len(entry.findall(f"{ATOM}{name}")) == 1, (path, name)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+00:00", entry.findtext(f"{ATOM}updated") or "")
            assert (entry.findtext(f"{ATOM}id") or "").startswith(TAG)
        ids.add(feed.findtext(f"{ATOM}id") or "")
    assert len(ids) == len(written)
    bill = ET.parse(tmp_path / "out/feeds/instrument/kst-30013.xml").getroot()
    measures = linked_to(history, "kst-30013") | {"sa-sec-004"}
    links = [entry.find(f"{ATOM}link").get("href") for entry in bill.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    # its stage, and every assessment of the measures linked to it or waiting on it (sa-sec-004: two)
    assert sorted(links) == sorted(
        ["../../instrument/kst-30013/", "../../maatregel/sa-sec-004/"]
        + [f"../../maatregel/{key}/" for key in sorted(measures)]
    )


def test_feeds_link_absolutely_when_the_sites_url_is_known(history: Path, tmp_path: Path) -> None:
    site = site_of(history)
    [path] = write_feeds(tmp_path / "out", site.log, {}, "https://example.org/akkoord/")
    hrefs = [link.get("href") for link in ET.parse(path).getroot().iter(f"{ATOM}link")]
    assert hrefs[:2] == ["https://example.org/akkoord/veranderingen/", "https://example.org/akkoord/feeds/alles.xml"]
    assert all(href and href.startswith("https://example.org/akkoord/") for href in hrefs)


@pytest.mark.parametrize(
    ("day", "status", "assessed", "condition"),
    [
        ("2026-06-01", "", "", "pending"),  # before any assessment; the Senate has not voted yet
        ("2026-06-02", "", "", "met"),
        ("2026-11-29", "not-started", "2026-11-29", "met"),
        ("2026-11-30", "in-progress", "2026-11-30", "met"),
    ],
)
def test_status_as_of_a_day_worked_by_hand(history: Path, day: str, status: str, assessed: str, condition: str) -> None:
    result = CliRunner().invoke(main, ["status", "--as-of", day, "--format", "json", "--root", str(history)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    [row] = [row for row in answer["measures"] if row["measure"] == "sa-sec-004"]
    assert (row["status"], row["assessed"], row["condition"]) == (status, assessed, condition)
    others = [row for row in answer["measures"] if row["measure"] != "sa-sec-004"]
    expected = "not-started" if day >= "2026-11-29" else ""
    assert {row["status"] for row in others} == {expected} and {row["condition"] for row in others} == {""}


def test_without_recorded_stages_the_log_holds_the_assessments_only(base: Path, tmp_path: Path) -> None:
    model = load_model(Repo(copy_of(base, tmp_path)))
    assert {entry.kind for entry in log(model, {})} == {"assessment"}


@pytest.mark.parametrize("day", ["2026-06-01", "2026-11-29", "2026-11-30", "2026-12-31"])
def test_the_cookbook_status_on_a_day_agrees_with_status_as_of(history: Path, day: str) -> None:
    from policykb.compile.rdf import Builder
    from policykb.query import bounded, open_store
    from policykb.resources import QUERIES

    result = CliRunner().invoke(main, ["status", "--as-of", day, "--format", "json", "--root", str(history)])
    expected = {
        (f"https://w3id.org/policykb/id/measure/{row['measure']}", row["status"], row["assessed"])
        for row in json.loads(result.output)["measures"]
        if row["status"]
    }
    text = (QUERIES / "examples" / "status-on-a-day.rq").read_text(encoding="utf-8").replace("2026-11-30", day)
    store = open_store("oxigraph", Builder(load_model(Repo(history))).build())
    rows = {tuple("" if term is None else term.value for term in row) for row in bounded(store, text).rows}
    assert rows == expected and (day < "2026-11-29" or rows)
