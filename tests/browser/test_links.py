"""This repository's published site: no broken internal link (every relative href and every
#fragment resolves), and screenshots of its main page types for a person to look at."""

from __future__ import annotations

import html.parser
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from policykb.load import load_model
from policykb.repo import Repo

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "build" / "site"


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(values[name] or "")


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_no_broken_internal_link(published_site: str) -> None:  # the fixture builds the site when missing
    pages = {path: _parse(path) for path in SITE.rglob("*.html")}
    assert len(pages) > 100
    broken = []
    for path, collector in pages.items():
        for raw in collector.links:
            if urlsplit(raw).scheme or raw.startswith(("//", "mailto:")):
                continue
            target, fragment = urldefrag(raw)
            base = SITE if target.startswith("/") else path.parent  # 404.html links from the site root
            resolved = (base / unquote(target).lstrip("/")).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file():
                broken.append(f"{path.relative_to(SITE)}: {raw}")
            elif (
                fragment
                and resolved.suffix == ".html"
                and fragment not in (pages.get(resolved) or _parse(resolved)).ids
            ):
                broken.append(f"{path.relative_to(SITE)}: {raw} (no #{fragment})")
    assert not broken, broken[:20]


def test_the_published_pages_open_and_are_photographed(browser, published_site: str) -> None:
    """Home, a measure, a ministry, the organisation most measures involve, a bill and a matrix of
    the chapter, as policy staff meet them on a 1366 px screen and a 390 px phone (the screenshots
    go to build/screenshots/ for a person to look at)."""
    from test_site import ENGLISH

    from conftest import screenshot

    model = load_model(Repo(REPO))
    measures = [record.measure for record in model.measures() if record.measure.lifecycle == "active"]
    measure = max(measures, key=lambda m: len(m.links)).id
    leads = Counter(m.lead.organisation for m in measures if m.lead)
    involved = Counter(
        link.target for m in measures for link in m.links if link.relation == "involves" and link.review == "confirmed"
    )
    organisation = next(key for key, _ in involved.most_common() if key not in leads)
    bills = Counter(link.target for m in measures for link in m.links if model.kb[link.target].record.kind == "bill")
    pages = {
        "home": "",
        "measure": f"maatregel/{measure}/",
        "ministry": f"organisatie/{leads.most_common(1)[0][0]}/",
        "organisation": f"organisatie/{organisation}/",
        "bill": f"instrument/{bills.most_common(1)[0][0]}/",
        "matrix": "matrix-organisaties/",
    }
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
        page = context.new_page()
        for name, path in pages.items():
            page.goto(published_site + path)
            assert page.locator("h1").first.is_visible()
            if page.locator("pre.pkb-mermaid").count():
                page.locator("pre.pkb-mermaid svg").first.wait_for(timeout=15000)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            assert not page.evaluate(ENGLISH), (name, page.evaluate(ENGLISH)[:3])  # the curated texts too
            screenshot(page, f"{name}-{width}")
        context.close()


def _search(page, site: str, query: str) -> list[str]:
    """The titles of the first results of the theme's search, typed as a person types."""
    from conftest import type_search

    type_search(page, site, query)
    first = page.locator("li.md-search-result__item > a.md-search-result__link h1").first
    first.wait_for(timeout=30000)
    page.wait_for_timeout(500)  # the last keystroke's results
    return page.locator("li.md-search-result__item > a.md-search-result__link h1").all_inner_texts()


def test_search_finds_what_staff_type(page, published_site: str) -> None:
    """The IND by its full name (a Dutch hyphenated compound), its abbreviation or "immigratiedienst";
    the two-status bill by its name and by its dossier number: each in the top three; a place by its
    name first."""
    model = load_model(Repo(REPO))
    ind, bill = model.kb["ind"].record, model.kb["kst-36703"].record
    for query, wanted in (
        (ind.name.nl, ind.name.nl),
        ("IND", ind.name.nl),
        ("immigratiedienst", ind.name.nl),
        (bill.name.nl, bill.name.nl),
        (bill.identifiers["kamerstuk"].value, bill.name.nl),
    ):
        titles = _search(page, published_site, query)
        assert any(title.startswith(wanted) for title in titles[:3]), (query, titles[:5])
    # A place named in the text: the page with the agreement's words about it comes first, not the
    # pages on "terugkeer" that "Ter" starts.
    agreement = model.agreements[0]
    preamble = next(p for p in agreement.structure.preambles if "Ter Apel" in agreement.text[p.start : p.end])
    section = next(s for s in agreement.structure.sections if s.id == preamble.section)
    assert _search(page, published_site, "Ter Apel")[0] == section.title
