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


def test_a_step_inside_another_shows_no_bar_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two bars on one line would garble both: the inner step is silent, the outer goes on."""
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with steps("controle", 1, stream) as advance:
        advance("PK103 opnieuw inlezen")
        with steps("pdf lezen", 3, stream) as inner:
            inner("pagina 1")
    shown = stream.getvalue()
    assert "PK103 opnieuw inlezen" in shown and "pdf lezen" not in shown and "pagina 1" not in shown
    with steps("pdf lezen", 1, stream) as advance:  # once the outer bar is done, a bar shows again
        advance("pagina 1")
    assert "pagina 1" in stream.getvalue()


def test_loading_linking_and_reading_a_pdf_show_their_progress(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The long steps of load, link and parse name the item at hand: each measure file, each
    measure matched, each page of a PDF."""
    import sys

    from policykb.link import plan
    from policykb.load import load_model
    from policykb.parse.pdf import read_pdf

    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    model = load_model(Repo(base))
    measures = [record.measure.id for record in model.measures()]
    assert "laden synthetic" in stream.getvalue() and measures[-1] in stream.getvalue()
    stream.seek(0)
    stream.truncate()
    plan(Repo(base), model)
    assert "koppelen synthetic" in stream.getvalue() and "namen zoeken" in stream.getvalue()
    assert measures[-1] in stream.getvalue()
    stream.seek(0)
    stream.truncate()
    pdf = Path(__file__).parent / "fixtures" / "pdf" / "agreement-small.pdf"
    pages = max(line.physical_page for line in read_pdf(pdf))
    assert "pdf lezen" in stream.getvalue() and f"pagina {pages}" in stream.getvalue()


def test_a_bar_left_by_an_exception_does_not_silence_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with pytest.raises(ValueError), steps("controle", 2, stream) as advance:
        advance("PK101")
        raise ValueError("a rule failed")
    with steps("pagina's", 1, stream) as advance:
        advance("Start")
    assert "pagina's" in stream.getvalue() and "Start" in stream.getvalue()


def _on_a_terminal(*arguments: str) -> str:
    """What `policykb ARGUMENTS` writes to standard error when that is a terminal (a pseudo-terminal)."""
    import os
    import subprocess
    import sys

    leader, follower = os.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "CI"} | {"COLUMNS": "200"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "policykb"), *arguments],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environment,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child has closed its end
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(leader)
    return shown.decode("utf-8", errors="replace")


def test_the_check_shows_the_loading_and_then_the_rules(base: Path) -> None:
    """Loading runs before the rules' bar, so each shows its own (one inside the other would be silent)."""
    shown = _on_a_terminal("check", "--root", str(base), "--report", "--out", str(base.parent / "check-reports"))
    assert "laden synthetic" in shown and "controle" in shown
    assert shown.index("laden synthetic") < shown.index("controle")


def test_parse_names_each_agreement_it_re_parses(tmp_path: Path) -> None:
    from conftest import WORDS
    from policykb.synth import generate

    generate(tmp_path, measures=12, words=WORDS, records=10, curated=False, per_agreement=6)
    shown = _on_a_terminal("parse", "--root", str(tmp_path), "--check")
    assert "inlezen" in shown and "synthetic-2" in shown
