#!/usr/bin/env python3
"""Benchmark the parse stage on synthetic agreements of growing size (run by `make bench`).

Generates agreements shaped like the first corpus (double-spaced extraction, headings, intro
paragraphs, bullets, a page number every ~50 lines), parses each into a temporary root and reports
time and peak memory for the first parse (every measure new) and a re-parse (every measure
matched). Time per measure should stay flat: the stage must be linear in the corpus size.
Usage: .venv/bin/python scripts/bench_parse.py [SIZES...]   (default: 500 2000 8000 measures)
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from policykb.parse import apply, plan
from policykb.repo import Repo

WORDS = (
    "we gaan de asielketen op orde brengen met meer capaciteit voor opvang en snellere procedures "
    "gemeenten krijgen structurele middelen voor huisvesting van statushouders en inburgering "
    "werkgevers dragen verantwoordelijkheid voor arbeidsmigranten en hun huisvesting"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def agreement(measures: int, seed: int = 7) -> str:
    """A double-spaced extraction with `measures` bullets in sections of 8."""
    rng = random.Random(seed)
    lines: list[str] = ["Synthetisch akkoord", " "]
    page, since_page = 1, 0
    for number in range(measures):
        if number % 8 == 0:
            lines += [" ", f"Sectie {number // 8 + 1} over {rng.choice(WORDS)}", " ".join(sentence(rng) for _ in range(3)) + " Dit willen we doen:"]
        text = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        wrapped = textwrap.wrap(text, 84)
        lines += ["• " + wrapped[0], *wrapped[1:]]
        since_page += len(wrapped)
        if since_page > 50:
            lines += ["  ", str(page), " "]
            page, since_page = page + 1, 0
    body = []
    for line in lines:
        if line.startswith("Sectie") or len(line) > 84:
            body.extend(textwrap.wrap(line, 84) if not line.startswith("Sectie") else [line])
        else:
            body.append(line)
    return "".join(f"{line} \n\n" for line in body)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    print(f"{'measures':>9} {'source KB':>9} {'parse s':>8} {'µs/measure':>10} {'re-parse s':>10} {'peak MB':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            source = root / "source.txt"
            source.write_text(agreement(size), encoding="utf-8")
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
            print(f"{size:>9} {kilobytes:>9.0f} {first:>8.2f} {first / size * 1e6:>10.0f} {second:>10.2f} {peak_mb():>8.0f}")


if __name__ == "__main__":
    main([int(argument) for argument in sys.argv[1:]] or [500, 2000, 8000])
