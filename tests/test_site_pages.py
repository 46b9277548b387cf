"""The site's page builders, without a browser: escaping, refused links, citations, URLs from ids."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from policykb.load import load_model
from policykb.repo import Repo
from policykb.site.html import mermaid_label, page, text
from policykb.site.pages import Site
from policykb.site.render import environment


def test_text_and_titles_are_escaped() -> None:
    assert text('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    built = page('<b>"titel"</b>', "<p>body</p>")
    assert (
        'title: "&lt;b&gt;&quot;titel&quot;&lt;/b&gt;"' in built
        and "<h1>&lt;b&gt;&quot;titel&quot;&lt;/b&gt;</h1>" in built
    )


def link(url: str, label: str) -> str:
    """A link as every template makes it (the `a` macro of macros.html)."""
    template = environment().from_string('{% import "macros.html" as m %}{{ m.a(url, label) }}')
    return template.render(url=url, label=label)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_links_other_than_http_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        link(url, "klik")


def test_relative_and_http_links_are_kept_escaped() -> None:
    assert link("../maatregel/x/", "<b>x</b>") == '<a href="../maatregel/x/">&lt;b&gt;x&lt;/b&gt;</a>'
    assert link('https://example.org/?a=1&b="2"', "bron") == (
        '<a href="https://example.org/?a=1&amp;b=&#34;2&#34;" rel="noopener noreferrer">bron</a>'
    )


def test_mermaid_labels_cannot_break_out() -> None:
    label = mermaid_label('a "] --> b; <img src=x> & # `x`\nnext')
    assert '"' not in label and "<" not in label and ">" not in label and "\n" not in label and "`" not in label
    assert label.startswith("a #34;#93; #45;#45;#62; b#59; #60;img src#61;x#62; #38; #35; #96;x#96; next")


def test_a_mermaid_directive_in_a_label_is_only_text() -> None:
    """A curated title or kb name with `%%{init: …}%%` must not restyle the diagram (which could make
    every reader's browser fetch a URL): no `%`, brace or quote survives, only entity codes."""
    label = mermaid_label("Titel %%{init: {'fontFamily': 'x; background: url(http://127.0.0.1:9/leak.png)'}}%% — café")
    assert not set(label) & set("%{}'\":()")  # `;` ends every entity code
    assert label.startswith("Titel #37;#37;#123;init#58; #123;#39;fontFamily#39;") and label.endswith(" #8212; café")


def test_control_characters_keep_the_front_matter() -> None:
    """A C1 control character (text decoded twice) in a curated title: YAML refuses it raw, so
    the page would lose its front matter; it goes in as a `\\u` escape, which YAML reads back."""
    import yaml

    built = page("Maatregel \x85 met \x9c erin", "<p>x</p>")
    front = built.split("---\n")[1]
    assert "\x85" not in front and yaml.safe_load(front)["title"] == "Maatregel \x85 met \x9c erin"


def test_pages_are_addressed_by_id_and_cite_absolute_urls_when_the_site_url_is_known(base: Path) -> None:
    model = load_model(Repo(base))
    site = Site(model, None, {}, site_url="https://example.org/kb/")
    pages = site.pages()
    measure = model.measures()[0].measure
    section = model.agreements[0].structure.sections[1]
    by_kind = {entry.record.kind: key for key, entry in sorted(model.kb.items())}
    assert {
        "index.md",
        "maatregelen.md",
        f"maatregel/{measure.id}.md",
        f"organisatie/{by_kind['organisation']}.md",
        f"instrument/{by_kind['law']}.md",
        f"instrument/{by_kind['bill']}.md",
        f"thema/{by_kind['theme']}.md",
        "tekst/synthetic.md",
        f"onderdeel/synthetic/{section.id}.md",
    } <= set(pages)
    page = pages[f"maatregel/{measure.id}.md"]
    assert f"Pagina: <code>https://example.org/kb/maatregel/{measure.id}/</code>" in page
    # internals folded into "Verantwoording", not in the text a policy officer reads
    shown, folded = page.split('<details class="pkb-verantwoording" data-search-exclude>', 1)
    assert f"IRI (linked data): <code>https://w3id.org/policykb/id/measure/{measure.id}</code>" in folded
    assert "text.txt" in folded and "sha256" in folded
    assert not any(word in shown for word in ("text.txt", "sha256", "https://w3id.org/policykb/id/", "tekens "))
    organisation = model.kb[by_kind["organisation"]].record
    assert f'title: "{organisation.name.nl} (' in pages[f"organisatie/{organisation.id}.md"]  # with its abbreviation


def test_the_queries_page_explains_every_example_in_dutch_in_full(base: Path, tmp_path: Path) -> None:
    """The whole `# toelichting:` of each cookbook query (over its continuation lines), not the
    English `# description:`, nor only its first line."""
    import shutil

    from policykb.compile.rdf import Builder
    from policykb.query import open_store
    from policykb.resources import QUERIES
    from policykb.site.hooks import _cookbook, query_header

    root = tmp_path / "root"
    shutil.copytree(base, root)
    model = load_model(Repo(root))
    cookbook = _cookbook(open_store("oxigraph", Builder(model).build()), QUERIES)
    site = Site(model, None, {}, cookbook, [], "https://w3id.org/policykb/", None)
    shown = html.unescape(site.pages()["queries.md"])
    for path in sorted((QUERIES / "examples").glob("*.rq")):
        head = query_header(path.read_text(encoding="utf-8"))
        assert f"<p>{head['toelichting']}</p>" in shown, path.name
        shown_text = shown.replace(path.read_text(encoding="utf-8"), "")  # the query itself is code
        assert head["description"].split(".")[0] not in shown_text, path.name


def _matrix(text: str) -> tuple[list[str], list[str], int, dict[str, str]]:
    """A matrix page's column keys, its rows' measures, its number of sections and its links
    between parts (by label)."""
    columns = re.findall(r'<th title="[^"]*" data-key="([^"]+)"', text)
    rows = re.findall(r'<tr><th scope="row"><a href="[./]*maatregel/([^/"]+)/"', text)
    sections = text.count('<tr class="pkb-matrix-group">')
    parts = re.search(r'<nav class="pkb-matrix-pages" aria-label="Delen van de matrix">(.*?)</nav>', text)
    links = {label: href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', parts[1])} if parts else {}
    return columns, rows, sections, links


def _sections(text: str) -> list[str]:
    """The section headings of a matrix page, in order."""
    return re.findall(r'<th scope="rowgroup" colspan="\d+">([^<]*)</th>', text)


def _at(path: str, href: str) -> str:
    """The page (`x/y.md`) a link on the page at `path` leads to."""
    return urljoin(f"https://x/{path.removesuffix('.md')}/", href).removeprefix("https://x/").rstrip("/") + ".md"


def test_a_large_matrix_is_in_parts_of_whole_sections_each_with_its_own_columns(base: Path, monkeypatch) -> None:
    from policykb.site import pages as site_pages

    model = load_model(Repo(base))
    whole = Site(model, None, {}).pages()
    columns, rows, _, _ = _matrix(whole["matrix-organisaties.md"])
    assert not [path for path in whole if path.startswith("matrix-organisaties/")]  # 40 measures: one page
    limit = 10
    assert len(rows) > 2 * limit
    monkeypatch.setattr(site_pages, "MATRIX_ROWS", limit)
    paged = Site(model, None, {}).pages()
    index = paged["matrix-organisaties.md"]
    assert f"delen van ten hoogste {limit} maatregelen" in index and "<table" not in index
    listed = [_at("matrix-organisaties.md", href) for href in re.findall(r'<li><a href="([^"]+)">', index)]
    assert set(listed) == {path for path in paged if path.startswith("matrix-organisaties/")}
    # from the first part, "volgend deel" walks every part in the order of the list
    walked, at = [listed[0]], listed[0]
    while "volgend deel →" in _matrix(paged[at])[3]:
        at = _at(at, _matrix(paged[at])[3]["volgend deel →"])
        walked.append(at)
    assert walked == listed
    shown: list[str] = []
    links = {record.measure.id: record.measure.links for record in model.measures()}
    for path in listed:
        own_columns, own_rows, sections, between = _matrix(paged[path])
        assert _at(path, between["alle delen"]) == "matrix-organisaties.md"
        assert len(own_rows) <= limit or sections == 1  # a larger section is a part of its own
        related = {link.target for key in own_rows for link in links[key] if link.review == "confirmed"}
        assert own_columns == [key for key in columns if key in related]  # its own, in the whole's order
        shown += own_rows
    assert shown == rows  # every row once, in the order of the text
    heads = [_sections(paged[path]) for path in listed]
    assert [title for part in heads for title in part] == _sections(whole["matrix-organisaties.md"])  # whole
    monkeypatch.setattr(site_pages, "MATRIX_ROWS", 3)  # below a section's rows: a part of its own
    small = Site(model, None, {}).pages()
    parts = [text for path, text in small.items() if path.startswith("matrix-organisaties/")]
    assert any(len(_matrix(text)[1]) > 3 for text in parts)
    assert all(len(_matrix(text)[1]) <= 3 or _matrix(text)[2] == 1 for text in parts)
    monkeypatch.setattr(site_pages, "MATRIX_ROWS", len(rows))
    assert not [path for path in Site(model, None, {}).pages() if path.startswith("matrix-organisaties/")]
