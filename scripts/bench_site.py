#!/usr/bin/env python3
"""Benchmark the site build on the synthetic corpus (run by `make bench`).

Generates a curated corpus of N measures (`scripts/synth.py`; not counted), then runs
`policykb site --root` (compile, check in report mode, `mkdocs build --strict`) and reports the
wall time, the peak memory of the largest process, the number of pages and the size of the site.
Target for 10,000 measures: within 5 minutes and 4 GB on 2 cores.
Usage: .venv/bin/python scripts/bench_site.py [MEASURES...]   (default: 1000 10000)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policykb.synth import generate
from synth import WORDS


def main(sizes: list[int]) -> None:
    print(f"{'measures':>9} {'kb':>5} {'site s':>7} {'peak MB':>8} {'pages':>7} {'site MB':>8}")
    policykb = Path(sys.executable).parent / "policykb"
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root, size, WORDS.read_text(encoding="utf-8"), max(100, size // 20))
            started = time.perf_counter()
            subprocess.run([str(policykb), "site", "--root", str(root)], check=True, stdout=subprocess.DEVNULL)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            site = root / "build" / "site"
            pages = sum(1 for _ in site.rglob("index.html"))
            megabytes = sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1e6
            print(
                f"{size:>9} {max(100, size // 20):>5} {seconds:>7.1f} {peak:>8.0f} {pages:>7} {megabytes:>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [1000, 10000])
