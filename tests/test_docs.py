"""The docs cannot drift from the code: every command and every Make target is documented."""

from __future__ import annotations

import re

from conftest import REPO
from policykb.cli import main


def docs_text() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    )


def test_every_command_is_documented() -> None:
    text = docs_text()
    missing = [name for name in main.commands if f"policykb {name}" not in text]
    assert missing == []


def test_every_make_target_has_a_help_line() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.MULTILINE)
    assert phony is not None
    helped = set(re.findall(r"^([a-z-]+):.*## ", makefile, re.MULTILINE))
    assert set(phony.group(1).split()) == helped


def test_every_decision_record_is_dated_and_has_a_status() -> None:
    for record in sorted((REPO / "docs" / "decisions").glob("*.md")):
        head = record.read_text(encoding="utf-8").splitlines()[:4]
        assert any(line.startswith("Date: ") and "Status: " in line for line in head), record.name
