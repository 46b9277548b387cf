#!/usr/bin/env python3
"""Benchmark the link stage on the synthetic corpus (run by `make bench`).

For each size, generates an uncurated corpus (`scripts/synth.py`: parse only, no links yet) and
times, on the same process: loading and validating the model, matching (building the matcher
from the kb aliases and finding the mentions in every measure and preamble), and merging and
writing the YAML back (every measure file gains its links). Targets for 10,000 measures on 2
cores: matching within 30 s, matching plus writing within 120 s. Time per measure should stay
flat: the stage must be linear in the corpus size.
Usage: .venv/bin/python scripts/bench_link.py [SIZES...]   (default: 1000 10000 measures)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from policykb import link
from policykb.link.matcher import Matcher
from policykb.load import load_model
from policykb.synth import generate
from synth import WORDS

RECORDS = 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    print(
        f"{'measures':>9} {'kb':>5} {'load s':>7} {'match s':>8} {'mentions':>9} "
        f"{'merge+write s':>13} {'match+write s':>13} {'ms/measure':>10} {'peak MB':>8}"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            repo = generate(Path(folder), size, WORDS.read_text(encoding="utf-8"), RECORDS, curated=False)
            started = time.perf_counter()
            model = load_model(repo)
            loaded = time.perf_counter()
            matcher = Matcher({key: entry.record for key, entry in model.kb.items()}, model.vocabulary)
            texts = [r.measure.text for r in model.measures()] + [
                model.agreements[0].text[p.start : p.end] for p in model.agreements[0].structure.preambles
            ]
            mentions = sum(len(found) for found in matcher.find(texts))
            matched = time.perf_counter()
            written = link.apply(link.plan(repo, model))  # plan matches again: the figure includes it
            done = time.perf_counter()
            assert len(written) > size * 0.9, len(written)
            print(
                f"{size:>9} {RECORDS:>5} {loaded - started:>7.2f} {matched - loaded:>8.2f} {mentions:>9} "
                f"{done - matched:>13.2f} {done - started:>13.2f} {(done - started) / size * 1e3:>10.2f} "
                f"{peak_mb():>8.0f}"
            )


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [1000, 10000])
