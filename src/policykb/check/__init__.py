"""`policykb check`: the traceability gate. Loads and compiles in memory from `policy/` and `kb/`
(never from `build/`), runs every rule of `rules.py`, collects every problem, then reports.

Reads the curated files, `checks.yaml` (the profile) and `queries/checks/`; writes
`build/reports/check.json`, `junit.xml` and `check.md` (`report.py`). Exit codes are the CLI's:
0 clean, 1 an error-severity rule failed (gate mode), 2 the check itself could not run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from policykb.check.profile import load_profile
from policykb.check.rules import RULES, Context, Rule
from policykb.load import Model, load
from policykb.problems import Problem
from policykb.repo import Repo

if TYPE_CHECKING:
    from policykb.compile import Compiled

REPORT_VERSION = 1


@dataclass
class RuleReport:
    rule: Rule
    severity: str
    problems: list[Problem]
    metrics: dict[str, Any]

    @property
    def status(self) -> str:
        if not self.problems:
            return "passed"
        return "failed" if self.severity == "error" else "warning"


@dataclass
class CheckReport:
    rules: list[RuleReport]
    generated: dt.datetime

    @property
    def ok(self) -> bool:
        return all(item.status != "failed" for item in self.rules)

    def by_code(self, code: str) -> RuleReport:
        return next(item for item in self.rules if item.rule.code == code)

    @property
    def coverage(self) -> list[dict[str, Any]]:
        return self.by_code("PK101").metrics.get("agreements", [])


def run_checks(
    repo: Repo,
    when: dt.datetime | None = None,
    loaded: tuple[Model, list[Problem]] | None = None,
    compiled: Compiled | None = None,
    on_rule: Callable[[str], None] | None = None,
) -> CheckReport:
    """Run every rule; raises `DataError` only when the profile itself is broken. `loaded` and
    `compiled`: the model and graph this run already made from the same files (`policykb site`),
    so they are not made twice. `on_rule` is told each rule as it starts (`PK111 …`: a progress
    bar, `policykb.terminal`)."""
    from policykb.compile import build_time

    profile, profile_path = load_profile(repo.root)
    model, problems = loaded if loaded is not None else load(repo)
    context = Context(repo, model, problems, profile, profile_path, compiled)
    reports = []
    for item in RULES:
        if on_rule is not None:
            on_rule(f"{item.code} {item.titel}")
        outcome = item.run(context)
        severity = profile.severities.get(item.code, item.severity)
        stamped = [
            replace(problem, code=item.code) for problem in outcome.problems
        ]  # the code is the rule's, stamped here
        reports.append(RuleReport(item, severity, sorted(stamped, key=_order), outcome.metrics))
    return CheckReport(reports, when or build_time())


def _order(problem: Problem) -> tuple[str, int, str]:
    return (str(problem.file), problem.line or 0, problem.message)
