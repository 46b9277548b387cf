"""kb records: real identifier forms accepted, bad ones refused with their location."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykb import yamlio
from policykb.load import load_model
from policykb.problems import DataError
from policykb.repo import Repo
from policykb.vocab import default_vocabulary

ACT = """id: eu-2024-1349
kind: eu-regulation
name: {nl: Verordening (EU) 2024/1349, en: Regulation (EU) 2024/1349}
aliases: [terugkeergrensprocedure]
identifiers:
  celex: {value: 32024R1349, source: 'https://eur-lex.europa.eu/eli/reg/2024/1349/oj'}
  eli: {value: 'http://data.europa.eu/eli/reg/2024/1349/oj', source: null, status: derived}
  procedure: {value: '2016/0224B(COD)', source: 'https://oeil.secure.europarl.europa.eu/'}
events:
  - {stage: vastgesteld, date: 2024-05-14, source: 'https://eur-lex.europa.eu/eli/reg/2024/1349/oj'}
"""
PROPOSAL = """id: eu-2025-0059-cod
kind: eu-procedure
name: {nl: Terugkeerverordening (voorstel), en: Return Regulation (proposal)}
aliases: [EU-terugkeerverordening]
identifiers:
  celex: {value: 52025PC0101, source: 'https://eur-lex.europa.eu/', status: unverified, confidence: medium}
  com: {value: 'COM(2025) 101', source: 'https://eur-lex.europa.eu/'}
"""
BILL = """id: kst-36600-xx
kind: bill
name: {nl: Begroting, en: Budget}
identifiers:
  kamerstuk: {value: 36600-XX, source: 'https://zoek.officielebekendmakingen.nl/kst-36600-XX-F.html'}
"""


def write(root: Path, folder: str, name: str, text: str) -> Path:
    path = root / "kb" / folder / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(root: Path) -> str:
    with pytest.raises(DataError) as error:
        load_model(Repo(root))
    return str(error.value)


def test_real_identifier_forms_are_accepted(root: Path) -> None:
    write(root, "eu-acts", "eu-2024-1349", ACT)
    write(root, "eu-procedures", "eu-2025-0059-cod", PROPOSAL)
    write(root, "bills", "kst-36600-xx", BILL)
    model = load_model(Repo(root))
    assert sorted(model.kb) == ["eu-2024-1349", "eu-2025-0059-cod", "kst-36600-xx"]


def test_every_scheme_pattern_accepts_its_examples() -> None:
    for scheme, definition in default_vocabulary().schemes.items():
        for example in definition.examples:
            assert re.match(definition.pattern, example), (scheme, example)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("value: 32024R1349", "value: 2024R1349"),
            "eu-2024-1349.yaml:6: identifiers.celex: '2024R1349' does not match the celex pattern",
        ),
        (("id: eu-2024-1349", "id: ../x"), "eu-2024-1349.yaml:1: id: String should match pattern"),
        (
            ("source: 'https://eur-lex.europa.eu/eli/reg/2024/1349/oj'}\n  eli", "source: null}\n  eli"),
            "eu-2024-1349.yaml:6: identifiers.celex: an identifier needs the source it was read at",
        ),
        (("stage: vastgesteld", "stage: passed"), "eu-2024-1349.yaml:10: events.0: unknown stage 'passed'"),
        (("kind: eu-regulation", "kind: law"), "eu-2024-1349.yaml:2: kind: a law belongs in kb/laws/"),
        (("\nevents:", "\ncolour: red\nevents:"), "eu-2024-1349.yaml:9: colour: unknown field"),
    ],
    ids=["celex-shape", "escaping-id", "identifier-without-source", "unknown-stage", "wrong-folder", "unknown-field"],
)
def test_bad_records_are_refused_with_their_location(root: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in ACT
    write(root, "eu-acts", "eu-2024-1349", ACT.replace(old, new, 1))
    assert expected in problems(root)


def test_an_alias_shared_by_two_records_must_be_marked_ambiguous(root: Path) -> None:
    write(
        root,
        "eu-acts",
        "eu-2024-1349",
        ACT.replace("aliases: [terugkeergrensprocedure]", "aliases: [EU-terugkeerverordening]"),
    )
    write(root, "eu-procedures", "eu-2025-0059-cod", PROPOSAL)
    message = problems(root)
    assert "eu-2024-1349.yaml:4: aliases: 'eu-terugkeerverordening' is also an alias of eu-2025-0059-cod" in message
    assert "eu-2025-0059-cod.yaml:4: aliases:" in message
    marked = "aliases: [{text: EU-terugkeerverordening, ambiguous: true}]"
    write(root, "eu-acts", "eu-2024-1349", ACT.replace("aliases: [terugkeergrensprocedure]", marked))
    write(root, "eu-procedures", "eu-2025-0059-cod", PROPOSAL.replace("aliases: [EU-terugkeerverordening]", marked))
    assert len(load_model(Repo(root)).kb) == 2


def test_references_must_resolve(root: Path) -> None:
    write(root, "bills", "kst-36600-xx", BILL + "relations:\n  - {relation: amends, target: vreemdelingenwet-2000}\n")
    assert "kst-36600-xx.yaml:7: relations.0.target: unknown kb id 'vreemdelingenwet-2000'" in problems(root)


def test_templates_are_valid_records_apart_from_their_references() -> None:
    from policykb.model import KbRecord
    from policykb.validation import validate

    templates = Path(__file__).resolve().parents[1] / "kb" / "_templates"
    for path in sorted(templates.glob("*.yaml")):
        validate(KbRecord, yamlio.load(path), path)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "status:\n  - {date: 2026-01-01, value: started, assessor: test, evidence: [agreement]}\n",
            ":{1}: status.0: unknown status 'started'",
        ),
        (
            "status:\n  - {date: 2026-01-01, value: done, assessor: test, evidence: []}\n",
            ":{1}: status.0.evidence: List should have at least 1 item",
        ),
        (
            "status:\n  - {date: 2026-02-01, value: in-progress, assessor: test, evidence: [agreement]}\n "
            " - {date: 2026-01-01, value: done, assessor: test, evidence: [agreement]}\n",
            ":{0}: status: assessments must be in date order",
        ),
        (
            "condition:\n  any:\n    - {bill: kst-36600-xx, stage: aangenomen-senaat}\n",
            ":{2}: condition.any.0: unknown stage 'aangenomen-senaat'",
        ),
        (
            "condition:\n  all:\n    - {bill: eu-2024-1349, stage: vastgesteld}\n",
            ":{0}: condition.0.bill: 'eu-2024-1349' is not a bill or EU procedure",
        ),
        (
            "status:\n  - {date: 2026-01-01, value: done, assessor: test, evidence: [nieuws]}\n",
            ":{0}: status.evidence: 'nieuws' is not `agreement` or a kb record id",
        ),
    ],
    ids=["unknown-status", "no-evidence", "out-of-order", "unknown-stage", "condition-not-a-bill", "bad-evidence"],
)
def test_status_and_condition_are_checked(root: Path, extra: str, expected: str) -> None:
    from conftest import parse_into

    source = root / "in.txt"
    source.write_text("Wonen\n\n• We bouwen.\n", encoding="utf-8")
    parse_into(root, source, "xx")
    write(root, "eu-acts", "eu-2024-1349", ACT)
    write(root, "bills", "kst-36600-xx", BILL)
    measure = next((root / "policy" / "xx" / "measures").glob("*.yaml"))
    before = measure.read_text(encoding="utf-8")
    first = before.count("\n") + 1  # the line the extra field starts on
    measure.write_text(before + extra, encoding="utf-8")
    assert f"{measure.name}{expected.format(first, first + 1, first + 2)}" in problems(root)
