"""Escaping for the generated pages, and the page around a rendered body.

The templates (`site/templates/`, `site/render.py`) escape every value; here are the pieces they
and the page frame need: `text()` (HTML-escaped), `checked_url()` (http(s) or a relative path,
anything else refused), `mermaid_label()` and `mermaid_text()` (escaped for Mermaid, whose labels
are HTML), and `page()`, a Markdown file whose body is one HTML block, so Markdown never
interprets data (a `[link](javascript:…)` in a measure stays text).
"""

from __future__ import annotations

import html
import re


def text(value: object) -> str:
    """`value` as HTML text (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def checked_url(url: str) -> str:
    """`url` if it is an http(s) URL or a relative path; anything else (`javascript:`) is refused."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) and not url.startswith(("http://", "https://")):
        raise ValueError(f"refusing a link with scheme other than http(s): {url!r}")
    return url


def mermaid_label(value: object) -> str:
    """Text for a quoted Mermaid label, escaped for Mermaid's own syntax: every character but a
    letter, a digit or a space becomes Mermaid's entity code (`#37;` for `%`), which Mermaid
    shows as the character. So nothing in a label is ever read as Mermaid: no directive
    (`%%{init: …}%%`, which could restyle the page and make readers fetch a URL), no comment, no
    quote ending the label, no brace, no HTML."""
    return "".join(
        char if char.isalnum() or char == " " else " " if char in "\n\r\t" else f"#{ord(char)};" for char in str(value)
    )


def mermaid_text(value: object) -> str:
    """Text for a Mermaid accessibility line (`accTitle`, `accDescr`), which Mermaid takes as it
    is to the end of the line: on one line, with `%` written out (a `%%` would start a directive
    or comment) and without the characters of markup, entities or Mermaid blocks (`< > & # { }`);
    letters, digits and the rest of the punctuation stay."""
    spelled = str(value).replace("%", " procent")
    kept = "".join(" " if char in "<>&#{}\n\r\t`" else char for char in spelled)
    return " ".join(kept.split())


_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\ufffe\uffff]")


def _yaml_string(value: str) -> str:
    """`value` as a double-quoted string that JSON and YAML read alike: control characters (C1
    too, which YAML refuses raw, so the page would lose its front matter) as `\\uXXXX` escapes."""
    import json

    quoted = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def page(title: str, body: str, description: str | None = None, boost: float | None = None, rdf: bool = False) -> str:
    """A Markdown page: the title in front matter (YAML, JSON-quoted) and one HTML block. `rdf`:
    the page is an entity's, with its RDF beside it (`index.ttl`, `index.jsonld`)."""
    # The theme writes the title and description into the HTML as they are (in <title>, a meta
    # attribute, the header): they go in already escaped.
    meta = f"---\ntitle: {_yaml_string(text(title))}\n"
    if description:
        meta += f"description: {_yaml_string(text(description))}\n"
    if boost:
        meta += f"search:\n  boost: {boost}\n"  # Material: rank this page higher in search
    if rdf:
        meta += "rdf: true\n"
    meta += "---\n\n"
    # one block, no blank lines inside: Markdown leaves it exactly as it is
    body = "\n".join(line for line in body.splitlines() if line.strip())
    return meta + f'<div class="pkb">\n<h1>{text(title)}</h1>\n{body}\n</div>\n'
