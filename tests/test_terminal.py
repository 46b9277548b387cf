"""Progress on a terminal: the bar names the step at hand, and a log or pipe gets nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from policykb.check import run_checks
from policykb.check.rules import RULES
from policykb.repo import Repo
from policykb.terminal import steps


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_steps_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with steps("controle", 2, stream) as advance:
        advance("PK101 elk teken")
        advance("PK102 elk citaat")
    shown = stream.getvalue()
    assert "controle" in shown and "PK101 elk teken" in shown and "PK102 elk citaat" in shown


@pytest.mark.parametrize("ci", [None, "true"])
def test_a_log_or_ci_gets_no_progress(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    if ci:
        monkeypatch.setenv("CI", ci)
        stream: io.StringIO = Terminal()
    else:
        monkeypatch.delenv("CI", raising=False)
        stream = io.StringIO()  # not a terminal
    with steps("controle", 1, stream) as advance:
        advance("PK101")
    assert stream.getvalue() == ""


def test_the_check_names_every_rule_as_it_starts(base: Path) -> None:
    started: list[str] = []
    run_checks(Repo(base), on_rule=started.append)
    assert [item.split()[0] for item in started] == [rule.code for rule in RULES]
    assert started[0] == f"{RULES[0].code} {RULES[0].titel}"
