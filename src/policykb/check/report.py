"""The reports of `policykb check`: the terminal summary, `check.json`, `junit.xml`, `check.md`.

Reads a `CheckReport`; returns text, or writes the three files into a folder (atomically). The
JSON schema is documented in docs/check.md and versioned (`version`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

from policykb.check import REPORT_VERSION, CheckReport
from policykb.problems import Problem
from policykb.writing import write_bytes_atomic


def _where(problem: Problem, root: Path) -> str:
    """The problem as every command prints it, without the builder's own folder in it (reports
    are published on the site)."""
    return replace(_published(problem, root)).shown(root)


def _published(problem: Problem, root: Path) -> Problem:
    file = "." if problem.file == root else problem.file
    return replace(problem, file=file, message=problem.message.replace(f"{root}/", "").replace(str(root), "."))


def summary(report: CheckReport, root: Path) -> str:
    """What the terminal shows: coverage, one line per rule, every problem located."""
    lines = []
    for agreement in report.coverage:
        lines.append(
            f"{agreement['agreement']}: {agreement['covered']}/{agreement['characters']} "
            f"characters accounted for ({agreement['percent']:.2f} %)"
        )
        removed = agreement["removed"]
        lines.append(
            f"  removed as page furniture: {removed['lines']} line(s), {removed['characters']} "
            f"characters ({removed['percent']:.2f} %, limit {removed['limit']:g} %)"
        )
        for section in agreement["sections"]:
            lines.append(f"  {section['percent']:>6.2f} %  {section['title']}")
    identifiers = report.by_code("PK109").metrics
    if identifiers:
        lines.append(
            f"identifiers: {identifiers['with_identifier']}/{identifiers['instruments']} "
            f"instruments ({identifiers['percent']:.2f} %), "
            f"known gaps: {', '.join(identifiers['known_gaps']) or 'none'}"
        )
    links = report.by_code("PK104").metrics
    if links:
        lines.append("links: " + ", ".join(f"{value} {name}" for name, value in links.items()))
    lines.append("")
    for item in report.rules:
        lines.append(f"{item.rule.code} {item.severity:<7} {item.status:<7} {len(item.problems):>4}  {item.rule.title}")
    problems = [problem for item in report.rules for problem in item.problems]
    if problems:
        lines.append("")
        lines += [_where(problem, root) for problem in problems]
    errors = sum(len(item.problems) for item in report.rules if item.status == "failed")
    warnings = sum(len(item.problems) for item in report.rules if item.status == "warning")
    lines.append("")
    lines.append(f"check: {'passed' if report.ok else 'FAILED'} ({errors} error(s), {warnings} warning(s))")
    return "\n".join(lines) + "\n"


def as_json(report: CheckReport, root: Path) -> dict[str, Any]:
    def problem(item: Problem) -> dict[str, Any]:
        published = _published(item, root)
        return {
            "file": published.where(root).split(":")[0],
            "line": item.line,
            "field": item.field,
            "message": published.message,
        }

    return {
        "version": REPORT_VERSION,
        "generated": report.generated.isoformat().replace("+00:00", "Z"),
        "ok": report.ok,
        "coverage": report.coverage,
        "rules": [
            {
                "code": item.rule.code,
                "title": item.rule.title,
                "titel": item.rule.titel,
                "why": item.rule.why,
                "severity": item.severity,
                "status": item.status,
                "problems": [problem(p) for p in item.problems],
                "metrics": item.metrics,
            }
            for item in report.rules
        ],
    }


def junit(report: CheckReport, root: Path) -> bytes:
    failures = sum(1 for item in report.rules if item.status == "failed")
    suite = ET.Element(
        "testsuite",
        name="policykb check",
        tests=str(len(report.rules)),
        failures=str(failures),
        errors="0",
        skipped="0",
        timestamp=report.generated.isoformat(),
    )
    for item in report.rules:
        case = ET.SubElement(suite, "testcase", classname="policykb.check", name=f"{item.rule.code} {item.rule.title}")
        text = "\n".join(_where(problem, root) for problem in item.problems)
        if item.status == "failed":
            failure = ET.SubElement(case, "failure", message=f"{len(item.problems)} problem(s)", type=item.rule.code)
            failure.text = text
        elif item.problems:
            ET.SubElement(case, "system-out").text = "warnings:\n" + text
    ET.indent(suite)
    return ET.tostring(suite, encoding="utf-8", xml_declaration=True) + b"\n"


def markdown(report: CheckReport, root: Path) -> str:
    lines = [
        "# Controle van de herleidbaarheid",
        "",
        f"Uitkomst: **{'geslaagd' if report.ok else 'NIET geslaagd'}** ({report.generated.date().isoformat()}).",
        "",
    ]
    for agreement in report.coverage:
        lines += [
            f"## Dekking van de tekst: {agreement['agreement']}",
            "",
            f"{agreement['covered']} van {agreement['characters']} tekens verantwoord ({agreement['percent']:.2f} %).",
            "",
            "| onderdeel | tekens | verantwoord | % |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {_cell(section['title'])} | {section['characters']} | {section['covered']} | {section['percent']:.2f} |"
            for section in agreement["sections"]
        ]
        removed = agreement["removed"]
        lines += [
            "",
            f"Als paginaopmaak verwijderd (paginanummers, kop- en voetregels): {removed['lines']} regel(s), "
            f"{removed['characters']} tekens ({removed['percent']:.2f} % van de tekst; "
            f"de grens is {removed['limit']:g} %).",
            "",
        ]
    lines += ["## Regels", "", "| code | regel | ernst | uitkomst | problemen |", "|---|---|---|---|---:|"]
    labels = {"passed": "geslaagd", "failed": "mislukt", "warning": "waarschuwing"}
    lines += [
        f"| {item.rule.code} | {_cell(item.rule.title)} | {item.severity} | {labels[item.status]} "
        f"| {len(item.problems)} |"
        for item in report.rules
    ]
    for item in report.rules:
        if item.problems:
            lines += ["", f"### {item.rule.code} {_cell(item.rule.title)}", ""]
            lines += [f"- `{_where(problem, root).replace('`', '')}`" for problem in item.problems]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_reports(report: CheckReport, folder: Path, root: Path) -> list[Path]:
    files = {
        "check.json": (json.dumps(as_json(report, root), ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "junit.xml": junit(report, root),
        "check.md": markdown(report, root).encode("utf-8"),
    }
    for name, content in files.items():
        write_bytes_atomic(folder / name, content)
    return [folder / name for name in files]
