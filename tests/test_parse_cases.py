"""Golden cases: each `tests/cases/parse/<case>/` holds an input and what parse must find in it.

Inputs: `source.txt` (or `source.pdf`) and, optionally, `agreement.yaml` (curated settings such
as outline hints or the page-number convention). `expected.yaml` lists the sections (tree), every
measure with its section, page and exact text, every preamble, excluded span and removed piece of
page residue. Offsets are not in the golden file: their round trip is asserted for every case.

Regenerate after a deliberate change (the regenerating run fails on purpose), read the diff, then
run the tests again without it:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_parse_cases.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import parse_into
from policykb import yamlio
from policykb.load import load_model
from policykb.repo import Repo
from policykb.writing import write_bytes_atomic

CASES = Path(__file__).parent / "cases" / "parse"
HEADER = (
    "# What parse must find in this case's source (see tests/test_parse_cases.py).\n"
    "# Regenerate: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_parse_cases.py -k {case}\n"
)


def _source(case: Path) -> Path:
    return next(case / name for name in ("source.txt", "source.pdf") if (case / name).is_file())


def observed(root: Path, agreement: str) -> dict[str, Any]:
    """What a person checks in a parse: tree, measures, preambles, exclusions, removals."""
    model = load_model(Repo(root))
    data = next(item for item in model.agreements if item.id == agreement)
    text = data.text
    titles = {section.id: section.title for section in data.structure.sections}
    return {
        "sections": [
            {
                "title": section.title,
                "level": section.level,
                "parent": titles.get(section.parent) if section.parent else None,
            }
            for section in data.structure.sections
        ],
        "measures": [
            {"section": titles[record.measure.section], "page": record.measure.source.page, "text": record.measure.text}
            for record in sorted(data.measures, key=lambda record: record.measure.source.start)
        ],
        "preambles": [
            {
                "section": titles[preamble.section],
                "text": text[preamble.start : preamble.end],
                "candidates": [text[candidate.start : candidate.end] for candidate in preamble.candidates],
            }
            for preamble in data.structure.preambles
        ],
        "excluded": [{"reason": span.reason, "text": text[span.start : span.end]} for span in data.structure.excluded],
        "removed": [{"text": removed.text, "reason": removed.reason} for removed in data.structure.page_map.removed],
    }


@pytest.mark.parametrize("case", sorted(path.name for path in CASES.iterdir() if path.is_dir()))
def test_golden(case: str, root: Path) -> None:
    folder = CASES / case
    agreement_dir = root / "policy" / "case"
    if (folder / "agreement.yaml").is_file():
        agreement_dir.mkdir(parents=True)
        shutil.copy(folder / "agreement.yaml", agreement_dir / "agreement.yaml")
    parse_into(root, _source(folder), "case")
    result = observed(root, "case")

    # Every offset round-trips (load_model checks text.txt[start:end] == text for measures).
    text = (agreement_dir / "text.txt").read_text(encoding="utf-8")
    for section in load_model(Repo(root)).agreements[0].structure.sections:
        if section.heading is not None:
            assert text[section.heading.start : section.heading.end] == section.title

    expected_path = folder / "expected.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        # Written, then failed: a regeneration never passes by comparing a file with itself.
        write_bytes_atomic(expected_path, (HEADER.format(case=case) + yamlio.dumps(result)).encode("utf-8"))
        where = expected_path.relative_to(CASES.parent.parent.parent)
        pytest.fail(f"regenerated {where}: read its diff, then run the tests again without UPDATE_GOLDEN")
    expected = yamlio.load(expected_path)
    assert result == expected
