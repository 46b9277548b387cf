#!/usr/bin/env python3
"""policykb side by side with the tools users would pick instead, on the same items (run by
`make bench`): StrictDoc (`strictdoc export --formats html`, cold and warm) and Doorstop
(`doorstop publish all`), each installed by this script into a virtual environment of its own
below `build/bench/` (never by `make test`), at pinned versions.

For each size N: the synthetic corpus (`policykb.synth`, kb records N/20; not counted) is built
with `policykb site` (compile, check, the site), and timed alone with `check`, `compile` and
`validate`; the same measures (section headings, ids, titles, texts) are written as one StrictDoc
document and as one Doorstop document, and published as HTML. Every command runs in a process of
its own. The floor is MkDocs with the Material theme and its search on as many trivial pages kept
out of the nav (what any MkDocs site of that size costs). The table gives wall time, peak memory
of the process tree, the files written, their size, and policykb's site time as a ratio of each.
Sizes above `--peers-up-to` are run for policykb alone (the linearity check).
Usage: .venv/bin/python scripts/bench_peers.py [SIZES...] [--peers-up-to N]
   (default: 1000 5000, peers at both)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import venv
from pathlib import Path

from policykb.load import load_model
from policykb.repo import Repo
from policykb.synth import generate
from synth import WORDS

REPO = Path(__file__).resolve().parents[1]
PEERS = {"strictdoc": "strictdoc==0.30.4", "doorstop": "doorstop==3.2"}
"""The peers and the versions measured (PyPI)."""
MEASURE = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[2:], check=True, cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
"""Run a command in a helper process of its own: its peak memory is that command's alone."""


def peer(name: str) -> Path:
    """The peer's virtual environment (made and installed on first use); its bin/ folder."""
    folder = REPO / "build" / "bench" / name
    marker = folder / f".installed-{PEERS[name]}"
    if not marker.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        venv.create(folder, with_pip=True)
        subprocess.run(
            [folder / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PEERS[name]],
            check=True,
        )
        marker.touch()
    return folder / "bin"


def timed(command: list[str | Path], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak MB of `command` run in `cwd`."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(cwd), *map(str, command)], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, int(result.stdout.strip()) / 1024


def output(folder: Path) -> tuple[int, float]:
    """Files below `folder` and their size in MB."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files) / 1e6


def items(root: Path) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The corpus's sections in order, each with its measures: (id, title, text)."""
    model = load_model(Repo(root))
    sections: dict[str, list[tuple[str, str, str]]] = {}
    titles: dict[str, str] = {}
    for agreement in model.agreements:
        for section in agreement.structure.sections:
            titles[section.id] = section.title
            sections.setdefault(section.id, [])
        for record in agreement.measures:
            measure = record.measure
            sections.setdefault(measure.section, []).append((measure.id, measure.title or measure.id, measure.text))
    return [(titles.get(key, key), measures) for key, measures in sections.items() if measures]


def strictdoc_project(folder: Path, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
    lines = ["[DOCUMENT]", "TITLE: Synthetisch akkoord", ""]
    for title, measures in sections:
        lines += ["[[SECTION]]", f"TITLE: {title}", ""]
        for identifier, name, text in measures:
            lines += ["[REQUIREMENT]", f"UID: {identifier}", f"TITLE: {name}", "STATEMENT: >>>", text, "<<<", ""]
        lines += ["[[/SECTION]]", ""]
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "akkoord.sdoc").write_text("\n".join(lines), encoding="utf-8")


def doorstop_project(folder: Path, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
    documents = folder / "reqs"
    documents.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)  # Doorstop finds its tree by the repository
    (documents / ".doorstop.yml").write_text(
        "settings:\n  digits: 5\n  itemformat: yaml\n  prefix: MEA\n  sep: ''\n", encoding="utf-8"
    )
    number = 0
    for chapter, (title, measures) in enumerate(sections, 1):
        number += 1  # the section: a heading item (non-normative, level N.0)
        (documents / f"MEA{number:05d}.yml").write_text(
            f"active: true\nderived: false\nheader: ''\nlevel: {chapter}.0\nlinks: []\nnormative: false\n"
            f"ref: ''\nreviewed: null\ntext: {json.dumps(title, ensure_ascii=False)}\n",
            encoding="utf-8",
        )
        for position, (identifier, name, text) in enumerate(measures, 1):
            number += 1
            body = textwrap.indent(text, "  ")
            (documents / f"MEA{number:05d}.yml").write_text(
                f"active: true\nderived: false\nheader: {json.dumps(name, ensure_ascii=False)}\n"
                f"level: {chapter}.{position}\nlinks: []\nnormative: true\nref: ''\nmeasure: {json.dumps(identifier)}\n"
                f"reviewed: null\ntext: |\n{body}\n",
                encoding="utf-8",
            )
    if number == 0:
        raise SystemExit("no measures to publish")


def floor_project(folder: Path, pages: int) -> None:
    """MkDocs with the Material theme and its search, `pages` trivial pages kept out of the nav:
    the least any MkDocs site of that many pages costs (the floor of policykb's site)."""
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(
        "site_name: Vloer\ntheme:\n  name: material\n  language: nl\n  font: false\n"
        "plugins:\n  - search\nnav:\n  - Start: index.md\nnot_in_nav: |\n  /p*.md\n",
        encoding="utf-8",
    )
    (folder / "docs" / "index.md").write_text("# Start\n", encoding="utf-8")
    for number in range(pages):
        (folder / "docs" / f"p{number}.md").write_text(f"# Pagina {number}\n\nEen zin.\n", encoding="utf-8")


def row(name: str, seconds: float, peak: float, files: int, megabytes: float, ratio: str = "") -> None:
    print(f"  {name:<34} {seconds:>8.1f} {peak:>8.0f} {files:>7} {megabytes:>8.1f}  {ratio}", flush=True)


def run(size: int, with_peers: bool, scratch: Path) -> None:
    root = scratch / f"policykb-{size}"
    generate(root, size, WORDS.read_text(encoding="utf-8"), max(100, size // 20))
    policykb = Path(sys.executable).parent / "policykb"
    print(f"\n{size:,} measures ({max(100, size // 20)} kb records)")
    print(f"  {'':<34} {'s':>8} {'peak MB':>8} {'files':>7} {'MB':>8}  policykb site ÷ this")
    site_seconds, peak = timed([policykb, "site", "--root", root], root)
    row("policykb site (compile+check+site)", site_seconds, peak, *output(root / "build" / "site"))
    for command in ("check", "compile", "validate"):
        row(f"policykb {command}", *timed([policykb, command, "--root", root], root), *output(root / "build"))
    pages = sum(1 for _ in (root / "build" / "site").rglob("index.html"))
    floor = scratch / f"floor-{size}"
    floor_project(floor, pages)
    seconds, peak = timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], floor)
    row(
        f"MkDocs floor ({pages:,} trivial pages)",
        seconds,
        peak,
        *output(floor / "site"),
        f"{site_seconds / seconds:.2f}×",
    )
    if not with_peers:
        return
    sections = items(root)
    strictdoc, doorstop = scratch / f"strictdoc-{size}", scratch / f"doorstop-{size}"
    strictdoc_project(strictdoc, sections)
    doorstop_project(doorstop, sections)
    export = [peer("strictdoc") / "strictdoc", "export", "docs", "--formats", "html", "--output-dir", "out"]
    for label in ("cold", "warm"):  # warm: StrictDoc's cache of parsed documents (out/_cache) kept
        shutil.rmtree(strictdoc / ("out" if label == "cold" else "out/html"), ignore_errors=True)
        seconds, peak = timed(export, strictdoc)
        ratio = f"{site_seconds / seconds:.2f}×"
        row(f"StrictDoc export html ({label})", seconds, peak, *output(strictdoc / "out" / "html"), ratio)
    seconds, peak = timed([peer("doorstop") / "doorstop", "publish", "all", "public"], doorstop)
    row("Doorstop publish all", seconds, peak, *output(doorstop / "public"), f"{site_seconds / seconds:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--peers-up-to", type=int, default=5000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            run(size, size <= arguments.peers_up_to, Path(folder))


if __name__ == "__main__":
    main()
