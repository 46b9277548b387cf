"""`policykb site` runs MkDocs in its own process on what it has just compiled: the repository is
loaded once, the pages are those a separate load would give, and a MkDocs warning fails the build."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from click.testing import CliRunner

from conftest import copy_of
from policykb.cli import main


def site(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["site", "--root", str(root)], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_site_is_built_from_the_model_loaded_once(base: Path, tmp_path: Path, monkeypatch) -> None:
    import os

    root = copy_of(base, tmp_path)
    before = {name: os.environ.get(name) for name in ("POLICYKB_ROOT", "POLICYKB_BUILD")}
    code, output = site(root)
    assert code == 0, output
    assert {name: os.environ.get(name) for name in before} == before  # set for the build only
    pages = {path.relative_to(root): path.read_bytes() for path in (root / "build" / "site").rglob("*.html")}

    import policykb.load

    def refuse(*_: object) -> None:
        raise AssertionError("the site's hooks loaded the repository a second time")

    monkeypatch.setattr(policykb.load, "load_model", refuse)  # hooks.py looks it up at each build
    code, output = site(root)
    assert code == 0, output
    again = {path.relative_to(root): path.read_bytes() for path in (root / "build" / "site").rglob("*.html")}
    assert again == pages and len(pages) > 20


def test_a_mkdocs_warning_fails_the_build(base: Path, tmp_path: Path, monkeypatch) -> None:
    from policykb.site import pages

    root = copy_of(base, tmp_path)
    original = pages.Site.pages

    def warn(self: pages.Site) -> dict[str, str]:
        logging.getLogger("mkdocs.structure.pages").warning("Doc file 'x.md' contains a link 'y.md', not found")
        return original(self)

    monkeypatch.setattr(pages.Site, "pages", warn)
    code, output = site(root)
    assert code == 1
    assert "warnings are errors" in output and "1 warnings" in output


def _entries(root: Path) -> list[dict]:
    return json.loads((root / "build" / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_the_generated_pages_search_entries_are_the_themes_own(base: Path, tmp_path: Path, monkeypatch) -> None:
    """Pages other than the measures and the matrices: the entries the theme's indexer makes,
    made in the worker."""
    from policykb.site import search

    root = copy_of(base, tmp_path)
    pending: list[int] = []
    given: set[str] = set()
    collect = search.Offload.collect

    def counted(self: search.Offload) -> None:
        pending.append(sum(isinstance(entry, search.Pending) for entry in self.index.entries))
        given.update(path.removesuffix(".md") + "/" for path in self.given)
        collect(self)

    def others(entries: list[dict]) -> list[dict]:
        return [entry for entry in entries if entry["location"].split("#")[0] not in given]

    monkeypatch.setattr(search.Offload, "collect", counted)
    assert site(root)[0] == 0
    offloaded = others(_entries(root))
    assert pending and pending[0] > 20  # the generated pages went to the worker
    assert "matrix-organisaties/" in given and "matrix-instrumenten/" not in given  # a matrix, not the choice
    monkeypatch.setattr(search.Offload, "add", lambda self, page: self.original(page))  # the plugin's own work
    assert site(root)[0] == 0
    assert others(_entries(root)) == offloaded


def test_a_measure_is_found_by_its_words_and_its_people_not_by_ids_or_hashes(base: Path, tmp_path: Path) -> None:
    """A measure's entries are written from its data: the page (where it stands, its status, the
    agreement's words), who is responsible, what it is linked to and what its assessments note;
    nothing in the index but the researchers' pages is a file path, a hash, an IRI or diagram
    source; a matrix is found by its title and what it shows."""
    from html import escape

    from policykb import yamlio
    from policykb.load import load_model
    from policykb.repo import Repo

    root = copy_of(base, tmp_path)
    model = load_model(Repo(root))
    chosen = next(
        record
        for record in model.measures()
        if record.measure.lead is not None and any(link.review == "confirmed" for link in record.measure.links)
    )
    raw = yamlio.load(chosen.path)
    raw["status"][0]["note"] = "Het wetsvoorstel ligt nog bij de Eerste Kamer, volgens de laatste stukken."
    chosen.path.write_text(yamlio.dumps(raw), encoding="utf-8")
    assert site(root)[0] == 0
    entries = _entries(root)
    model = load_model(Repo(root))
    measure = next(record.measure for record in model.measures() if record.measure.id == chosen.measure.id)
    own = [entry for entry in entries if entry["location"].startswith(f"maatregel/{measure.id}/")]
    assert [entry["location"] for entry in own] == [
        f"maatregel/{measure.id}/",
        f"maatregel/{measure.id}/#wie",
        f"maatregel/{measure.id}/#koppelingen",
        f"maatregel/{measure.id}/#status",
    ]
    assert "ligt nog bij de Eerste Kamer" in own[3]["text"]
    # every section an entry points to is on its page
    for record in model.measures():
        shown = (root / "build" / "site" / "maatregel" / record.measure.id / "index.html").read_text(encoding="utf-8")
        for entry in entries:
            page, _, anchor = entry["location"].partition("#")
            if page == f"maatregel/{record.measure.id}/" and anchor:
                assert f'id="{anchor}"' in shown, entry["location"]
    assert own[0]["title"] == escape(measure.title, quote=False)
    assert f"<p>{escape(measure.text, quote=False)}</p>" in own[0]["text"]
    assert model.kb[measure.lead.organisation].record.name.nl in own[1]["text"]
    target = next(link.target for link in measure.links if link.review == "confirmed")
    assert model.kb[target].record.name.nl in own[2]["text"]
    digest = model.agreements[0].agreement.sha256.text
    for entry in entries:
        if entry["location"].startswith(("queries/", "data/")):  # the researchers' pages: IRIs are their point
            continue
        found = entry["title"] + entry["text"]
        assert not any(word in found for word in (digest, "text.txt", "https://w3id.org/", "graph LR")), entry
    matrix = [entry for entry in entries if entry["location"].startswith("matrix-organisaties/")]
    assert len(matrix) == 1 and matrix[0]["title"] == "Matrix: maatregelen × organisaties"
    assert "in elke cel die relatie" in matrix[0]["text"]


def _offload(worker: str | None = None) -> object:
    from policykb.site import search

    index = SimpleNamespace(entries=[], add_entry_from_context=lambda page: None)
    offload = search.Offload(SimpleNamespace(search_index=index), {"p.md"})
    if worker is not None:
        offload.command = (sys.executable, "-c", worker)
    return offload


def _page(number: int, meta: dict | None = None) -> SimpleNamespace:
    body = "<h1 id='t'>Titel</h1><p>" + "woord " * 20000 + "</p>"  # longer than a pipe holds
    return SimpleNamespace(
        file=SimpleNamespace(src_uri="p.md"), meta=meta or {}, content=body, toc=[], url=f"{number}/", title="Titel"
    )


def _fails_in_time(offload: object, pages: list[SimpleNamespace]) -> BaseException | None:
    """What adding `pages` and collecting raised, run in a thread that must end within 60 s."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            for page in pages:
                offload.add(page)  # type: ignore[attr-defined]
            offload.collect()  # type: ignore[attr-defined]
        except BaseException as error:  # noqa: BLE001 - what the build would see
            raised.append(error)
        finally:
            offload.close()  # type: ignore[attr-defined]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the search worker hung the build"
    assert offload.worker is None  # type: ignore[attr-defined]
    return raised[0] if raised else None


def test_a_search_worker_that_fails_stops_the_build_with_an_error() -> None:
    """A worker that writes something else than its answers: the reader fails, the build stops."""
    code = "import sys; sys.stdout.buffer.write(b'kapot'); sys.stdout.flush(); from policykb.site import search; "
    code += "search.main()"
    error = _fails_in_time(_offload(code), [_page(number) for number in range(200)])
    assert isinstance(error, RuntimeError) and "search worker" in str(error)


def test_a_page_that_cannot_be_sent_to_the_search_worker_stops_the_build() -> None:
    """The writer thread fails (a front matter value pickle cannot write): no hang, an error."""
    pages = [_page(0), _page(1, {"x": lambda: 1}), *(_page(number) for number in range(2, 150))]
    error = _fails_in_time(_offload(), pages)
    assert isinstance(error, RuntimeError) and "could not be sent page" in str(error)


def test_the_search_worker_answers_every_page_in_order() -> None:
    offload = _offload()
    pages = [_page(number) for number in range(100)]
    assert _fails_in_time(offload, pages) is None
    assert [entry["location"] for entry in offload.index.entries][:3] == ["0/", "1/", "2/"]  # type: ignore[attr-defined]
    assert len(offload.index.entries) == 100  # type: ignore[attr-defined]


def test_a_terminal_sees_the_pages_being_rendered(base: Path, tmp_path: Path, monkeypatch) -> None:
    import io

    from policykb.compile import compile_model, write
    from policykb.load import load_model
    from policykb.repo import Repo
    from policykb.site.build import build_site

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = copy_of(base, tmp_path)
    repo = Repo(root)
    write(compile_model(repo, load_model(repo)), root / "build")
    terminal = Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", terminal)
    build_site(root, root / "build", root / "build" / "site")
    shown = terminal.getvalue()
    assert "pagina's" in shown and "Maatregelen" in shown and "100%" in shown


def test_the_navigation_given_again_is_the_themes_own(base: Path, tmp_path: Path, monkeypatch) -> None:
    """Every page the same, byte for byte, with the navigation rendered once per folder for the
    pages out of the nav and with the theme rendering it for every page."""
    from policykb.site import nav

    root = copy_of(base, tmp_path)
    assert site(root)[0] == 0
    once = {path.relative_to(root): path.read_bytes() for path in (root / "build" / "site").rglob("*.html")}
    plain: list[object] = []
    monkeypatch.setattr(nav, "render_once_per_folder", plain.append)  # hooks.py looks it up at each build
    shutil.rmtree(root / "build" / "site")  # every page rendered again, none given again (site/reuse.py)
    assert site(root)[0] == 0
    every = {path.relative_to(root): path.read_bytes() for path in (root / "build" / "site").rglob("*.html")}
    assert plain and once == every and sum(1 for path in once if path.parts[2] == "maatregel") > 10


def test_the_navigation_is_rendered_once_per_folder_for_pages_out_of_the_nav() -> None:
    """The theme's links are relative to the page: `matrix-instrumenten/eu/` links to
    `matrix-instrumenten/` as `../`, where `maatregel/a/`, at the same depth, needs `../../…`."""
    import jinja2
    from mkdocs.utils.templates import url_filter

    from policykb.site.nav import render_once_per_folder

    calls: list[str] = []
    template = "{{ count(page.url) }}{{ 'matrix-instrumenten/' | url }} {{ 'index.html' | url }}"

    def env(wrapped: bool) -> jinja2.Environment:
        made = jinja2.Environment(loader=jinja2.DictLoader({"nav.html": template}))
        made.filters["url"] = url_filter
        made.globals["count"] = lambda url: calls.append(url) or ""
        if wrapped:
            render_once_per_folder(made, "nav.html")
        return made

    section = SimpleNamespace(url=None, children=[SimpleNamespace(url="matrix-instrumenten/", children=None)])
    nav = SimpleNamespace(items=[section], homepage=SimpleNamespace(url=""))

    def page(url: str, in_nav: bool = False) -> SimpleNamespace:
        return SimpleNamespace(url=url, file=SimpleNamespace(inclusion=SimpleNamespace(is_in_nav=lambda: in_nav)))

    pages = [page("maatregel/a/"), page("maatregel/b/"), page("matrix-instrumenten/eu/"), page("maatregel/c/")]
    pages += [page("matrix-instrumenten/", in_nav=True), page("x/", in_nav=True), page("")]
    theme, wrapped = env(False).get_template("nav.html"), env(True).get_template("nav.html")
    themes = [theme.render(page=p, nav=nav, base_url="") for p in pages]
    calls.clear()
    once = [wrapped.render(page=p, nav=nav, base_url="") for p in pages]
    assert once == themes and themes[0] != themes[2]
    # once per folder out of the nav; every page in the nav, and the home page, which holds it all
    assert calls == ["maatregel/a/", "matrix-instrumenten/eu/", "matrix-instrumenten/", "x/", ""]


def test_a_failure_writing_the_entities_rdf_fails_the_build(base: Path, tmp_path: Path, monkeypatch) -> None:
    """The feeds and the entities' RDF are written by a thread while MkDocs renders: what it
    raises stops the build, and no thread is left behind."""
    from policykb.site import entity_rdf

    def full(*_: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(entity_rdf, "write_entity_rdf", full)  # hooks.py looks it up at each call
    code, output = site(copy_of(base, tmp_path))
    assert code != 0 and "No space left on device" in output and "site in" not in output, output
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("policykb-site-writer")]


def test_a_matrix_in_parts_is_built_with_working_links_and_found_by_its_parts(
    base: Path, tmp_path: Path, monkeypatch
) -> None:
    """With more rows than a page holds, every matrix page MkDocs writes links only to pages it
    wrote, and search finds each part by its title and the sections it shows."""
    import re
    from urllib.parse import urljoin

    from policykb.site import pages

    root = copy_of(base, tmp_path)
    monkeypatch.setattr(pages, "MATRIX_ROWS", 10)
    assert site(root)[0] == 0
    out = root / "build" / "site"
    parts = sorted(out.glob("matrix-*/**/index.html"))
    families = {path.relative_to(out).parts[:2] for path in parts if path.parent.parent.name == "synthetic"}
    assert ("matrix-organisaties", "synthetic") in families and len(families) > 1  # instruments too
    for path in parts:
        url = "https://x/" + path.parent.relative_to(out).as_posix() + "/"
        for href in re.findall(r'href="([^"#]+)"', path.read_text(encoding="utf-8")):
            target = urljoin(url, href)
            if target.startswith("https://x/"):
                local = out / target.removeprefix("https://x/")
                assert (local / "index.html").exists() or local.is_file(), (path, href)
    entries = {entry["location"]: entry for entry in _entries(root)}
    organisations = [path for path in parts if path.relative_to(out).parts[:2] == ("matrix-organisaties", "synthetic")]
    for path in organisations:
        entry = entries[path.parent.relative_to(out).as_posix() + "/"]
        assert entry["title"].startswith("Matrix: maatregelen × organisaties — Synthetisch akkoord, deel ")
        assert "maatregelen." in entry["text"] and "Sectie " in entry["text"]
