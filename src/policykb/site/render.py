"""The Jinja2 environment the generated pages are rendered with.

Reads the templates in `site/templates/` (one per page type, shared elements as macros in
`macros.html`); writes nothing. Autoescaping is on for every template and undefined values are
errors (`StrictUndefined`): a value from the data is always text in the HTML, never markup, and a
missing one fails the build instead of leaving an empty cell. Links go through the `href` filter
(http(s) or a relative path; anything else is refused).
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from policykb.changes import dutch_date
from policykb.site.html import checked_url


def lines(value: object) -> Markup:
    """Text that may hold line breaks, escaped, its breaks as `&#10;`: the page body is one
    Markdown HTML block, which a blank line would end."""
    return Markup(str(escape(str(value))).replace("\n", "&#10;"))


def decimal(value: float, digits: int = 2) -> str:
    """A number the Dutch way (`99,50`)."""
    return format(value, f".{digits}f").replace(".", ",")


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("policykb.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(href=checked_url, lines=lines, dutch_date=dutch_date, decimal=decimal)
    env.tests["external"] = lambda url: str(url).startswith(("http://", "https://"))
    return env


def render(template: str, **context: Any) -> str:
    """The HTML of `template` (a file in `site/templates/`) with `context`."""
    return environment().get_template(template).render(**context)
