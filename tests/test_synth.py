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


def test_a_large_corpus_is_split_into_agreements_whose_ids_never_collide(tmp_path: Path) -> None:
    from policykb.check import run_checks

    repo = generate(tmp_path / "a", measures=50, words=WORDS, records=30, per_agreement=20)
    model = load_model(repo)
    sizes = {agreement.id: len(agreement.measures) for agreement in model.agreements}
    assert sizes == {"synthetic": 20, "synthetic-2": 20, "synthetic-3": 10}
    ids = [record.measure.id for record in model.measures()]
    assert len(set(ids)) == 50
    assert len({agreement.agreement.title for agreement in model.agreements}) == 3
    assert run_checks(repo).ok
