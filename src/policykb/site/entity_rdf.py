"""Each entity's own RDF beside its page: `maatregel/<id>/index.ttl` and `index.jsonld`.

Reads the compiled graph and the page of every entity (measures and kb records); writes, into the
built site, the entity's description: every triple about it and about the nodes it owns (a
measure's source span and selectors, assessments and condition; a record's identifiers and
events, a bill's draft), in Turtle and JSON-LD, serialised by pyoxigraph. The pages link to them with
`<link rel="alternate">` (the theme override in `site/overrides/main.html`), so an entity's IRI
can be redirected to its page for browsers and to its RDF for clients (docs/rdf-contract.md).
One pass over the graph: linear in its size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from policykb.compile.dumps import context, ntriples
from policykb.compile.rdf import Builder

OWNED = ("span", "assessment", "condition", "identifier", "event", "draft")
"""The kinds of node that belong to one entity: their IRI names it (`id/span/<measure>/…`)."""


def write_entity_rdf(site_dir: Path, builder: Builder, pages: dict[str, str], triples: bytes | None = None) -> int:
    """Write the RDF of every entity in `pages` (entity IRI -> its page folder); the number written.
    `triples`: the graph's sorted N-Triples when already written."""
    import pyoxigraph as ox

    base = str(builder.id)
    owned = re.compile(rf"^{re.escape(base)}({'|'.join(OWNED)})/([^/]+)")
    measures = f"{base}measure/"
    record_iris = {key: str(builder.iri_of(key)) for key in builder.model.kb}
    groups: dict[str, list[str]] = defaultdict(list)
    triples = triples if triples is not None else ntriples(builder.triples)
    for raw in triples.splitlines(keepends=True):  # bytes: `\n` ends a line, a U+2028 in a literal does not
        line = raw.decode("utf-8")
        if not line.startswith("<"):
            continue  # the graph has no blank nodes; a line without an IRI subject is not an entity's
        name = line[1 : line.index(">")]
        owner = name if name in pages else None
        if owner is None:
            match = owned.match(name)
            if match:
                kind, key = match.groups()
                owner = f"{measures}{key}" if kind in ("span", "assessment", "condition") else record_iris.get(key)
        if owner in pages:
            groups[owner].append(line)
    prefixes = {prefix: iri for prefix, iri in context(builder.names)["@context"].items() if prefix != "id"}
    for iri, lines in groups.items():
        folder = site_dir / pages[iri]
        folder.mkdir(parents=True, exist_ok=True)
        data = "".join(lines).encode("utf-8")
        turtle = ox.serialize(
            ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes
        )
        jsonld = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD)
        assert turtle is not None and jsonld is not None
        (folder / "index.ttl").write_bytes(turtle)
        (folder / "index.jsonld").write_bytes(jsonld)
    return len(groups)


def entity_pages(builder: Builder, measure_ids: list[str], record_pages: dict[str, str]) -> dict[str, str]:
    """Entity IRI -> page folder, for the measures and the kb records that have a page."""
    pages = {f"{builder.id}measure/{key}": f"maatregel/{key}/" for key in measure_ids}
    pages.update({str(builder.iri_of(key)): page for key, page in record_pages.items()})
    return pages
