"""The docs cannot drift from the code: every command and every Make target is documented."""

from __future__ import annotations

import re
from pathlib import Path

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


def table_rows(text: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after `heading`, as cells (header and rule left out)."""
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]


def test_the_rule_table_of_check_md_is_the_code_s() -> None:
    from policykb.check.rules import RULES

    rows = table_rows((REPO / "docs" / "check.md").read_text(encoding="utf-8"), "## Rules")
    assert [(code, severity, title) for code, severity, title, _ in rows] == [
        (rule.code, rule.severity, rule.title) for rule in RULES
    ]


def test_the_documented_metrics_are_the_ones_a_check_reports(base: Path) -> None:
    from policykb.check import run_checks
    from policykb.repo import Repo

    rows = table_rows((REPO / "docs" / "check.md").read_text(encoding="utf-8"), "`metrics` holds a rule's figures")
    documented = {code: set(re.findall(r"^`([^`]+)`|, `([^`]+)`", cell)) for code, cell in rows}
    documented = {code: {name for pair in found for name in pair if name} for code, found in documented.items()}
    reported = {item.rule.code: set(item.metrics) for item in run_checks(Repo(base)).rules if item.metrics}
    assert documented == reported


def test_every_docs_path_a_docstring_names_exists() -> None:
    named = {
        (path.name, match)
        for path in sorted((REPO / "src").rglob("*.py"))
        for match in re.findall(r"\bdocs/[\w./-]*\w", path.read_text(encoding="utf-8"))
    }
    assert named, "the docstrings name docs"
    missing = [
        (name, match) for name, match in sorted(named) if not list(REPO.glob(match + "*"))
    ]  # `docs/decisions/0007` names 0007-…
    assert missing == []


def test_the_rdf_contract_and_the_vocabulary_state_the_same_version() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL

    vocabulary = Graph().parse(REPO / "src" / "policykb" / "schema" / "policykb.ttl")
    version = str(vocabulary.value(URIRef("https://w3id.org/policykb/def"), OWL.versionInfo))
    contract = (REPO / "docs" / "rdf-contract.md").read_text(encoding="utf-8")
    assert f"**Version {version}**" in contract and f"- **{version} (" in contract


def test_every_sparql_example_in_the_docs_is_a_query() -> None:
    """The docs' SPARQL blocks (a CELLAR join, …) parse; the cookbook's are run by test_queries."""
    from rdflib.plugins.sparql import prepareQuery

    blocks = [
        (path.name, block)
        for path in sorted((REPO / "docs").glob("*.md"))
        for block in re.findall(r"```sparql\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    ]
    assert blocks, "the RDF contract shows how to join CELLAR"
    for name, block in blocks:
        try:
            prepareQuery(block)
        except Exception as error:  # a syntax error, said with the file it is in
            raise AssertionError(f"{name}: {error}") from error
