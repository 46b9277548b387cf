"""`policykb diff`: on a git repository holding a copy of the synthetic corpus (committed with
dulwich), each kind of change made in the working tree, or in a second commit, is reported
exactly, and nothing else is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from dulwich import porcelain

from conftest import copy_of
from policykb.cli import main

MEASURE = "policy/synthetic/measures/sa-sec-004.yaml"
BILL = "kb/bills/kst-30013.yaml"


@pytest.fixture
def repository(base: Path, tmp_path: Path) -> Path:
    root = copy_of(base, tmp_path)
    porcelain.init(str(root))
    porcelain.add(
        str(root), paths=[str(path) for path in root.rglob("*") if path.is_file() and ".git" not in path.parts]
    )
    porcelain.commit(
        str(root), message=b"the synthetic corpus", author=b"t <t@example.org>", committer=b"t <t@example.org>"
    )
    return root


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(root: Path, path: str, text: str) -> None:
    with (root / path).open("a", encoding="utf-8") as file:
        file.write(text)


def changes(root: Path, *revisions: str) -> list[tuple[str, str, str, str]]:
    result = CliRunner().invoke(main, ["diff", *revisions, "--format", "json", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return [(c["kind"], c["subject"], c["action"], c["detail"]) for c in json.loads(result.output)["changes"]]


def test_no_change_says_so(repository: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "--root", str(repository)])
    assert result.exit_code == 0 and "No change to measures" in result.output


def test_a_status_assessment(repository: Path) -> None:
    edit(
        repository,
        MEASURE,
        "      - agreement\n",
        "      - agreement\n  - {date: 2026-11-30, value: in-progress, assessor: test, evidence: [agreement]}\n",
    )
    assert changes(repository) == [("status", "sa-sec-004", "added", "not-started → in-progress (test; agreement)")]


def test_a_status_change_between_two_commits_with_markdown(repository: Path) -> None:
    edit(
        repository,
        MEASURE,
        "      - agreement\n",
        "      - agreement\n  - {date: 2026-11-30, value: done, assessor: test, evidence: [agreement]}\n",
    )
    porcelain.add(str(repository), paths=[str(repository / MEASURE)])
    porcelain.commit(str(repository), message=b"done", author=b"t <t@example.org>", committer=b"t <t@example.org>")
    assert changes(repository, "HEAD~1", "HEAD") == [
        ("status", "sa-sec-004", "added", "not-started → done (test; agreement)")
    ]
    assert changes(repository) == []  # the working tree is the new commit
    result = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD", "--root", str(repository)])
    assert (
        "### Statuses" in result.output and "- **sa-sec-004** added (2026-11-30): not-started → done" in result.output
    )


def test_a_link_decided(repository: Path) -> None:
    edit(repository, MEASURE, "review: confirmed", "review: rejected\n    reason: not this body")
    [(kind, subject, action, detail)] = changes(repository)
    assert (kind, subject, action) == ("link", "sa-sec-004", "changed") and detail.endswith("confirmed → rejected")


def test_a_measure_retitled(repository: Path) -> None:
    text = (repository / MEASURE).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    edit(repository, MEASURE, title, "title: Een nieuwe titel")
    [(kind, subject, action, detail)] = changes(repository)
    assert (kind, subject, action) == ("measure", "sa-sec-004", "changed") and detail.endswith("→ Een nieuwe titel")


def test_a_stage_of_a_bill_and_the_condition_it_meets(repository: Path) -> None:
    append(repository, MEASURE, "condition:\n  any:\n    - {bill: kst-30013, stage: aangenomen-eerste-kamer}\n")
    porcelain.add(str(repository), paths=[str(repository / MEASURE)])
    porcelain.commit(str(repository), message=b"condition", author=b"t <t@example.org>", committer=b"t <t@example.org>")
    append(
        repository,
        BILL,
        "events:\n  - {stage: aangenomen-eerste-kamer, date: 2026-06-02, source: 'https://example.org/ek'}\n",
    )
    assert changes(repository) == [
        ("condition", "sa-sec-004", "changed", "condition pending → met"),
        ("event", "kst-30013", "added", "aangenomen-eerste-kamer (verified; https://example.org/ek)"),
    ]


def test_an_identifier_and_a_new_record(repository: Path) -> None:
    edit(repository, BILL, "value: '30013'", "value: '30014'")
    (repository / "kb/bills/kst-30999.yaml").write_text(
        (repository / BILL)
        .read_text(encoding="utf-8")
        .replace("30014", "30999")
        .replace("kst-30013", "kst-30999")
        .replace("bepaalde 13", "nieuw 999"),
        encoding="utf-8",
    )
    found = changes(repository)
    assert ("identifier", "kst-30013", "changed", "kamerstuk: 30013 (verified) → 30014 (verified)") in found
    assert [c for c in found if c[1] == "kst-30999"] == [
        ("record", "kst-30999", "added", "new bill: Wetsvoorstel nieuw 999")
    ]
    assert len(found) == 2


def test_an_unknown_revision_is_refused_located(repository: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "no-such-branch", "--root", str(repository)])
    assert result.exit_code == 2 and "no revision 'no-such-branch'" in result.output


def test_a_revision_with_its_own_older_vocabulary_still_loads(repository: Path) -> None:
    """A repository that keeps its own `schema/` from before a family existed (kinds of evidence)
    is read with that family as policykb ships it."""
    from policykb.vocab import PACKAGE_SCHEMA

    own = repository / "schema"
    own.mkdir()
    for path in PACKAGE_SCHEMA.glob("*.yaml"):
        if path.name != "evidence.yaml":
            (own / path.name).write_bytes(path.read_bytes())
    porcelain.add(str(repository), paths=[str(path) for path in own.iterdir()])
    porcelain.commit(
        str(repository), message=b"own vocabulary", author=b"t <t@example.org>", committer=b"t <t@example.org>"
    )
    (own / "evidence.yaml").write_bytes((PACKAGE_SCHEMA / "evidence.yaml").read_bytes())
    assert changes(repository) == []


def test_a_repository_in_a_folder_of_the_git_work_tree(repository: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "--root", str(repository / "policy" / ".." / "kb" / "..")])
    assert result.exit_code == 0, result.output
    inner = repository / "nested"
    inner.mkdir()
    (inner / "kb").mkdir()
    (inner / "kb" / "README.md").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "HEAD", "--root", str(inner)])
    assert result.exit_code == 2 and "has no folder nested" in result.output
