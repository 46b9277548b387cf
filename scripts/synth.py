#!/usr/bin/env python3
"""Write a synthetic corpus (policykb.synth) below ROOT, in the word sequences of the first corpus.

Usage: .venv/bin/python scripts/synth.py ROOT [--measures N] [--records M] [--seed S] [--per-agreement P] [--raw]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from policykb.synth import generate

REPO = Path(__file__).resolve().parents[1]
WORDS = REPO / "policy" / "coalitieakkoord-2026" / "text.txt"
"""The text whose word sequences the corpus imitates (this repository's first corpus)."""


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-agreement", type=int, default=None, help="at most P measures per agreement")
    parser.add_argument("--raw", action="store_true", help="parse only: no links, themes or statuses")
    arguments = parser.parse_args()
    generate(
        arguments.root.resolve(),
        arguments.measures,
        WORDS.read_text(encoding="utf-8"),
        arguments.records,
        arguments.seed,
        curated=not arguments.raw,
        per_agreement=arguments.per_agreement,
    )
    print(
        f"wrote a synthetic corpus of {arguments.measures} measures and {arguments.records} "
        f"kb records below {arguments.root}"
    )
