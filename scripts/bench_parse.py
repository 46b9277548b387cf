#!/usr/bin/env python3
"""Benchmark the parse stage on synthetic agreements of growing size (run by `make bench`).

Takes the source text of the synthetic corpus (`scripts/synth.py`: double-spaced extraction,
headings, intro paragraphs, bullets, a page number every ~50 lines), parses each into a temporary
root and reports time and peak memory for the first parse (every measure new) and a re-parse (every measure
matched). Time per measure should stay flat: the stage must be linear in the corpus size.
Usage: .venv/bin/python scripts/bench_parse.py [SIZES...]   (default: 500 2000 8000 measures)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from policykb.parse import apply, plan
from policykb.repo import Repo
from policykb.synth import source_text
from synth import WORDS


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    print(f"{'measures':>9} {'source KB':>9} {'parse s':>8} {'µs/measure':>10} {'re-parse s':>10} {'peak MB':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            source = root / "source.txt"
            source.write_text(source_text(size, [], WORDS.read_text(encoding="utf-8")), encoding="utf-8")
            started = time.perf_counter()
            result = plan(Repo(root), "bench", source)
            apply(result)
            first = time.perf_counter() - started
            assert result.counts["measures"] == size, result.counts
            started = time.perf_counter()
            again = plan(Repo(root), "bench")
            second = time.perf_counter() - started
            assert again.changes() == []
            kilobytes = source.stat().st_size / 1024
            print(
                f"{size:>9} {kilobytes:>9.0f} {first:>8.2f} {first / size * 1e6:>10.0f} "
                f"{second:>10.2f} {peak_mb():>8.0f}"
            )


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [500, 2000, 8000])
