"""MkDocs hooks (mkdocs.yml `hooks:`): generate the data pages during `mkdocs build`.

Reads the repository (`POLICYKB_ROOT`, set by `policykb site`) through `load_model`,
the compile output and check report in `POLICYKB_BUILD` (default: `<root>/build`), and the
cookbook in `queries/examples/`; adds the generated pages to the build (never written to
`docs/`; their HTML body is put in after Markdown conversion); while MkDocs renders, a thread
writes the Atom feeds into `<site>/feeds/` (`site/feeds.py`) and each entity's RDF beside its page
(`site/entity_rdf.py`); after the build, the downloads are copied into `<site>/data/`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from policykb import load
from policykb.collector import settle
from policykb.compile.dumps import ntriples
from policykb.compile.rdf import Builder
from policykb.compile.terms import DEFAULT_BASE
from policykb.query import bounded, open_store
from policykb.repo import Repo
from policykb.site import entity_rdf
from policykb.site import nav as site_nav
from policykb.site import reuse as site_reuse
from policykb.site.build import HANDOFF
from policykb.site.feeds import write_feeds
from policykb.site.pages import Site, ministry_workbook, provenance_of
from policykb.site.redirects import htaccess
from policykb.site.search import Offload
from policykb.site.workbook import WORKBOOK, measures_workbook
from policykb.terminal import steps
from policykb.yamlio import read_text

# MkDocs loads this file once per process and keeps it (its hook loader is cached): the functions
# of `load`, `entity_rdf` and `nav` are looked up through their module at each call, so that a
# build, or a test, gets the code of the moment.

DOWNLOADS = (
    "kb.ttl",
    "kb.nt",
    "kb.jsonld",
    "context.jsonld",
    "graph.graphml",
    "policykb.ttl",
    "provenance.ttl",
    "dataset.ttl",
    "shapes/core.ttl",
    "shapes/vocabularies.ttl",
)


def on_config(config: Any) -> Any:
    _REUSE.clear()  # an earlier build's
    return config


def on_pre_build(config: Any) -> None:
    # Before MkDocs empties the site folder: the previous build's pages are moved aside, to be
    # given again where nothing they are made from has changed (site/reuse.py).
    _REUSE[:] = [site_reuse.Reuse(Path(config.site_dir))]
    _REUSE[0].start()


def _paths(config: Any) -> tuple[Path, Path]:
    if not os.environ.get("POLICYKB_ROOT"):
        raise SystemExit("the site is built by `policykb site --root DIR`, which names the repository (POLICYKB_ROOT)")
    root = Path(os.environ["POLICYKB_ROOT"]).resolve()
    build = Path(os.environ.get("POLICYKB_BUILD") or root / "build").resolve()
    return root, build


def _downloads(build: Path) -> list[Path]:
    files = [build / name for name in DOWNLOADS]
    files += sorted((build / "csv").glob("*.csv"))
    return [path for path in files if path.is_file()]


def query_header(text: str) -> dict[str, str]:
    """The header of a cookbook query: its leading `# key: value` comments, a value going on over
    the indented `#   …` lines that follow it (`title`, `description`, `toelichting`, `federated`)."""
    head: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if key is not None and body.startswith("   ") and body.strip():
            head[key] += " " + body.strip()
        elif ":" in body and body.startswith(" ") and not body.startswith("  "):
            key, value = (part.strip() for part in body.split(":", 1))
            head[key] = value
        else:
            key = None
    return head


def _cookbook(store: Any, folder: Path) -> list[dict[str, Any]]:
    entries = []
    for path in sorted((folder / "examples").glob("*.rq")):
        text = read_text(path)
        head = query_header(text)
        entry = {
            "name": path.stem,
            "title": head.get("title", path.stem),
            "toelichting": head.get("toelichting", ""),  # the Dutch explanation (`# description:` is the docs' English)
            "text": text,
            "federated": head.get("federated") == "true",
            "variables": [],
            "rows": [],
        }
        if not entry["federated"]:
            results = bounded(store, text)  # a repository's own example too: bounded, never remote
            entry["variables"] = results.variables
            entry["rows"] = [["" if term is None else term.value for term in row] for row in results.rows]
        entries.append(entry)
    return entries


def on_files(files: Files, config: Any) -> Files:
    root, build = _paths(config)
    repo = Repo(root)
    base = os.environ.get("POLICYKB_BASE") or DEFAULT_BASE
    handed = HANDOFF.get(root)  # `policykb site`: the model and graph it has just compiled
    if handed is not None and handed.builder.base == base:
        model, builder, triples = handed.model, handed.builder, handed.triples
    else:  # `mkdocs` run by hand on the template: load and compile here
        model = load.load_model(repo)
        builder = Builder(model, base)
        triples = ntriples(builder.build())
    report = build / "reports" / "check.json"
    check = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
    provenance_file = build / "provenance.ttl"
    commit, when = None, ""
    if provenance_file.is_file():
        from rdflib import Graph
        from rdflib.namespace import DCTERMS, PROV

        provenance = Graph().parse(provenance_file)
        commit = next(
            (
                str(o).removeprefix("git:")
                for o in provenance.objects(None, DCTERMS.identifier)
                if str(o).startswith("git:")
            ),
            None,
        )
        when = next((str(o) for o in provenance.objects(None, PROV.endedAtTime)), "")
    site = Site(
        model,
        check,
        provenance_of(model, commit, when),
        _cookbook(open_store("oxigraph", builder.triples, triples), repo.queries),
        [
            (str(path.relative_to(build)).replace("shapes/", "").replace("csv/", ""), path.stat().st_size)
            for path in _downloads(build)
        ],
        base,
        config.site_url or None,
    )
    # The feeds and every entity's RDF are written beside the pages by a thread of their own while
    # MkDocs renders (many small files: the writing releases the interpreter's lock); MkDocs has
    # already emptied the site folder, and the build's end (`_end`) waits for the thread and raises
    # what it raised.
    pages = entity_rdf.entity_pages(
        builder,
        [measure.id for _, measure in site.measures],
        {key: site.record_path(record) for key, record in site.kb.items()},
    )
    followed = {
        key: (site.record_path(record), record.name.nl)
        for key, record in site.kb.items()
        if model.vocabulary.target_class(record.kind) != "theme"
    }
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policykb-site-writer")
    _WRITING[:] = [
        (
            writer,
            writer.submit(
                _write_beside,
                Path(config.site_dir),
                site.log,
                followed,
                config.site_url or None,
                builder,
                triples,
                pages,
            ),
        )
    ]
    built = site.built_at() or dt.datetime.now(tz=dt.timezone.utc)
    _WORKBOOKS.clear()
    _WORKBOOKS[WORKBOOK] = measures_workbook(site, built)
    for key, measures in site.led_by.items():
        _WORKBOOKS[ministry_workbook(key)] = measures_workbook(
            site, built, {m.id for m in measures}, site.kb[key].name.nl
        )
    _LEGEND.clear()
    _LEGEND.append(site.legend_html())
    _BODIES.clear()
    _SEARCH.clear()
    for path, content in site.pages().items():
        # Markdown gets only the front matter; the body, already HTML, is put in after conversion
        # (`on_page_content`): Python-Markdown would otherwise re-parse every generated page's HTML.
        front, body = content.split("\n---\n\n", 1)
        _BODIES[path] = body
        files.append(File.generated(config, path, content=front + "\n---\n\n"))
    settle()  # the pages and what they are made from live on until the build ends (policykb.collector)
    _PROGRESS.close()  # a bar over the pages MkDocs renders next (a terminal only: policykb.terminal)
    _ADVANCE[:] = [_PROGRESS.enter_context(steps("pagina's", len(files.documentation_pages())))]
    search = config.plugins.get("material/search")
    if search is not None and getattr(search, "search_index", None) is not None:
        _SEARCH.append(Offload(search, set(_BODIES), site.search_entries()))
    return files


_BODIES: dict[str, str] = {}
"""The generated pages' HTML bodies, by path, put in after Markdown (`on_page_content`)."""
_SEARCH: list[Offload] = []
"""The generated pages' search entries, made on the second core (`site/search.py`)."""
_PROGRESS = ExitStack()
_ADVANCE: list[Any] = []
"""The progress bar of the pages being rendered, and the function that moves it on."""
_WORKBOOKS: dict[str, bytes] = {}
"""The measures as spreadsheets (`site/workbook.py`): all, and each ministry's; written into
`data/` after the build."""
_LEGEND: list[str] = []
"""The statuses' legend as HTML (from statuses.yaml), for the written page that marks its place."""
_WRITING: list[tuple[ThreadPoolExecutor, Future[None]]] = []
"""The thread writing the feeds and every entity's RDF, started in `on_files`, and its outcome."""
_REUSE: list[site_reuse.Reuse] = []
"""The previous build's pages of the site being built (`site/reuse.py`), from `on_pre_build`."""


def _write_beside(
    site_dir: Path,
    entries: Any,
    records: dict[str, tuple[str, str]],
    site_url: str | None,
    builder: Builder,
    triples: bytes,
    pages: dict[str, str],
) -> None:
    """The Atom feeds (`site/feeds.py`), each entity's RDF beside its page (`site/entity_rdf.py`)
    and the w3id redirects."""
    write_feeds(site_dir, entries, records, site_url, builder.base)
    entity_rdf.write_entity_rdf(site_dir, builder, pages, triples)
    (site_dir / "w3id.htaccess").write_text(htaccess(builder.vocabulary, site_url), encoding="utf-8")


LEGEND = "<!-- policykb: statussen -->"
"""Where a written page (over.md) shows what the statuses mean, from `statuses.yaml`."""


def _end(finished: bool) -> None:
    """Close the pages' progress bar, stop the search worker and wait for the writing thread; when
    the build `finished`, the search entries go into the index first, and what the thread raised
    is raised here."""
    _PROGRESS.close()
    _ADVANCE.clear()
    searches, writing = list(_SEARCH), list(_WRITING)
    _SEARCH.clear()
    _WRITING.clear()
    try:
        for search in searches:
            if finished:
                search.collect()
            else:
                search.close()
    finally:
        for writer, _ in writing:
            writer.shutdown(wait=True)  # the thread has ended when the build does, finished or not
    for _, future in writing:
        if finished:
            future.result()


def on_build_error(error: Exception) -> None:
    try:
        _end(finished=False)
    finally:
        for reuse in _REUSE:
            reuse.abandon()
        _REUSE.clear()


def on_env(env: Any, config: Any, files: Files) -> Any:
    site_nav.render_once_per_folder(env)  # the entity pages' navigation, once per folder (site/nav.py)
    for reuse in _REUSE:
        site_reuse.render_unless_reused(env, reuse)
    return env


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    if LEGEND in html and _LEGEND:
        html = html.replace(LEGEND, _LEGEND[0])
    return _BODIES.get(page.file.src_uri, html)


@event_priority(100)  # as MkDocs starts to render a page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    for advance in _ADVANCE:
        advance(str(page.title or page.file.src_uri))
    if page.file.src_uri in _BODIES:  # a generated page: the previous build's, if nothing changed
        for reuse in _REUSE:
            reuse.decide(page, config, nav)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    for reuse in _REUSE:
        if reuse.is_reused(page):
            reuse.give_back(page)
            return ""  # MkDocs writes no empty page
    return output


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config: Any) -> None:
    _end(finished=True)
    _, build = _paths(config)
    target = Path(config.site_dir) / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in _downloads(build):
        shutil.copyfile(path, target / path.name)
    for name, workbook in _WORKBOOKS.items():
        (target / name).write_bytes(workbook)
    for reuse in _REUSE:
        reuse.finish()  # kept until the build has ended: a warning still fails it (on_build_error)
