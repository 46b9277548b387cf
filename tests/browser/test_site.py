"""The site in a real browser: what policy staff see and do, and that data never runs as code."""

from __future__ import annotations

import re

from conftest import screenshot


def test_home_shows_the_counts_and_coverage(page, site) -> None:
    page.goto(site)
    counts = page.locator('table[data-kind="counts"]')
    assert counts.locator("tr", has_text="Maatregelen").locator("td").nth(1).inner_text() == "39"
    assert "100.00 %" in page.locator(".pkb-coverage").first.inner_text()
    assert page.locator('table[data-kind="status"]').inner_text().count("niet begonnen") == 1
    screenshot(page, "home")


def test_searching_ind_finds_its_organisation_page(page, site) -> None:
    page.goto(site)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill("IND")
    result = page.locator(
        "a.md-search-result__link", has=page.locator("h1", has_text="Immigratie- en Naturalisatiedienst (IND)")
    )
    result.wait_for(timeout=15000)
    result.click()
    page.wait_for_url(re.compile(r"/organisatie/ind/"))
    assert "Immigratie- en Naturalisatiedienst" in page.locator("h1").first.inner_text()
    assert page.locator("a", has_text="ami-nat-003").count() >= 1
    screenshot(page, "organisation")


def test_a_measure_page_shows_its_quote_and_links(page, site) -> None:
    page.goto(site + "maatregel/ami-nat-004/")
    assert (
        page.locator(".pkb-quote")
        .inner_text()
        .startswith("We willen dat Vluchtelingenwerk, in samenwerking met COA en IND")
    )
    links = page.locator('table[data-kind="links"]').inner_text()
    for name in (
        "VluchtelingenWerk Nederland",
        "Centraal Orgaan opvang asielzoekers",
        "Immigratie- en Naturalisatiedienst",
    ):
        assert name in links
    page.locator("svg").first.wait_for(timeout=15000)  # the Mermaid neighbourhood, drawn from the vendored copy
    assert "Immigratie- en Naturalisatiedienst" in page.locator("pre.pkb-mermaid").inner_text()
    screenshot(page, "measure")


def test_the_source_link_lands_on_the_highlighted_span(page, site) -> None:
    page.goto(site + "maatregel/ami-nat-001/")
    page.locator("a", has_text="bekijk in de volledige tekst").click()
    page.wait_for_url(re.compile(r"/tekst/coalitieakkoord-2026/#m-ami-nat-001$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == "m-ami-nat-001"
    assert "Indien de Asielnoodmaatregelenwet en/of de Wet Invoering Tweestatusstelsel" in target.inner_text()
    background = target.evaluate("element => getComputedStyle(element).backgroundColor")
    other = page.locator("mark#m-ami-nat-002").evaluate("element => getComputedStyle(element).backgroundColor")
    assert background != other, "the target span is highlighted differently"
    assert target.is_visible()


def test_the_matrices_sort_and_filter(page, site) -> None:
    page.goto(site + "matrix-organisaties/")
    table = page.locator('table[data-kind="matrix-organisation"]')
    rows = table.locator("tbody tr")
    assert rows.count() == 39
    page.locator(".pkb-filter input").fill("ami-nat")
    visible = [row for row in rows.all() if row.is_visible()]
    assert len(visible) == 5 and all("ami-nat" in row.inner_text() for row in visible)
    page.locator(".pkb-filter input").fill("")
    header = table.locator("th").first
    header.click()
    header.click()  # descending
    first = rows.first.locator("td").first.inner_text()
    assert first == "ami-vri-007" and header.get_attribute("aria-sort") == "descending"


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
    assert (
        span.inner_text()
        == "inj-003 Een derde maatregel na 😀😀 tekens buiten het BMP, met de Stichting Test als uitvoerder."
    )
    assert page.locator("mark#m-inj-002").inner_text().endswith("voor 𝔄𝔅 😀 details.")
