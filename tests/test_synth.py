"""The synthetic corpus generator (policykb.synth): deterministic, valid, and curated like the real one."""

from __future__ import annotations

from pathlib import Path

from conftest import WORDS
from policykb import link
from policykb.load import load_model
from policykb.synth import generate


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_corpus_is_valid_linked_and_the_same_for_a_seed(tmp_path: Path) -> None:
    repo = generate(tmp_path / "a", measures=40, words=WORDS, records=30, seed=3)
    model = load_model(repo)
    measures = model.measures()
    assert len(measures) == 40 and len(model.kb) == 30
    assert all(record.measure.status and record.measure.themes for record in measures)
    assert sum(len(record.measure.links) for record in measures) >= 40
    assert all(entry.review == "confirmed" and entry.reviewed for record in measures for entry in record.measure.links)
    assert not link.plan(repo, model).changes()
    again = generate(tmp_path / "b", measures=40, words=WORDS, records=30, seed=3)
    assert snapshot(repo.root) == snapshot(again.root)
    other = generate(tmp_path / "c", measures=40, words=WORDS, records=30, seed=4)
    assert snapshot(repo.root) != snapshot(other.root)
