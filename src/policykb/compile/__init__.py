"""`policykb compile`: the curated model as RDF, a NetworkX graph and CSV tables.

Reads `policy/` and `kb/` (validated by `load`) and `schema/` (vocabularies, `policykb.ttl`,
`shapes/`); writes into `build/` (or `--out`):

| file | what |
|---|---|
| `kb.ttl`, `kb.nt`, `kb.jsonld` (+ `context.jsonld`) | the graph (docs/rdf-contract.md); N-Triples sorted |
| `graph.graphml`, `analysis.json` | the NetworkX projection and its analyses |
| `csv/*.csv` | one table per entity type |
| `policykb.ttl`, `shapes/*.ttl` | the vocabulary and the SHACL shapes, under the chosen base |
| `provenance.ttl` | source sha256s, git commit, build time (`SOURCE_DATE_EPOCH` honoured) |
| `dataset.ttl` | the dataset described (DCAT-AP-NL, VoID): distributions with sizes and sha256 (`dataset.yaml`) |
| `release/<version>/` | the release: all of the above but the analyses, with `SHA256SUMS`; kept per version |

Everything but `provenance.ttl` (the build time), `dataset.ttl` (the build day, and the checksum of
`provenance.ttl`) and `analysis.json` (which depends on the build date) is a function of the input
alone: compiling twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from policykb.compile import dataset, dumps
from policykb.compile.projection import analyse, project
from policykb.compile.rdf import Builder
from policykb.compile.tables import tables
from policykb.compile.terms import DEFAULT_BASE
from policykb.compile.triples import Triples
from policykb.load import Model
from policykb.model import sha256_bytes
from policykb.repo import Repo
from policykb.writing import write_bytes_atomic


@dataclass
class Compiled:
    """What one compile produced, in memory."""

    triples: Triples
    """The graph (`compile/triples.py`); `graph` makes an rdflib graph of it."""
    projection: nx.MultiDiGraph
    analysis: dict[str, Any]
    files: dict[str, bytes]
    builder: Builder
    """What built the graph (its IRIs, its names), for whoever checks the same graph next."""

    @cached_property
    def graph(self) -> Graph:
        """The graph as an rdflib graph (for rdflib's SPARQL and the tests; made on first use)."""
        return self.triples.to_graph()


def build_time() -> dt.datetime:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else now; in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def compile_model(repo: Repo, model: Model, base: str = DEFAULT_BASE, when: dt.datetime | None = None) -> Compiled:
    """Build every output in memory."""
    when = when or build_time()
    builder = Builder(model, base)
    graph = builder.build()
    projection = project(model)
    analysis = analyse(model, projection, when.date())
    graphml = io.BytesIO()
    nx.write_graphml(projection, graphml, encoding="utf-8", prettyprint=True)
    triples = dumps.ntriples(graph)
    files: dict[str, bytes] = {
        "kb.ttl": dumps.turtle(triples, builder.names),
        "kb.nt": triples,
        "kb.jsonld": dumps.jsonld(graph, builder.names),
        "context.jsonld": (json.dumps(dumps.context(builder.names), indent=1) + "\n").encode("utf-8"),
        "graph.graphml": graphml.getvalue(),
        "analysis.json": (json.dumps(analysis, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "policykb.ttl": _rebased(model.vocabulary.folder / "policykb.ttl", base),
        "provenance.ttl": provenance(repo, model, builder, when),
    }
    for path in sorted((model.vocabulary.folder / "shapes").glob("*.ttl")):
        files[f"shapes/{path.name}"] = _rebased(path, base)
    for name, content in tables(model, builder).items():
        files[f"csv/{name}"] = content
    files["dataset.ttl"] = dataset.describe(model, builder, dataset.dataset_info(repo.root), files, when)
    files |= dataset.release(files, when)
    return Compiled(graph, projection, analysis, files, builder)


def write(compiled: Compiled, folder: Path) -> list[Path]:
    """Write every file below `folder` atomically; returns the paths written."""
    written = []
    for name in sorted(compiled.files):
        path = folder / name
        write_bytes_atomic(path, compiled.files[name])
        written.append(path)
    return written


def _rebased(path: Path, base: str) -> bytes:
    return path.read_text(encoding="utf-8").replace(DEFAULT_BASE, base).encode("utf-8")


def provenance(repo: Repo, model: Model, builder: Builder, when: dt.datetime) -> bytes:
    """A small PROV graph: this build, the files it used (with sha256), the commit, the time."""
    graph = Graph()
    graph.bind("prov", PROV)
    graph.bind("dcterms", DCTERMS)
    graph.bind("kb", str(builder.kb))
    build = builder.id["build"]
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, RDFS.label, Literal("policykb compile", lang="en")))
    graph.add((build, PROV.endedAtTime, Literal(when.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)))
    commit = _git_commit(repo.root)
    if commit:
        graph.add((build, DCTERMS.identifier, Literal(f"git:{commit}")))
    dataset = builder.id["dataset"]
    graph.add((dataset, RDF.type, PROV.Entity))
    graph.add((dataset, PROV.wasGeneratedBy, build))
    for agreement in model.agreements:
        folder = agreement.folder
        for name in (agreement.agreement.source_file, "text.txt"):
            path = folder / name
            if not path.is_file():
                continue
            used = URIRef(f"{builder.id}file/{agreement.id}/{name}")
            graph.add((build, PROV.used, used))
            graph.add((used, RDF.type, PROV.Entity))
            graph.add((used, DCTERMS.identifier, Literal(f"policy/{agreement.id}/{name}")))
            graph.add((used, builder.kb.sha256, Literal(sha256_bytes(path.read_bytes()))))
    return graph.serialize(format="turtle", encoding="utf-8")


def _git_commit(root: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None
