"""Small, safe builders for the HTML the generated pages are made of.

Every piece of text from the data goes through `text()` (HTML-escaped) or `mermaid_label()`
(escaped for Mermaid, whose labels are HTML), every URL through `href()` (http(s) or a relative
path, anything else refused). Pages are Markdown files whose body is one HTML block, so Markdown
never interprets data (a `[link](javascript:…)` in a measure stays text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence


def text(value: object) -> str:
    """`value` as HTML text (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def href(url: str) -> str:
    """A safe attribute value for a link: an http(s) URL or a relative path, escaped."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) and not url.startswith(("http://", "https://")):
        raise ValueError(f"refusing a link with scheme other than http(s): {url!r}")
    return text(url)


def link(url: str, label: object) -> str:
    external = url.startswith(("http://", "https://"))
    extra = ' rel="noopener noreferrer"' if external else ""
    return f'<a href="{href(url)}"{extra}>{text(label)}</a>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]], kind: str = "", sortable: bool = True) -> str:
    """A table in a box that scrolls sideways when the table is wider (never the page); `rows` hold
    cells that are already HTML. `kind` names it for tests and scripts."""
    classes = "pkb-table" + (" pkb-sortable" if sortable else "")
    head = "".join(f"<th>{text(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<div class="pkb-scroll"><table class="{classes}" data-kind="{text(kind)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def filterable(table_html: str, placeholder: str = "Filter …") -> str:
    label = text(placeholder)
    return f'<div class="pkb-filter"><input type="search" placeholder="{label}" aria-label="{label}"></div>{table_html}'


def accountability(items: Iterable[str]) -> str:
    """The collapsed "Verantwoording" section: the internals an auditor checks (offsets, file
    names, hashes, IRIs), out of a policy officer's way; `items` are HTML."""
    listed = "".join(f"<li>{item}</li>" for item in items)
    return (
        '<details class="pkb-verantwoording"><summary>Verantwoording (voor controle)</summary>'
        f"<ul>{listed}</ul></details>"
    )


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
