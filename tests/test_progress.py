"""Status over time, on copies of the synthetic corpus: a condition evaluated from the bills'
recorded stages (and as of a date), `policykb assess` appending to the status log without
reformatting it and refusing what would break it, and the assessments and condition states in RDF."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from conftest import copy_of
from policykb.cli import main
from policykb.compile.rdf import build_graph
from policykb.load import load_model
from policykb.progress import evaluate
from policykb.repo import Repo

MEASURE = "policy/synthetic/measures/sa-sec-004.yaml"
BILLS = ("kb/bills/kst-30013.yaml", "kb/bills/kst-30018.yaml")


def with_condition(root: Path, combination: str, events: dict[str, list[tuple[str, str, str]]]) -> Path:
    """The measure waits for both bills to pass the Senate; each bill gets `events` (stage, date, status)."""
    waits = "".join(f"    - {{bill: {Path(bill).stem}, stage: aangenomen-eerste-kamer}}\n" for bill in BILLS)
    with (root / MEASURE).open("a", encoding="utf-8") as file:
        file.write(f"condition:\n  {combination}:\n{waits}")
    for bill, items in events.items():
        lines = "".join(
            f"  - {{stage: {stage}, date: {date}, source: 'https://example.org/{stage}', status: {status}}}\n"
            for stage, date, status in items
        )
        with (root / bill).open("a", encoding="utf-8") as file:
            file.write(f"events:\n{lines}")
    return root


def evaluated(root: Path, as_of: dt.date | None = None):  # type: ignore[no-untyped-def]
    model = load_model(Repo(root))
    measure = next(record.measure for record in model.measures() if record.measure.id == "sa-sec-004")
    assert measure.condition is not None
    kb = {key: entry.record for key, entry in model.kb.items()}
    return evaluate(measure.condition, kb, model.vocabulary, as_of)


PASSED = ("aangenomen-eerste-kamer", "2026-06-02", "verified")
PUBLISHED = ("bekendgemaakt", "2026-07-01", "verified")
BEFORE_SENATE = ("aanhangig-eerste-kamer", "2026-03-02", "verified")
REJECTED = ("verworpen-eerste-kamer", "2026-05-12", "verified")


@pytest.mark.parametrize(
    ("combination", "events", "state", "decided"),
    [
        ("any", {BILLS[0]: [BEFORE_SENATE]}, "pending", None),
        ("any", {BILLS[0]: [BEFORE_SENATE, PASSED]}, "met", "2026-06-02"),
        ("any", {BILLS[0]: [PUBLISHED]}, "met", "2026-07-01"),  # published: it passed the Senate
        ("any", {BILLS[0]: [REJECTED]}, "pending", None),  # the other bill may still pass
        ("any", {BILLS[0]: [REJECTED], BILLS[1]: [REJECTED]}, "failed", "2026-05-12"),
        ("all", {BILLS[0]: [PASSED]}, "pending", None),
        ("all", {BILLS[0]: [PASSED], BILLS[1]: [PUBLISHED]}, "met", "2026-07-01"),  # the later decides
        ("all", {BILLS[0]: [PASSED], BILLS[1]: [REJECTED]}, "failed", "2026-05-12"),
    ],
    ids=[
        "any-pending",
        "any-met",
        "any-met-by-a-later-stage",
        "any-one-rejected-still-pending",
        "any-all-rejected-failed",
        "all-one-passed-pending",
        "all-met-on-the-later-date",
        "all-one-rejected-failed",
    ],
)
def test_a_condition_is_evaluated_from_the_bills_stages(
    base: Path, tmp_path: Path, combination: str, events: dict, state: str, decided: str | None
) -> None:
    root = with_condition(copy_of(base, tmp_path), combination, events)
    evaluation = evaluated(root)
    assert evaluation.state == state
    found = (
        evaluation.decided_by.event.date.isoformat() if evaluation.decided_by and evaluation.decided_by.event else None
    )
    assert found == decided


def test_as_of_a_date_only_what_was_known_then_counts(base: Path, tmp_path: Path) -> None:
    root = with_condition(copy_of(base, tmp_path), "any", {BILLS[0]: [BEFORE_SENATE, PASSED]})
    assert evaluated(root, dt.date(2026, 6, 1)).state == "pending"
    assert evaluated(root, dt.date(2026, 6, 2)).state == "met"


def test_a_state_resting_on_an_unverified_event_says_so(base: Path, tmp_path: Path) -> None:
    root = with_condition(
        copy_of(base, tmp_path), "any", {BILLS[0]: [("aangenomen-eerste-kamer", "2026-06-02", "unverified")]}
    )
    evaluation = evaluated(root)
    assert evaluation.state == "met" and evaluation.unverified


def test_the_condition_state_and_the_assessments_provenance_are_in_rdf(base: Path, tmp_path: Path) -> None:
    root = with_condition(copy_of(base, tmp_path), "any", {BILLS[0]: [BEFORE_SENATE, PASSED]})
    graph = build_graph(load_model(Repo(root)))
    kb = "https://w3id.org/policykb/def#"
    node = URIRef("https://w3id.org/policykb/id/condition/sa-sec-004")
    assert (node, URIRef(kb + "conditionState"), URIRef("https://w3id.org/policykb/id/condition-state/met")) in graph
    assert (node, URIRef(kb + "decidedBy"), URIRef("https://w3id.org/policykb/id/event/kst-30013/2")) in graph
    assessment = URIRef("https://w3id.org/policykb/id/assessment/sa-sec-004/1")
    assert (assessment, PROV.generatedAtTime, Literal("2026-11-29T00:00:00", datatype=XSD.dateTime)) in graph
    [agent] = graph.objects(assessment, PROV.wasAttributedTo)
    assert (agent, RDF.type, PROV.Agent) in graph


# --- policykb assess ---------------------------------------------------------------------------


def assess(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["assess", *args, "--root", str(root)])
    return result.exit_code, result.output


def test_assess_appends_one_assessment_and_changes_no_other_line(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    before = (root / MEASURE).read_text(encoding="utf-8")
    code, output = assess(
        root,
        "sa-sec-004",
        "in-progress",
        "--date",
        "2026-11-30",
        "--assessor",
        "Redactie migratie",
        "--evidence",
        "agreement",
        "--evidence",
        "news=https://example.org/bericht",
        "--note",
        "Een wetsvoorstel is ingediend.",
    )
    assert code == 0, output
    after = (root / MEASURE).read_text(encoding="utf-8")
    old, new = before.splitlines(), after.splitlines()
    operations = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in operations} == {"equal", "insert"}  # every old line kept, in order
    [(_, _, _, start, end)] = [operation for operation in operations if operation[0] == "insert"]
    added = new[start:end]
    assert added == [
        "  - date: 2026-11-30",
        "    value: in-progress",
        "    assessor: Redactie migratie",
        "    evidence:",
        "      - agreement",
        "      - {type: news, url: https://example.org/bericht}",
        "    note: Een wetsvoorstel is ingediend.",
    ]
    status = next(r.measure for r in load_model(Repo(root)).measures() if r.measure.id == "sa-sec-004").status
    assert [a.value for a in status] == ["not-started", "in-progress"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-11-28"], "is not after the latest assessment of sa-sec-004 (2026-11-29"),
        (["--date", "2026-11-29"], "is not after the latest assessment of sa-sec-004 (2026-11-29"),
        (["--date", "2999-01-01"], "2999-01-01 is after today"),
        (["--date", "2026-11-30", "--no-evidence"], "sa-sec-004.evidence: List should have at least 1 item"),
        (["--date", "2026-11-30", "--evidence", "kst-99999"], "no kb record 'kst-99999'"),
        (["--date", "2026-11-30", "--evidence", "rumour=https://example.org/x"], "unknown kind of evidence 'rumour'"),
        (["--date", "2026-11-30", "--no-assessor"], "sa-sec-004.assessor: say who made the assessment"),
    ],
    ids=["older", "same-day", "future", "no-evidence", "unknown-record", "unknown-kind", "no-assessor"],
)
def test_assess_refuses_and_writes_nothing(base: Path, tmp_path: Path, args: list[str], message: str) -> None:
    root = copy_of(base, tmp_path)
    before = (root / MEASURE).read_bytes()
    options = [arg for arg in args if not arg.startswith("--no-")]
    if "--no-evidence" not in args and "--evidence" not in options:
        options += ["--evidence", "agreement"]
    if "--no-assessor" not in args:
        options += ["--assessor", "test"]
    code, output = assess(root, "sa-sec-004", "done", *options)
    assert code == 2 and message in output, output
    assert (root / MEASURE).read_bytes() == before


def test_assess_from_a_file_writes_all_or_nothing(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    paths = sorted((root / "policy/synthetic/measures").glob("*.yaml"))[:2]
    before = [path.read_bytes() for path in paths]
    batch = tmp_path / "ronde.yaml"
    batch.write_text(
        f"{paths[0].stem}: {{date: 2026-11-30, value: in-progress, assessor: test, evidence: [agreement]}}\n"
        f"{paths[1].stem}: {{date: 2026-11-30, value: in-progress, assessor: test, evidence: [onbekend]}}\n",
        encoding="utf-8",
    )
    code, output = assess(root, "--from", str(batch))
    assert code == 2 and "no kb record 'onbekend'" in output
    assert [path.read_bytes() for path in paths] == before
    batch.write_text(batch.read_text(encoding="utf-8").replace("[onbekend]", "[agreement]"), encoding="utf-8")
    code, output = assess(root, "--from", str(batch))
    assert code == 0, output
    assert all(path.read_bytes() != old for path, old in zip(paths, before, strict=True))


def test_a_failed_condition_reads_as_such_on_the_index_and_the_measure_page(base: Path, tmp_path: Path) -> None:
    from policykb.site.pages import Site

    root = with_condition(copy_of(base, tmp_path), "all", {BILLS[0]: [REJECTED]})
    pages = Site(load_model(Repo(root)), None, {}).pages()
    shown = '>niet begonnen</span> <span class="pkb-badge-note">voorwaarde niet meer te vervullen</span>'
    assert shown in pages["maatregel/sa-sec-004.md"] and shown in pages["maatregelen.md"]
    name = load_model(Repo(root)).kb["kst-30013"].record.name.nl
    assert (
        f"Stand volgens de vastgelegde stadia: <strong>niet meer te vervullen op 12 mei 2026 ({name})"
        in (pages["maatregel/sa-sec-004.md"])
    )


def test_a_stage_meets_only_the_stages_it_implies_never_by_file_order() -> None:
    from policykb.vocab import default_vocabulary

    vocabulary = default_vocabulary()
    assert {"aangenomen-eerste-kamer", "aanhangig-eerste-kamer", "aangenomen-tweede-kamer", "ingediend"} <= (
        vocabulary.implied("bekendgemaakt")
    )
    assert "positie-parlement" not in vocabulary.implied("positie-raad")  # the Council's is not the Parliament's
    assert "aangenomen-eerste-kamer" not in vocabulary.implied("verworpen-eerste-kamer")
