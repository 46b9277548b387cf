"""`policykb check`: every rule passes its passing cases and fails (only) its failing ones, on
copies of the curated synthetic corpus; broken input never crashes it; the reports are usable."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_of
from policykb import yamlio
from policykb.check import run_checks
from policykb.check.rules import RULES
from policykb.cli import main
from policykb.repo import Repo

CASES = Path(__file__).parent / "cases" / "check"
ALL_CASES = sorted(CASES.glob("PK*/*.yaml"))


def apply(root: Path, edits: list[dict]) -> None:
    for edit in edits:
        ((kind, value),) = edit.items()
        if kind == "delete":
            (root / value).unlink()
            continue
        path = root / value["file"]
        if kind == "append":
            path.write_text(path.read_text(encoding="utf-8") + value["text"], encoding="utf-8")
        elif kind == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(value["text"], encoding="utf-8")
        elif kind == "sub":
            text = path.read_text(encoding="utf-8")
            new, count = re.subn(value["pattern"], value["new"], text, count=1, flags=re.M)
            assert count == 1, f"{value['pattern']!r} does not occur in {path}"
            path.write_text(new, encoding="utf-8")
        else:
            raise AssertionError(f"unknown edit {kind}")


def outcome(root: Path) -> tuple[set[str], set[str], str]:
    report = run_checks(Repo(root))
    failed = {item.rule.code for item in report.rules if item.status == "failed"}
    warned = {item.rule.code for item in report.rules if item.status == "warning"}
    problems = "\n".join(str(problem) for item in report.rules for problem in item.problems)
    return failed, warned, problems


def test_the_base_corpus_passes_every_rule(base: Path) -> None:
    failed, warned, problems = outcome(base)
    assert not failed and not warned, problems


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{path.parent.name}/{path.stem}" for path in ALL_CASES])
def test_case(case: Path, base: Path, tmp_path: Path) -> None:
    spec = yamlio.load(case)
    root = copy_of(base, tmp_path)
    apply(root, spec.get("mutate") or [])
    failed, warned, problems = outcome(root)
    assert failed == set(spec["expect"]), f"{spec['description']}\n{problems}"
    assert warned == set(spec.get("warnings") or []), f"{spec['description']}\n{problems}"
    if case.stem.startswith(("fail", "warn")):
        assert case.parent.name in failed | warned, "a failing case must fail its own rule"


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    for rule in RULES:
        names = [path.stem for path in (CASES / rule.code).glob("*.yaml")]
        assert any(name.startswith("pass") for name in names), f"{rule.code} has no passing case"
        failing = "warn" if rule.severity == "warning" else "fail"
        assert any(name.startswith(failing) for name in names), f"{rule.code} has no {failing}ing case"
        assert rule.why, f"{rule.code} has no docstring saying why it matters"


def test_problems_are_located(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    apply(
        root,
        [
            {
                "sub": {
                    "file": "policy/synthetic/measures/sa-sec-002.yaml",
                    "pattern": "reviewed: sha256:[0-9a-f]{8}",
                    "new": "reviewed: sha256:00000000",
                }
            }
        ],
    )
    report = run_checks(Repo(root))
    [problem] = report.by_code("PK104").problems
    path = root / "policy/synthetic/measures/sa-sec-002.yaml"
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("  - target:")
    )
    assert problem.file == path and problem.line == line and "stale" in problem.message


def test_invalid_utf8_in_one_file_is_reported_and_the_rest_checked(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    (root / "kb/themes/thema-5.yaml").write_bytes(b"id: thema-5\nkind: theme\nname: {nl: \xff\xfe, en: x}\n")
    report = run_checks(Repo(root))
    [problem] = report.by_code("PK100").problems
    assert str(problem).startswith(f"{root / 'kb/themes/thema-5.yaml'}:3: PK100 invalid UTF-8")
    assert report.by_code("PK101").status == "passed" and report.by_code("PK104").status == "passed"
    assert report.by_code("PK107").status == "failed"  # the measures' themes now point at nothing


def test_gate_and_report_modes_and_reports(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    ok = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert ok.exit_code == 0, ok.output
    assert (
        re.search(r"synthetic: (\d+)/\1 characters accounted for \(100\.00 %\)", ok.output)
        and "check: passed" in ok.output
    )
    (root / "policy/synthetic/measures/sa-sec-005.yaml").unlink()
    gate = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert gate.exit_code == 1 and "PK101" in gate.output and "check: FAILED" in gate.output
    assert re.search(r"policy/synthetic/text\.txt:\d+: PK101 \[\d+:\d+\] not in any heading", gate.output)
    report = CliRunner().invoke(main, ["check", "--root", str(root), "--report"])
    assert report.exit_code == 0
    folder = root / "build" / "reports"
    data = json.loads((folder / "check.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["ok"] is False
    assert [rule["code"] for rule in data["rules"]] == [rule.code for rule in RULES]
    pk101 = next(rule for rule in data["rules"] if rule["code"] == "PK101")
    assert pk101["status"] == "failed" and pk101["problems"][0]["file"] == "policy/synthetic/text.txt"
    assert data["coverage"][0]["percent"] < 100
    suite = ET.parse(folder / "junit.xml").getroot()
    assert suite.get("tests") == str(len(RULES)) and int(suite.get("failures")) >= 1
    assert suite.find("testcase[@name='PK101 every character of the text is accounted for, once']/failure") is not None
    assert "| PK101 |" in (folder / "check.md").read_text(encoding="utf-8")


def test_a_broken_profile_means_the_check_could_not_run(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    (root / "checks.yaml").write_text("thresholds: {source_coverage: 120}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 2 and "checks.yaml:1: thresholds.source_coverage" in result.output


def test_a_lower_threshold_lets_a_known_shortfall_pass(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    (root / "policy/synthetic/measures/sa-sec-005.yaml").unlink()
    (root / "checks.yaml").write_text("thresholds: {source_coverage: 90}\n", encoding="utf-8")
    report = run_checks(Repo(root))
    problems = report.by_code("PK101").problems
    assert problems and all("not in any heading" in problem.message for problem in problems)


def test_the_site_checks_the_graph_it_compiled_with_the_same_outcome(base: Path, tmp_path: Path) -> None:
    """`policykb site` hands the check the model and graph it has just made (issue 16): the report
    is the one a check that loads and compiles by itself gives, failures included."""
    from policykb.compile import compile_model
    from policykb.load import load

    root = copy_of(base, tmp_path)
    path = sorted((root / "policy" / "synthetic" / "measures").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"lead:\n  organisation: \S+", "lead:\n  organisation: thema-5", text), encoding="utf-8")
    repo = Repo(root)
    model, problems = load(repo)

    def summary(report: object) -> list[tuple[str, str, list[str]]]:
        return [
            (item.rule.code, item.status, [p.message for p in item.problems])
            for item in report.rules  # type: ignore[attr-defined]
        ]

    alone = summary(run_checks(repo))
    shared = summary(run_checks(repo, loaded=(model, problems), compiled=compile_model(repo, model)))
    assert shared == alone
    assert {code for code, status, _ in alone if status == "failed"} == {"PK107"}
