"""A second `policykb site` gives again the previous build's pages that nothing changed
(site/reuse.py): the site is the one a fresh build makes, file for file, and only the pages that
changed are rendered again."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_of
from policykb import yamlio
from policykb.cli import main
from policykb.resources import SITE
from policykb.site.reuse import CACHE

EPOCH = "1796000000"


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the same build time, so two builds can be compared


def site(root: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["site", "--root", str(root), *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, as a reader gets it (policykb's own hidden files left out)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not path.relative_to(folder).parts[0].startswith(".")
    }


def inodes(folder: Path, pin: Path) -> dict[str, int]:
    """Each page's inode: a page given again is the same file, moved back. Each page is linked
    into `pin` as well, so that its inode stays in use and no page written later can get it."""
    pin.mkdir()
    found = {}
    for number, path in enumerate(sorted(folder.rglob("index.html"))):
        os.link(path, pin / str(number))
        found[str(path.relative_to(folder))] = path.stat().st_ino
    return found


def now(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("index.html")}


def edit_a_note(root: Path, measure: str) -> None:
    path = next(root.glob(f"policy/*/measures/{measure}.yaml"))
    raw = yamlio.load(path)
    raw["status"][0]["note"] = "Het wetsvoorstel ligt nog bij de Eerste Kamer."
    path.write_text(yamlio.dumps(raw), encoding="utf-8")


def test_a_second_build_renders_only_what_changed_and_is_a_fresh_builds_site(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    built = root / "build" / "site"
    site(root)
    before = inodes(built, tmp_path / "pin")
    measures = sorted(path.stem for path in root.glob("policy/*/measures/*.yaml"))
    edited, removed = measures[0], measures[-1]
    edit_a_note(root, edited)
    next(root.glob(f"policy/*/measures/{removed}.yaml")).unlink()  # the check fails; the site shows it
    site(root)
    fresh = tmp_path / "fresh"
    site(root, "--out", str(fresh))
    assert files(built) == files(fresh)  # the whole site, byte for byte
    after = now(built)
    assert f"maatregel/{removed}/index.html" not in after
    assert after[f"maatregel/{edited}/index.html"] != before[f"maatregel/{edited}/index.html"]
    assert after["over/index.html"] != before["over/index.html"]  # a written page is always rendered
    kept = {name for name, inode in after.items() if before.get(name) == inode}
    assert f"maatregel/{measures[1]}/index.html" in kept  # an untouched measure is not rendered again
    assert len(kept) > len(after) / 2, (len(kept), len(after))
    assert not (built / CACHE / "pages").exists()  # what was not given again is gone


def test_another_site_url_renders_every_page_again(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    built = root / "build" / "site"
    site(root)
    before = inodes(built, tmp_path / "pin")
    site(root, "--site-url", "https://example.org/akkoord/")
    after = now(built)
    assert not {name for name, inode in after.items() if before.get(name) == inode}
    assert 'href="https://example.org/akkoord/maatregelen/"' in (built / "maatregelen" / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_nav_pages_front_matter_and_title_are_in_every_pages_key() -> None:
    """The theme shows each nav page's title, icon, subtitle and status on every page."""
    from types import SimpleNamespace

    from policykb.resources import SITE
    from policykb.site.reuse import setting_of

    config = SimpleNamespace(
        config_file_path=str(SITE / "mkdocs.yml"),
        theme=SimpleNamespace(custom_dir=str(SITE / "overrides")),
        site_url=None,
    )

    def nav(title: str | None, meta: dict) -> SimpleNamespace:
        return SimpleNamespace(items=[SimpleNamespace(title=title, url="over/", meta=meta, children=None)])

    plain = setting_of(config, nav("Over", {}))
    assert setting_of(config, nav("Over", {})) == plain
    assert setting_of(config, nav("Over", {"subtitle": "Nieuw"})) != plain
    assert setting_of(config, nav("Over deze site", {})) != plain
    assert setting_of(SimpleNamespace(**{**vars(config), "site_url": "https://example.org/"}), nav("Over", {})) != plain


def test_after_a_failed_build_every_page_is_rendered_again(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykb.site import pages

    root = copy_of(base, tmp_path)
    built = root / "build" / "site"
    site(root)
    original = pages.Site.pages

    def warn(self: pages.Site) -> dict[str, str]:
        logging.getLogger("mkdocs.structure.pages").warning("Doc file 'x.md' contains a link 'y.md', not found")
        return original(self)

    monkeypatch.setattr(pages.Site, "pages", warn)
    failed = CliRunner().invoke(main, ["site", "--root", str(root)], catch_exceptions=False)
    assert failed.exit_code == 1
    assert not (built / CACHE).exists()  # nothing of a failed build is trusted
    monkeypatch.setattr(pages.Site, "pages", original)
    site(root)
    fresh = tmp_path / "fresh"
    site(root, "--out", str(fresh))
    assert files(built) == files(fresh)
    assert os.listdir(built / CACHE) == ["pages.json"]


def test_without_a_fixed_build_time_an_unchanged_site_renders_no_generated_page(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's time changes every run: no generated page may show it, or none is ever given again."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = copy_of(base, tmp_path)
    built = root / "build" / "site"
    site(root)
    before = inodes(built, tmp_path / "pin")
    site(root)
    again = {name for name, inode in now(built).items() if before.get(name) != inode}
    written = {f"{path.stem}/index.html" for path in (SITE / "pages").glob("*.md") if path.stem != "index"}
    assert again and again <= written, again - written
