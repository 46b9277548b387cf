#!/usr/bin/env python3
"""Benchmark compile and the two SPARQL engines on the synthetic corpus (run by `make bench`).

For each size (in measures; 300, 3,000 and 30,000 give graphs of about 10k, 100k and 1M triples)
generates a curated corpus (`scripts/synth.py`), then times loading the model, building the graph,
each dump (with its size), SHACL validation (up to 200k triples: pyshacl is pure Python), and for
each engine (pyoxigraph's Rust engine, rdflib's Python engine) loading the graph and running every
cookbook query of queries/examples/ (median of 3 runs). Prints one table per size and a summary
row per size and engine.
Usage: .venv/bin/python scripts/bench_compile.py [MEASURES...]   (default: 300 3000 30000)
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from policykb.compile import dumps
from policykb.compile.rdf import Builder
from policykb.compile.shacl import validate
from policykb.load import load_model
from policykb.query import ENGINES, open_store
from policykb.resources import QUERIES
from policykb.synth import generate
from synth import WORDS

REPO = Path(__file__).resolve().parents[1]
SHACL_LIMIT = 200_000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def queries() -> dict[str, str]:
    found = {}
    for path in sorted((QUERIES / "examples").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if "# federated: true" not in text:
            found[path.stem] = text
    return found


def bench(measures: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo, generated = timed(
            generate, Path(folder), measures, WORDS.read_text(encoding="utf-8"), max(100, measures // 10)
        )
        model, loaded = timed(load_model, repo)
        builder = Builder(model)
        graph, built = timed(builder.build)
        print(
            f"\n## {measures:,} measures, {len(model.kb):,} kb records: {len(graph):,} triples "
            f"(generated in {generated:.0f} s, not counted)"
        )
        print(f"load + validate the model: {loaded:.2f} s; build the graph: {built:.2f} s")
        for name, function in (
            ("kb.ttl", lambda g: dumps.turtle(dumps.ntriples(g), builder.names)),
            ("kb.nt", dumps.ntriples),
            ("kb.jsonld", lambda g: dumps.jsonld(g, builder.names)),
        ):
            content, seconds = timed(function, graph)
            print(f"{name:<10} {seconds:>7.2f} s {len(content) / 1e6:>8.1f} MB")
        if len(graph) <= SHACL_LIMIT:
            (conforms, _), seconds = timed(validate, graph)
            print(f"SHACL      {seconds:>7.2f} s  conforms={conforms}")
        else:
            print(f"SHACL      skipped above {SHACL_LIMIT:,} triples")
        texts = queries()
        print(
            f"{'engine':<9} {'load s':>7} "
            + " ".join(f"{name[:22]:>22}" for name in texts)
            + "   (median ms of 3 runs)"
        )
        for engine in ENGINES:
            store, load = timed(open_store, engine, graph)
            cells = []
            for text in texts.values():
                runs = []
                for _ in range(3):
                    _, seconds = timed(store.query, text)
                    runs.append(seconds)
                cells.append(statistics.median(runs) * 1000)
            print(f"{engine:<9} {load:>7.2f} " + " ".join(f"{cell:>22.1f}" for cell in cells))
            del store
        print(f"peak RSS so far: {peak_mb():.0f} MB")


if __name__ == "__main__":
    for size in [int(argument) for argument in sys.argv[1:]] or [300, 3000, 30000]:
        bench(size)
