"""The site in a real browser: what policy staff see and do, and that data never runs as code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykb.load import Model
from policykb.model import KbRecord, Measure
from policykb.site.redirects import PAGE_FOLDER


def involved(model: Model, measure: Measure) -> list[KbRecord]:
    return [
        model.kb[link.target].record
        for link in measure.links
        if link.relation == "involves" and link.review == "confirmed"
    ]


def linked_measure(model: Model) -> Measure:
    """The first measure that involves an organisation."""
    return next(record.measure for record in model.measures() if involved(model, record.measure))


def test_home_shows_the_counts_and_coverage(page, site, model: Model) -> None:
    page.goto(site)
    counts = page.locator('table[data-kind="counts"]')
    assert counts.locator("tr", has_text="Maatregelen").locator("td").nth(1).inner_text() == str(len(model.measures()))
    assert "100,00 %" in page.locator(".pkb-coverage").first.inner_text()
    total = len(model.measures())  # the synthetic corpus: every measure not yet started
    assert page.locator(".pkb-progress-row").first.inner_text().strip() == f"{total} maatregelen: {total} niet begonnen"
    legend = page.locator('table[data-kind="legend"] .pkb-badge')
    assert legend.count() == len(model.vocabulary.statuses) and legend.first.inner_text()


def test_searching_an_abbreviation_finds_its_organisation_page(page, site, model: Model) -> None:
    measure = linked_measure(model)
    organisation = involved(model, measure)[0]
    abbreviation = next(
        alias.text for alias in organisation.alias_forms() if alias.text.isupper() or alias.text[:2].isupper()
    )
    from conftest import type_search

    type_search(page, site, abbreviation)
    result = page.locator(
        "a.md-search-result__link", has=page.locator("h1", has_text=f"{organisation.name.nl} ({abbreviation})")
    )
    result.wait_for(timeout=30000)  # the search worker builds its index on the first search
    result.click()
    page.wait_for_url(re.compile(rf"/organisatie/{organisation.id}/"))
    assert organisation.name.nl in page.locator("h1").first.inner_text()
    assert page.locator("a", has_text=measure.title).count() >= 1  # measures by their titles


def test_a_measure_page_shows_its_quote_and_links(page, site, model: Model) -> None:
    measure = linked_measure(model)
    page.goto(site + f"maatregel/{measure.id}/")
    assert page.locator(".pkb-quote").inner_text() == measure.text
    links = page.locator('table[data-kind="links"]').inner_text()
    for record in involved(model, measure):
        assert record.name.nl in links
    page.locator("svg").first.wait_for(timeout=15000)  # the Mermaid neighbourhood, drawn from the vendored copy
    assert involved(model, measure)[0].name.nl in page.locator("pre.pkb-mermaid").inner_text()


def test_the_source_link_lands_on_the_highlighted_span(page, site, model: Model) -> None:
    first, second = (record.measure for record in model.measures()[:2])
    page.goto(site + f"maatregel/{first.id}/")
    page.locator("a", has_text="bekijk in de volledige tekst").click()
    page.wait_for_url(re.compile(rf"/tekst/synthetic/#m-{first.id}$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == f"m-{first.id}"
    assert first.text in target.inner_text()
    background = target.evaluate("element => getComputedStyle(element).backgroundColor")
    other = page.locator(f"mark#m-{second.id}").evaluate("element => getComputedStyle(element).backgroundColor")
    assert background != other, "the target span is highlighted differently"
    assert target.is_visible()


def test_the_matrices_filter_by_organisation_and_by_words(page, site, model: Model) -> None:
    page.goto(site + "matrix-organisaties/")
    table = page.locator('table[data-kind="matrix"]')
    rows = table.locator("tbody tr:not(.pkb-matrix-group)")
    organisations = {
        key for key, entry in model.kb.items() if model.vocabulary.target_class(entry.record.kind) == "organisation"
    }
    related = [  # a measure related to no organisation has no row
        record.measure
        for record in model.measures()
        if any(link.target in organisations and link.review == "confirmed" for link in record.measure.links)
    ]
    assert rows.count() == len(related) < len(model.measures())
    organisation = involved(model, linked_measure(model))[0]
    expected = sorted(
        record.measure.title
        for record in model.measures()
        if any(link.target == organisation.id and link.review == "confirmed" for link in record.measure.links)
    )
    page.locator("select[name=met]").select_option(organisation.id)
    shown = sorted(row.locator("th").inner_text() for row in rows.all() if row.is_visible())
    assert shown == expected and f"met={organisation.id}" in page.url
    word = related[0].title.split()[0]
    page.locator("select[name=met]").select_option("")
    page.locator("input[name=tekst]").fill(word)
    visible = [row.locator("th").inner_text() for row in rows.all() if row.is_visible()]
    assert visible and all(re.search(rf"(^|\W){re.escape(word)}", title, re.IGNORECASE) for title in visible)


def test_data_from_the_injection_fixture_shows_as_text_and_runs_nothing(page, injection_site) -> None:
    page.goto(injection_site + "maatregel/inj-001/")
    assert "<script>alert(1)</script>" in page.locator("h1").first.inner_text()
    assert '"] --> X[boom]; %% moet ontzien worden & blijven.' in page.locator(".pkb-quote").inner_text()
    page.locator("pre.pkb-mermaid svg").first.wait_for(timeout=15000)
    assert "<script>alert(1)</script>" in page.locator("pre.pkb-mermaid").inner_text()
    assert 'Stichting <b>Test</b> "] --> Y' in page.locator('table[data-kind="links"]').inner_text()
    page.goto(injection_site + "maatregel/inj-002/")
    assert "[klik hier](javascript:alert(2))" in page.locator(".pkb-quote").inner_text()
    assert page.locator("img[src=x]").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    page.goto(injection_site + "organisatie/stichting-test/")
    assert "<script>alert(4)</script>" in page.locator(".pkb-note").inner_text()
    page.goto(injection_site + "maatregel/inj-001/")
    assert "<script>alert(9)</script>" in page.locator(".pkb-lead-basis").inner_text()


def test_a_mermaid_directive_in_a_title_or_name_is_drawn_as_text(page, injection_site) -> None:
    """`%%{init: …}%%` in a measure title and in a kb name would restyle the diagram and make the
    browser fetch a URL on another port of 127.0.0.1: the page fixture fails on that request."""
    page.goto(injection_site + "maatregel/inj-003/")
    page.locator("pre.pkb-mermaid svg").first.wait_for(timeout=15000)
    drawn = page.locator("pre.pkb-mermaid").inner_text()
    assert "%%{init: {'themeCSS': 'svg { background: url(http://127.0.0.1:9/leak-title.png) }'}}%%" in drawn
    assert "%%{init: {'fontFamily': 'x; background: url(http://127.0.0.1:9/leak-name.png)'}}%%" in drawn


def test_spans_after_astral_characters_are_marked_exactly(page, injection_site) -> None:
    page.goto(injection_site + "tekst/inj/#m-inj-003")
    span = page.locator("mark#m-inj-003")
    assert span.inner_text().endswith(
        " Een derde maatregel na 😀😀 tekens buiten het BMP, met de Stichting Test als uitvoerder."
    )
    assert span.locator("a.pkb-span-link").inner_text().startswith("Een derde maatregel na 😀😀")  # its title
    assert page.locator("mark#m-inj-002").inner_text().endswith("voor 𝔄𝔅 😀 details.")


def test_a_feed_entry_leads_to_its_page(page, site, model: Model) -> None:
    """Follow an organisation's Atom feed as a feed reader would: the feed is linked from the
    organisation's page, and its newest entry's link opens the measure the entry is about."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urljoin

    measure = linked_measure(model)
    organisation = involved(model, measure)[0]
    page.goto(f"{site}organisatie/{organisation.id}/")
    feed_url = urljoin(page.url, page.locator(".pkb-feed a").get_attribute("href"))
    response = page.request.get(feed_url)
    assert response.ok
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.body())
    entries = feed.findall(f"{atom}entry")
    assert entries, "the organisation's feed has the assessments of its measures"
    entry = entries[-1]
    target = urljoin(feed_url, entry.find(f"{atom}link").get("href"))
    page.goto(target)
    title = entry.findtext(f"{atom}title") or ""
    measure_title = title.rsplit(": ", 1)[0]
    assert measure_title in page.locator("h1").first.inner_text()
    assert page.locator('table[data-kind="timeline"]').count() == 1


def test_the_changes_page_lists_the_assessments_newest_first(page, site, model: Model) -> None:
    page.goto(f"{site}veranderingen/")
    assert page.locator("h1").first.inner_text() == "Wat is er veranderd"
    items = page.locator("ul.pkb-changes li")
    assert items.count() == sum(len(record.measure.status) for record in model.measures())
    items.first.locator("a").first.click()
    assert "/maatregel/" in page.url


def test_an_entity_page_announces_its_rdf_and_the_rdf_describes_it(page, site, model: Model) -> None:
    """A linked-data client finds the measure's RDF from its page (<link rel="alternate">) and it
    holds the measure's title and its exact quote; an organisation page does the same."""
    from urllib.parse import urljoin

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    measure = linked_measure(model)
    page.goto(f"{site}maatregel/{measure.id}/")
    for kind, rdf_format in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        href = page.locator(f'link[rel="alternate"][type="{kind}"]').get_attribute("href")
        response = page.request.get(urljoin(page.url, href))
        assert response.ok
        graph = Graph().parse(data=response.body(), format=rdf_format)
        iri = URIRef(f"https://w3id.org/policykb/id/measure/{measure.id}")
        assert (iri, SKOS.prefLabel, Literal(measure.title, lang="nl")) in graph
        assert Literal(measure.text) in set(graph.objects(None, URIRef("http://www.w3.org/ns/oa#exact")))
    organisation = involved(model, measure)[0]
    page.goto(f"{site}organisatie/{organisation.id}/")
    href = page.locator('link[rel="alternate"][type="text/turtle"]').get_attribute("href")
    graph = Graph().parse(data=page.request.get(urljoin(page.url, href)).body(), format="turtle")
    assert Literal(organisation.name.nl, lang="nl") in set(graph.objects(None, SKOS.prefLabel))


def test_the_w3id_rules_send_every_entity_iri_to_its_page_and_its_rdf(synthetic_root, model: Model) -> None:
    """Apply the generated .htaccess rules to every project IRI of the synthetic corpus: each lands
    on a page, a Turtle file and a JSON-LD file that the built site has."""
    from policykb.compile.rdf import Builder

    site = synthetic_root / "site"
    rules = (site / "w3id.htaccess").read_text(encoding="utf-8")
    pattern = re.compile(r"^RewriteRule \^id/([a-z-]+)/\(\[\^/\]\+\)\$ https://SITE\.EXAMPLE/(\S+) \[R=303,L\]$", re.M)
    targets: dict[str, list[str]] = {}
    for path, target in pattern.findall(rules):
        targets.setdefault(path, []).append(target)
    builder = Builder(model)
    iris = [f"https://w3id.org/policykb/id/measure/{record.measure.id}" for record in model.measures()]
    iris += [str(builder.iri_of(key)) for key in model.kb]
    checked = 0
    for iri in iris:
        if not iri.startswith("https://w3id.org/policykb/id/"):
            continue  # an act's own ELI resolves at its publisher
        path, key = iri.removeprefix("https://w3id.org/policykb/id/").split("/", 1)
        assert len(targets[path]) == 3, path
        for target in targets[path]:
            local = site / target.replace("$1", key)
            assert (local / "index.html").is_file() if target.endswith("/") else local.is_file(), (iri, target)
        checked += 1
    assert checked >= len(model.measures())


def test_sparql_runs_in_the_browser_offline_and_answers_as_the_build(page, site) -> None:
    """The SPARQL page loads the site's own dump into Oxigraph (WebAssembly, vendored) and answers
    a cookbook query exactly as the build computed it; nothing is fetched from another origin."""
    page.goto(f"{site}queries/")
    section = page.locator("h2#measures-by-status")
    expected = section.locator("xpath=following::table[@data-kind='query'][1]")
    expected_rows = expected.locator("tbody tr").all_inner_texts()
    page.locator('button[data-pkb-example="q-measures-by-status"]').click()
    result = page.locator('table[data-kind="sparql-result"]')
    result.wait_for(timeout=30000)
    assert result.locator("tbody tr").all_inner_texts() == expected_rows
    assert "resultaat" in page.locator(".pkb-sparql-state").inner_text()
    assert any(url.endswith("/data/kb.nt") for url in page.requests)


def test_sparql_results_from_hostile_data_are_text(page, injection_site) -> None:
    page.goto(f"{injection_site}queries/")
    page.locator("#pkb-sparql-text").fill(
        "SELECT ?title WHERE { ?m a <https://w3id.org/policykb/def#Measure> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?title }"
    )
    page.locator("#pkb-sparql button[type=submit]").click()
    result = page.locator('table[data-kind="sparql-result"]')
    result.wait_for(timeout=30000)
    assert "<" in result.inner_text()  # the markup in the titles shows as text
    assert page.locator(".pkb-sparql-result script, .pkb-sparql-result img").count() == 0
    page.locator("#pkb-sparql-text").fill("SELECT nonsense")
    page.locator("#pkb-sparql button[type=submit]").click()
    page.wait_for_function("document.querySelector('.pkb-sparql-state').textContent.includes('niet worden uitgevoerd')")


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def matrix_pages(model: Model) -> list[str]:
    """The instruments matrix's pages, one per family of instruments."""
    from policykb.site.pages import MATRIX_FAMILIES, _slug

    families = {
        MATRIX_FAMILIES[kind.jurisdiction if kind.target_class == "instrument" else None]
        for key, kind in model.vocabulary.kinds.items()
        if kind.target_class in ("instrument", "document")
        and any(entry.record.kind == key for entry in model.kb.values())
    }
    return [f"matrix-instrumenten/{_slug(name)}/" for name in sorted(families)]


ENGLISH = """() => {
  // Visible text a policy officer reads: not code or data (a query's answers: translate="no"),
  // not what is marked English (lang="en"), not a quotation from an English source, not a URL.
  // A sentence with three or more English function words is English.
  const skip = (node) =>
    node.closest('code, pre, textarea, script, style, svg, [lang^="en"], [translate="no"], .md-search');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skip(parent) || !parent.getClientRects().length) continue;
    text += " " + node.textContent;
  }
  text = text.replace(/https?:\\/\\/\\S+/g, " ").replace(/[“"'‘][^“”"'‘’]*[”"'’]/g, " ");
  const words = new Set(["the", "and", "which", "that", "this", "with", "from", "for", "not", "are", "was",
                         "were", "has", "have", "its", "to", "been", "on", "by"]);
  return text.split(/[.;:!?\\n]+/).filter((sentence) =>
    sentence.split(/[^A-Za-z]+/).filter((word) => words.has(word)).length >= 3).map((s) => s.trim().slice(0, 120));
}"""


def page_types(model: Model) -> list[str]:
    """One page of every type the site has (paths relative to the site)."""
    measure = next(record.measure for record in model.measures())
    agreement = model.agreements[0]
    section = agreement.structure.sections[0]
    kinds = {model.vocabulary.target_class(entry.record.kind): entry.record for entry in model.kb.values()}
    records = [f"{PAGE_FOLDER.get(cls, 'instrument')}/{record.id}/" for cls, record in sorted(kinds.items())]
    return [
        "",
        "maatregelen/",
        f"maatregel/{measure.id}/",
        *records,
        "ministeries/",
        "organisaties/",
        "instrumenten/",
        "themas/",
        "onderdelen/",
        f"onderdeel/{agreement.id}/{section.id}/",
        "matrix-organisaties/",
        "matrix-instrumenten/",
        *matrix_pages(model),
        f"tekst/{agreement.id}/",
        "veranderingen/",
        "queries/",
        "controle/",
        "data/",
        "over/",
        "404.html",
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_every_page_type_fits_the_screen_speaks_dutch_and_has_no_serious_accessibility_violation(
    browser, site, model: Model, width: int
) -> None:
    """On a 1366 px screen and a 390 px phone, every page type: no page wider than the screen (a
    wide table scrolls in its own box), no English sentence on it, and axe-core (WCAG 2.1 A and AA
    rules and best practices) finds no serious or critical violation."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    found: dict[str, object] = {}
    for path in page_types(model):
        response = tab.goto(site + path)
        assert response is not None and response.status == 200, path
        if tab.locator("pre.pkb-mermaid").count():  # axe sees the drawn diagram, not its source
            tab.locator("pre.pkb-mermaid svg").first.wait_for(timeout=20000)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            found[f"{path} is {wide} px wide"] = "overflow"
        english = tab.evaluate(ENGLISH)
        if english:
            found[f"{path}: English"] = english[:3]
        tab.add_script_tag(content=AXE)
        violations = tab.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '))"
        )
        if violations:
            found[path] = violations
    context.close()
    assert not found, found


@pytest.mark.parametrize("width", [1366, 390])
def test_a_matrix_in_parts_fits_the_screen_speaks_dutch_and_leads_from_part_to_part(
    browser, parts_site, width: int
) -> None:
    """The list of a large matrix's parts and each part, on a 1366 px screen and a 390 px phone:
    no wider than the screen, no English sentence, no serious accessibility violation; "volgend
    deel" leads through every part in the list's order, and the last part has none."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    tab.goto(parts_site + "matrix-organisaties/")
    listed = tab.eval_on_selector_all("ul.pkb-matrix-parts a", "links => links.map(a => a.href)")
    assert len(listed) >= 3, listed
    found: dict[str, object] = {}
    for url in ["matrix-organisaties/", listed[0], listed[-1]]:
        tab.goto(url if url.startswith("http") else parts_site + url)
        wide = tab.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            found[f"{tab.url} is {wide} px wide"] = "overflow"
        if english := tab.evaluate(ENGLISH):
            found[f"{tab.url}: English"] = english[:3]
        tab.add_script_tag(content=AXE)
        violations = tab.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)"
        )
        if violations:
            found[tab.url] = violations
    assert not found, found
    tab.goto(listed[0])
    walked = [tab.url]
    while (following := tab.locator("nav.pkb-matrix-pages a", has_text="volgend deel")).count():
        following.click()
        tab.wait_for_load_state()
        walked.append(tab.url)
        assert len(walked) <= len(listed), walked
    assert walked == listed
    assert f"deel {len(listed)} van {len(listed)}" in tab.title()
    context.close()


def test_sortable_headers_sort_by_keyboard(page, site, model: Model) -> None:
    titles = sorted((record.measure.title for record in model.measures()), key=str.casefold)
    page.goto(site + "maatregelen/")
    table = page.locator('table[data-kind="measures"]')
    button = table.locator("th button").first
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press(" ")  # again: descending
    first = table.locator("tbody tr").first.locator("td").first.inner_text()
    assert first.casefold() == titles[-1].casefold()
    assert table.locator("th").first.get_attribute("aria-sort") == "descending"


def test_the_measures_filter_by_ministry_and_organisation_and_the_address_keeps_it(page, site, model: Model) -> None:
    measures = [record.measure for record in model.measures()]
    ministry = max(
        {m.lead.organisation for m in measures if m.lead},
        key=lambda key: sum(1 for m in measures if m.lead and m.lead.organisation == key),
    )
    led = {m.title for m in measures if m.lead and m.lead.organisation == ministry}
    page.goto(site + "maatregelen/")
    rows = page.locator('table[data-kind="measures"] tbody tr')
    page.locator("select[name=ministerie]").select_option(ministry)
    shown = {row.locator("td").first.inner_text() for row in rows.all() if row.is_visible()}
    assert shown == led
    assert page.locator(".pkb-filter-count").inner_text() == f"{len(led)} van {len(measures)} maatregelen"
    organisation = next(
        link.target
        for m in measures
        for link in m.links
        if link.relation == "involves" and link.review == "confirmed" and link.target != ministry
    )
    both = {
        m.title
        for m in measures
        if m.lead
        and m.lead.organisation == ministry
        and any(link.target == organisation and link.review == "confirmed" for link in m.links)
    }
    page.locator("select[name=organisatie]").select_option(organisation)
    assert {row.locator("td").first.inner_text() for row in rows.all() if row.is_visible()} == both
    shared = page.url
    assert f"ministerie={ministry}" in shared and f"organisatie={organisation}" in shared
    page.goto(shared)  # the shared address opens the same view
    assert page.locator("select[name=ministerie]").input_value() == ministry
    assert {row.locator("td").first.inner_text() for row in rows.all() if row.is_visible()} == both


def test_the_word_filter_matches_where_words_start(page, site, model: Model) -> None:
    """Letters typed in a filter match the start of a word: "ind" finds the IND, not "kinderen"."""
    page.goto(site + "organisaties/")
    rows = page.locator('table[data-kind="organisations"] tbody tr')
    texts = [row.inner_text() for row in rows.all()]
    word = next(w for text in texts for w in text.split() if len(w) > 6 and w.isalpha())
    inside = word[2:]  # letters from inside that word
    page.locator(".pkb-filter input").fill(inside)
    starts = [bool(re.search(rf"(^|[^\w]){re.escape(inside)}", text, re.IGNORECASE)) for text in texts]
    assert [row.is_visible() for row in rows.all()] == starts
    assert not all(starts)
    page.locator(".pkb-filter input").fill(word)
    assert any(row.is_visible() for row in rows.all())


@pytest.mark.parametrize("path", ["", "maatregelen/", "404.html"])
def test_every_page_has_one_skip_link_to_its_content(page, site, path: str) -> None:
    page.goto(site + path)
    skip = page.locator("a.md-skip")
    assert skip.count() == 1
    target = (skip.get_attribute("href") or "").rsplit("#", 1)[-1]
    assert target and page.locator(f"[id='{target}']").count() == 1


def test_a_diagram_has_a_title_and_a_description_in_words(page, site, model: Model) -> None:
    measure = next(
        record.measure
        for record in model.measures()
        if any(item.review == "confirmed" for item in record.measure.links)
    )
    page.goto(f"{site}maatregel/{measure.id}/")
    svg = page.locator("pre.pkb-mermaid svg").first
    svg.wait_for(timeout=20000)
    assert svg.locator("title").text_content() == "Koppelingen van de maatregel"
    description = svg.locator("desc").text_content() or ""
    assert description.startswith("De maatregel ") and measure.title.split()[0] in description
