#!/usr/bin/env python3
"""Benchmark the site build on the synthetic corpus (run by `make bench`).

Generates a curated corpus of N measures (`scripts/synth.py`; not counted), then runs
`policykb site --root` (compile, check in report mode, `mkdocs build --strict`) and reports the
wall time, the peak memory of the largest process, the number of pages and the size of the site;
then edits one measure (a status note, as a curator would) and builds again: the time for "one
measure edited" and how many pages were rendered again (the others are the previous build's,
`site/reuse.py`). Target for 10,000 measures: within 5 minutes and 4 GB on 2 cores.
Usage: .venv/bin/python scripts/bench_site.py [MEASURES...]   (default: 1000 10000)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policykb import yamlio
from policykb.synth import generate
from synth import WORDS


def edit_one_measure(root: Path) -> None:
    """A note added to the first status entry of the middle measure, as a curator would."""
    paths = sorted(root.glob("policy/*/measures/*.yaml"))
    path = paths[len(paths) // 2]
    raw = yamlio.load(path)
    raw["status"][0]["note"] = "Het wetsvoorstel ligt bij de Raad van State."
    path.write_text(yamlio.dumps(raw), encoding="utf-8")


def pages(site: Path) -> dict[Path, int]:
    return {path: path.stat().st_ino for path in site.rglob("index.html")}


def main(sizes: list[int]) -> None:
    print(
        f"{'measures':>9} {'kb':>5} {'site s':>7} {'peak MB':>8} {'pages':>7} {'site MB':>8}"
        f" {'one edited s':>13} {'rendered again':>15}"
    )
    policykb = Path(sys.executable).parent / "policykb"
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root, size, WORDS.read_text(encoding="utf-8"), max(100, size // 20))
            seconds = build(policykb, root)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            site = root / "build" / "site"
            before = pages(site)
            megabytes = sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1e6
            edit_one_measure(root)
            edited = build(policykb, root)
            after = pages(site)
            again = sum(1 for path, inode in after.items() if before.get(path) != inode)
            print(
                f"{size:>9} {max(100, size // 20):>5} {seconds:>7.1f} {peak:>8.0f} {len(before):>7} {megabytes:>8.1f}"
                f" {edited:>13.1f} {again:>15}",
                flush=True,
            )


def build(policykb: Path, root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(policykb), "site", "--root", str(root)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [1000, 10000])
