"""The theme's navigation (`partials/nav.html`), rendered once per folder for the pages kept out
of the nav (issue 16: it was nearly half of the theme's time per page).

A page that is not in the nav marks no nav item as the current one, so its navigation differs from
another's only in its links, which MkDocs makes relative to the page's address
(`mkdocs.utils.get_relative_url`). Two pages in the same folder (`maatregel/a/`, `maatregel/b/`)
get the same relative link to any address outside their own, and no nav item lies inside a page
out of the nav (checked for each page): for those pages the first rendering in each folder is kept
and given again. A page in the nav is rendered as the theme renders it. Reads the theme's Jinja
environment (MkDocs' `on_env`); writes nothing. A test builds the site with and without it and
compares every page byte for byte; that Material's `nav.html` reads nothing else of the page was
read in Material 9.8.2 (the version `constraints.txt` pins).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

NAV = "partials/nav.html"


def render_once_per_folder(env: jinja2.Environment, name: str = NAV) -> None:
    """Make the theme's template `name` render once per folder for the pages out of the nav."""
    template = env.get_template(name)
    render: Callable[[Any], Iterator[str]] = template.root_render_func
    rendered: dict[str, str] = {}

    def once(context: Any) -> Iterator[str]:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or page.file.inclusion.is_in_nav() or _holds_nav_items(page.url, nav):
            yield from render(context)
            return
        folder = posixpath.dirname(page.url.rstrip("/"))  # `maatregel` for `maatregel/<id>/`
        if folder not in rendered:
            rendered[folder] = "".join(render(context))
        yield rendered[folder]

    template.root_render_func = once


def _holds_nav_items(url: str, nav: Any) -> bool:
    """Whether an address the nav links to (a page, a link, the home page) lies inside the page at
    `url`: its links would then differ between pages of one folder."""
    return _inside(url, nav.items) or (nav.homepage is not None and (nav.homepage.url or "").startswith(url))


def _inside(url: str, items: Any) -> bool:
    return any(
        (getattr(item, "url", None) or "").startswith(url) or _inside(url, getattr(item, "children", None) or [])
        for item in items
    )
