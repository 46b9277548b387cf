"""A curated file whose bytes were loaded before is taken from `build/cache/` (policykb.load_cache):
the same model, every problem still found, an edited file read again, a stale or damaged cache
never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_of
from policykb import yamlio
from policykb.load import load, load_model
from policykb.repo import Repo
from policykb.writing import claim_output


@pytest.fixture(autouse=True)
def _own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # this test's own signing key


def marked(base: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic corpus whose build folder policykb has made (as `compile` makes it)."""
    root = copy_of(base, tmp_path)
    claim_output(Repo(root), None, "compile")
    return root


def snapshot(root: Path) -> dict[str, object]:
    model = load_model(Repo(root))
    return {
        **{record.measure.id: record.measure for record in model.measures()},
        **{key: entry.record for key, entry in model.kb.items()},
        **{agreement.id: (agreement.agreement, agreement.structure) for agreement in model.agreements},
    }


def no_yaml_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every curated file libyaml is asked to read."""
    read: list[Path] = []
    original = yamlio.read

    def counted(path: Path, data: bytes | None = None) -> yamlio.Document:
        read.append(path)
        return original(path, data)

    monkeypatch.setattr(yamlio, "read", counted)
    return read


def test_a_second_load_reads_no_unchanged_file_and_gives_the_same_model(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = marked(base, tmp_path)
    first = snapshot(root)
    assert list((root / "build" / "cache").glob("load-*.pickle"))
    read = no_yaml_read(monkeypatch)
    assert snapshot(root) == first
    assert not [path for path in read if path.name != "mentions.yaml"]  # measures, records, agreements


def test_an_edited_file_is_read_again_and_a_bad_one_still_reported(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = marked(base, tmp_path)
    snapshot(root)
    paths = sorted(root.glob("policy/*/measures/*.yaml"))
    raw = yamlio.load(paths[0])
    raw["status"][0]["note"] = "Nieuw gelezen."
    paths[0].write_text(yamlio.dumps(raw), encoding="utf-8")
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("lifecycle: active", "lifecycle: ergens"))
    read = no_yaml_read(monkeypatch)
    model, problems = load(Repo(root))
    assert set(read) & set(paths) == {paths[0], paths[1]}  # the others came from the cache
    edited = next(record.measure for record in model.measures() if record.path == paths[0])
    assert edited.status[0].note == "Nieuw gelezen."
    assert [problem.file for problem in problems] == [paths[1]] and "lifecycle" in str(problems[0])
    model, again = load(Repo(root))  # a file with a problem is never kept: it is found every time
    assert again == problems


def test_a_cache_of_other_code_or_a_damaged_one_is_not_used(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = marked(base, tmp_path)
    first = snapshot(root)
    (kept,) = (root / "build" / "cache").glob("load-*.pickle")
    monkeypatch.setattr("policykb.load.setting_of", lambda folder: "other")  # as after a change of code
    read = no_yaml_read(monkeypatch)
    assert snapshot(root) == first and read
    assert [path.name for path in (root / "build" / "cache").glob("load-*.pickle")] == ["load-other.pickle"]
    assert not kept.exists()  # the stale one is gone
    (root / "build" / "cache" / "load-other.pickle").write_bytes(b"not a pickle")
    read.clear()
    assert snapshot(root) == first and read


def test_nothing_is_kept_where_policykb_has_made_no_build_folder(base: Path, tmp_path: Path) -> None:
    """`compile --out elsewhere` on a fresh repository: no build/ appears."""
    root = copy_of(base, tmp_path)
    snapshot(root)
    assert not (root / "build").exists()


class _Planted:
    """A pickle that, when read, makes a file: what a cache planted in a repository could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (self.path.touch, ())


def test_a_cache_not_signed_with_the_users_key_is_never_unpickled(base: Path, tmp_path: Path) -> None:
    import pickle

    root = marked(base, tmp_path)
    first = snapshot(root)
    (kept,) = (root / "build" / "cache").glob("load-*.pickle")
    planted = tmp_path / "ran"
    kept.write_bytes(b"\0" * 32 + pickle.dumps({("Measure", "x"): _Planted(planted)}))
    assert snapshot(root) == first
    assert not planted.exists()


def test_the_setting_changes_with_the_vocabulary(tmp_path: Path) -> None:
    import shutil

    from policykb.load_cache import setting_of
    from policykb.vocab import PACKAGE_SCHEMA

    folder = tmp_path / "schema"
    shutil.copytree(PACKAGE_SCHEMA, folder)
    before = setting_of(folder)
    assert setting_of(folder) == before
    vocabulary = sorted(folder.glob("*.yaml"))[0]
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert setting_of(folder) != before
