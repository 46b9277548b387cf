#!/usr/bin/env python3
"""policykb side by side with the tools users would pick instead, on the same items (run by
`make bench`): StrictDoc (`strictdoc export --formats html`, cold and warm) and Doorstop
(`doorstop publish all`), each installed by this script into a virtual environment of its own
below `build/bench/` (never by `make test`), at pinned versions.

For each size N: the synthetic corpus (`policykb.synth`, kb records N/20; not counted) is built
with `policykb site` (compile, check, the site), and timed alone with `check`, `compile` and
`validate`; the same items are written for each peer (the kb records as one document, the
measures with their section headings, ids, titles and texts as another, each measure linked to
the kb records it is linked to in policykb) and published as HTML. Every command runs in a process of
its own. The floor is MkDocs with the Material theme and its search on as many trivial pages kept
out of the nav (what any MkDocs site of that size costs). The table gives wall time, peak memory
of the largest process (the search worker of `policykb site` not added in), the files written,
their size, and policykb's site time as a ratio of each.
Sizes above `--peers-up-to` are run for policykb alone (the linearity check). A corpus holds at
most `PER_AGREEMENT` measures per agreement (50,000 measures are ten agreements), as a repository
of many agreements does; a single source of 50,000 would also pass the parse's 10 MB limit.
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


Item = tuple[str, str, str, list[str]]
"""A measure as the peers get it: id, title, text, and the kb records it is linked to."""


def items(root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, list[Item]]]]:
    """The corpus's kb records (id, Dutch name), and its sections in order with their measures."""
    model = load_model(Repo(root))
    records = [(key, entry.record.name.nl) for key, entry in sorted(model.kb.items())]
    sections: dict[str, list[Item]] = {}
    titles: dict[str, str] = {}
    for agreement in model.agreements:
        for section in agreement.structure.sections:
            titles[section.id] = section.title
            sections.setdefault(section.id, [])
        for record in agreement.measures:
            measure = record.measure
            links = sorted({link.target for link in measure.links if link.review == "confirmed"})
            sections.setdefault(measure.section, []).append((measure.id, measure.title, measure.text, links))
    return records, [(titles.get(key, key), measures) for key, measures in sections.items() if measures]


def strictdoc_project(folder: Path, records: list[tuple[str, str]], sections: list[tuple[str, list[Item]]]) -> None:
    """The kb as one document, the agreement as another whose requirements have the kb records as
    parents (StrictDoc's traceability)."""
    (folder / "docs").mkdir(parents=True)
    kb = ["[DOCUMENT]", "TITLE: Kennisbank", ""]
    for key, name in records:
        kb += ["[REQUIREMENT]", f"UID: {key}", f"TITLE: {name}", f"STATEMENT: {name}", ""]
    (folder / "docs" / "kennisbank.sdoc").write_text("\n".join(kb), encoding="utf-8")
    lines = ["[DOCUMENT]", "TITLE: Synthetisch akkoord", ""]
    for title, measures in sections:
        lines += ["[[SECTION]]", f"TITLE: {title}", ""]
        for identifier, name, text, links in measures:
            lines += ["[REQUIREMENT]", f"UID: {identifier}", f"TITLE: {name}", "STATEMENT: >>>", text, "<<<"]
            if links:
                lines += ["RELATIONS:"] + [line for key in links for line in ("- TYPE: Parent", f"  VALUE: {key}")]
            lines.append("")
        lines += ["[[/SECTION]]", ""]
    (folder / "docs" / "akkoord.sdoc").write_text("\n".join(lines), encoding="utf-8")


def _item(
    path: Path, level: str, text: str, header: str = "", links: tuple[str, ...] = (), normative: bool = True
) -> None:
    linked = "".join(f"\n- {key}" for key in links) or " []"
    path.write_text(
        f"active: true\nderived: false\nheader: {json.dumps(header, ensure_ascii=False)}\nlevel: {level}\n"
        f"links:{linked}\nnormative: {str(normative).lower()}\nref: ''\nreviewed: null\n"
        f"text: |\n{textwrap.indent(text, '  ')}\n",
        encoding="utf-8",
    )


def doorstop_project(folder: Path, records: list[tuple[str, str]], sections: list[tuple[str, list[Item]]]) -> None:
    """The kb as the parent document (KB), the agreement as its child (MEA), linked as in policykb."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)  # Doorstop finds its tree by the repository
    kb, measures_folder = folder / "kb", folder / "reqs"
    kb.mkdir()
    measures_folder.mkdir()
    (kb / ".doorstop.yml").write_text(
        "settings:\n  digits: 5\n  itemformat: yaml\n  prefix: KB\n  sep: ''\n", encoding="utf-8"
    )
    (measures_folder / ".doorstop.yml").write_text(
        "settings:\n  digits: 5\n  itemformat: yaml\n  parent: KB\n  prefix: MEA\n  sep: ''\n", encoding="utf-8"
    )
    uids = {}
    for number, (key, name) in enumerate(records, 1):
        uids[key] = f"KB{number:05d}"
        _item(kb / f"{uids[key]}.yml", f"1.{number}", name, header=key)
    number = 0
    for chapter, (title, measures) in enumerate(sections, 1):
        number += 1  # the section: a heading item (non-normative, level N.0)
        _item(measures_folder / f"MEA{number:05d}.yml", f"{chapter}.0", title, normative=False)
        for position, (identifier, name, text, links) in enumerate(measures, 1):
            number += 1
            targets = tuple(uids[key] for key in links if key in uids)
            _item(
                measures_folder / f"MEA{number:05d}.yml", f"{chapter}.{position}", text, f"{identifier} {name}", targets
            )


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


PER_AGREEMENT = 5000


def run(size: int, with_peers: bool, scratch: Path) -> None:
    root = scratch / f"policykb-{size}"
    generate(root, size, WORDS.read_text(encoding="utf-8"), max(100, size // 20), per_agreement=PER_AGREEMENT)
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
    records, sections = items(root)
    strictdoc, doorstop = scratch / f"strictdoc-{size}", scratch / f"doorstop-{size}"
    strictdoc_project(strictdoc, records, sections)
    doorstop_project(doorstop, records, sections)
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
