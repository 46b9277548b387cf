#!/usr/bin/env python3
"""Prove a speed-up changed no output: build the same corpus with this checkout and with an
earlier commit, and compare every file of both `build/` folders byte for byte (run by `make bench`).

The earlier commit is checked out into a temporary git worktree and run with this virtual
environment (`PYTHONPATH` at its `src/`), both with the same `SOURCE_DATE_EPOCH`, each on its own
copy of the corpus: the chapter of this repository and a synthetic corpus of N measures. Prints,
per corpus, both wall times and every file that differs or exists on one side only; exits 1 if
any does. Files that name the code itself (the site's generator tag) are compared too: the
versions are the same package.
A change that alters a file on purpose names it with `--changed PATH` (below build/, a glob); it
is listed as changed on purpose, and does not fail the comparison.
Usage: .venv/bin/python scripts/bench_same.py [--baseline REF] [--measures N] [--changed GLOB ...]
   (default: the baseline is the commit before the first of issue 16's speed-ups, 06648b1; 1000)
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from fnmatch import fnmatch
from pathlib import Path

from policykb.site.reuse import CACHE
from policykb.synth import generate
from synth import WORDS

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z: a fixed build time for both sides
CURATED = ("policy", "kb", "checks.yaml", "dataset.yaml")
"""What a repository root holds that the build reads (the rest is the software's)."""


def build(root: Path, source: Path | None) -> float:
    """`policykb site --root root` with the code of `source` (a worktree's src/) or this checkout."""
    environment = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, CI="true")
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from policykb.cli import main; main()", "site", "--root", str(root)],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


NO_OUTPUT = ("cache/", f"site/{CACHE}")
"""What a build keeps for the next one, not output: the loaded files (load_cache.py) and the site's
pages' keys (site/reuse.py)."""


def differences(left: Path, right: Path) -> list[str]:
    """Every file path below the two folders that differs, or is on one side only (but for
    `NO_OUTPUT`)."""
    return [line for line in _differences(left, right) if not (line.split(": ", 1)[1] + "/").startswith(NO_OUTPUT)]


def _differences(left: Path, right: Path) -> list[str]:
    found = []
    comparison = filecmp.dircmp(left, right)
    stack = [(comparison, "")]
    while stack:
        current, prefix = stack.pop()
        found += [f"only before: {prefix}{name}" for name in current.left_only]
        found += [f"only after: {prefix}{name}" for name in current.right_only]
        _, mismatch, errors = filecmp.cmpfiles(current.left, current.right, current.common_files, shallow=False)
        found += [f"differs: {prefix}{name}" for name in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in current.subdirs.items()]
    return sorted(found)


def corpus(root: Path, measures: int) -> Path:
    if measures == 0:  # the chapter: the curated part of this repository
        root.mkdir(parents=True)
        for name in CURATED:
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, root / name)
            elif (REPO / name).is_file():
                shutil.copy2(REPO / name, root / name)
    else:
        generate(root, measures, WORDS.read_text(encoding="utf-8"), max(100, measures // 20))
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="06648b1")
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--changed", action="append", default=[], help="a file changed on purpose (glob)")
    arguments = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        worktree = scratch / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(worktree), arguments.baseline], check=True
        )
        try:
            print(f"{'corpus':>12} {'before s':>9} {'after s':>8} {'files':>6}  same")
            for measures in (0, arguments.measures):
                name = "chapter" if measures == 0 else f"{measures} measures"
                before = corpus(scratch / f"before-{measures}", measures)
                after = scratch / f"after-{measures}"
                shutil.copytree(before, after)
                seconds_before = build(before, worktree / "src")
                seconds_after = build(after, None)
                found = [
                    line
                    + (
                        " (on purpose)"
                        if any(fnmatch(line.split(": ", 1)[1], glob) for glob in arguments.changed)
                        else ""
                    )
                    for line in differences(before / "build", after / "build")
                ]
                unexpected = [line for line in found if not line.endswith("(on purpose)")]
                files = sum(1 for path in (after / "build").rglob("*") if path.is_file())
                same = "yes" if not found else "NO" if unexpected else "yes, but for what changed on purpose"
                print(f"{name:>12} {seconds_before:>9.1f} {seconds_after:>8.1f} {files:>6}  {same}")
                for line in found[:40]:
                    print(f"    {line}")
                failed = failed or bool(unexpected)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
