"""Bad input gets a clear, located message and exit code 2: never a traceback, never a
half-written folder, never a lost edit. Runs the real CLI in-process (and in subprocesses where a
second process, a kill or a kernel limit is the point). docs/bad-input.md lists every case."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import CHAPTER, TODAY, copy_of, parse_into
from policykb import yamlio
from policykb.cli import main
from policykb.parse import apply, plan
from policykb.problems import DataError
from policykb.repo import Repo
from policykb.writing import LOCK_FILE, OUTPUT_MARKER, TEMPORARY_SUFFIX


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def refused(root: Path, source: Path, *needles: str) -> Result:
    result = run("parse", str(source), "--agreement", "new", "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output
    assert not (root / "policy" / "new").exists()
    assert [path.name for path in (root / "policy").iterdir()] == []
    return result


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"   \n\n \t \n", "only whitespace"),
        (b"Kop\n\nTekst met een \x00 NUL-byte.\n", "NUL byte at offset"),
        (bytes(range(1, 9)) * 50, "control character"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "NUL byte"),
        (b"Kop\n\n\x81\x8d\x8f\x90\x9d\n", "neither UTF-8 nor cp1252"),
    ],
    ids=["empty", "whitespace-only", "nul-byte", "control-characters", "binary-png", "undecodable"],
)
def test_unreadable_text_is_refused(root: Path, tmp_path: Path, content: bytes, needle: str) -> None:
    source = tmp_path / "source.txt"
    source.write_bytes(content)
    refused(root, source, needle)


def test_not_a_pdf_and_truncated_pdf_are_refused(root: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.7\nthis is not really a pdf\n")
    refused(root, fake, "fake.pdf")
    truncated = tmp_path / "truncated.pdf"
    whole = (Path(__file__).parent / "fixtures" / "pdf" / "agreement-small.pdf").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    refused(root, truncated, "truncated.pdf: ", "truncated")
    text_named_pdf = tmp_path / "text.pdf"
    text_named_pdf.write_text("Gewoon tekst.\n", encoding="utf-8")
    refused(root, text_named_pdf, "text.pdf")


def test_a_50_mb_text_is_refused_with_the_stated_limit(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "huge.txt"
    line = "• We doen iets nuttigs voor iedereen in het hele land, elke dag opnieuw.\n"
    with source.open("w", encoding="utf-8") as stream:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            stream.write(line)
    assert source.stat().st_size >= 50 * 1024 * 1024
    refused(root, source, "over the limit of 10 MB", "--max-mb")


def test_an_id_that_escapes_its_folder_is_refused(root: Path) -> None:
    result = run("parse", str(CHAPTER), "--agreement", "../x", "--root", str(root))
    assert result.exit_code == 2 and "'../x' is not a valid id" in result.output
    assert not (root / "x").exists()


def variants() -> dict[str, bytes]:
    clean = CHAPTER.read_bytes()
    text = clean.decode("utf-8")
    return {
        "bom": codecs.BOM_UTF8 + clean,
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cp1252": text.replace("•", "\u2022").encode("cp1252"),
        "utf16-bom": text.encode("utf-16"),
    }


@pytest.mark.parametrize("variant", sorted(variants()))
def test_encodings_and_line_ends_give_the_same_measures(root: Path, tmp_path: Path, variant: str) -> None:
    source = tmp_path / "source.txt"
    source.write_bytes(variants()[variant])
    other = tmp_path / "other"
    (other / "policy").mkdir(parents=True)
    parse_into(root, CHAPTER, "chapter")
    parse_into(other, source, "chapter")

    def measures(repository: Path) -> dict[str, dict]:
        folder = repository / "policy" / "chapter" / "measures"
        return {path.name: dict(yamlio.load(path)) for path in folder.glob("*.yaml")}

    assert measures(other) == measures(root)
    assert len(measures(other)) == 38
    assert (other / "policy" / "chapter" / "text.txt").read_bytes() == (
        root / "policy" / "chapter" / "text.txt"
    ).read_bytes()


def test_a_text_without_bullets_parses_to_preambles(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("Inleiding\n\nDit akkoord heeft geen opsommingen. Het is proza.\n", encoding="utf-8")
    result = run("parse", str(source), "--agreement", "proza", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "1 headings (1 level 1), 0 measures, 1 preambles" in result.output


# --- curated YAML a person broke -------------------------------------------------------------

GOOD = (CHAPTER.parent / "measures" / "ami-nat-001.yaml").read_text(encoding="utf-8")
APPENDED = GOOD.count("\n") + 1  # the line a field appended to GOOD stands on


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (GOOD.replace("title:", "title: [unclosed\ntitle2:", 1), ".yaml:4: while parsing a flow sequence"),
        (GOOD + "id: ami-nat-002\n", f".yaml:{APPENDED}: id: duplicate key"),
        (GOOD + "colour: red\n", f".yaml:{APPENDED}: colour: unknown field"),
        (GOOD.replace("id: ami-nat-001", "id: ../x"), ".yaml:1: id: String should match pattern"),
        (
            GOOD + "notes: !!python/object/apply:os.system ['touch PWNED']\n",
            f".yaml:{APPENDED}: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (GOOD + "notes: &a [x, x]\n", f".yaml:{APPENDED}: anchor '&a' is not allowed"),
    ],
    ids=["syntax-error", "duplicate-key", "unknown-field", "escaping-id", "python-tag", "anchor"],
)
def test_broken_measure_yaml_is_refused_with_its_location(
    root: Path, tmp_path: Path, content: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    parse_into(root, CHAPTER, "chapter")
    path = root / "policy" / "chapter" / "measures" / "ami-nat-001.yaml"
    path.write_text(content, encoding="utf-8")
    for command in (["validate"], ["parse"]):
        result = run(*command, "--root", str(root))
        assert result.exit_code == 2, result.output
        assert f"ami-nat-001{expected}" in result.output, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "PWNED").exists()
    assert path.read_text(encoding="utf-8") == content  # nothing rewritten


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 9)}]\n" for level in range(8)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(DataError, match=r"bomb.yaml:1: anchor '&a' is not allowed"):
        yamlio.load(path)


def test_one_stray_cp1252_byte_in_utf8_text_is_refused_not_garbled(root: Path, tmp_path: Path) -> None:
    data = CHAPTER.read_bytes()
    at = data.index(b"Nationale maatregelen")
    source = tmp_path / "source.txt"
    source.write_bytes(data[:at] + b"\x96" + data[at:])
    refused(root, source, "byte 0x96", "mixed encodings", "source.txt:")


def test_a_toc_line_with_roman_page_numbers_does_not_hang() -> None:
    import time

    from policykb.parse.blocks import _TOC_LINE

    started = time.perf_counter()
    assert _TOC_LINE.match("Voorwoord" + " ." * 40 + " iii") is None
    assert _TOC_LINE.match("Voorwoord" + " ." * 40 + " 3") is not None
    assert time.perf_counter() - started < 1.0


def test_the_fast_reader_gives_the_same_data_as_the_round_trip_reader() -> None:
    """Every YAML file of the repository reads the same through libyaml (YAML 1.2 core schema) as
    through ruamel.yaml; a file libyaml cannot take falls back to the strict reader."""
    from conftest import REPO
    from policykb.yamlio import plain_data

    paths = [
        path
        for folder in ("policy", "kb", "src/policykb/schema", "tests/cases")
        for path in sorted((REPO / folder).rglob("*.yaml"))
    ]
    assert len(paths) > 150
    for path in paths:
        assert yamlio.read(path).data == plain_data(yamlio.load(path)), path


@pytest.mark.parametrize(
    "value", ["yes", "no", "on", "off", "10:30", "0123", "1_000", "~", "null", "true", "3.5", "1e3", ".inf"]
)
def test_scalars_read_as_yaml_1_2(value: str, tmp_path: Path) -> None:
    from policykb.yamlio import plain_data

    path = tmp_path / "x.yaml"
    path.write_text(f"value: {value}\n", encoding="utf-8")
    assert yamlio.read(path).data == plain_data(yamlio.load(path))


def test_the_fast_reader_refuses_duplicate_keys_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"x.yaml:3: a: duplicate key"):
        yamlio.read(path)


# --- the second hostile round (issue 10): one test per case, named after what it broke ----------

POLICYKB = str(Path(sys.executable).parent / "policykb")


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` with its bytes (the lock file aside: it is the lock's, not data)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != LOCK_FILE
    }


def fails(result: Result, *needles: str, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.output, result.output


@pytest.fixture
def chapter(root: Path) -> Path:
    """A root holding the chapter, parsed (no kb): returns the root."""
    parse_into(root, CHAPTER, "chapter")
    (root / "kb").mkdir()
    return root


# 1. Output folders are the build's own.


@pytest.mark.parametrize("command", ["site", "compile", "check"])
@pytest.mark.parametrize("target", [".", "policy", "kb", "policy/chapter", "..", "elsewhere", "a-file"])
def test_an_output_folder_that_is_not_the_builds_own_is_refused_and_nothing_is_deleted(
    chapter: Path, command: str, target: str
) -> None:
    (chapter / "elsewhere").mkdir()
    (chapter / "elsewhere" / "notes.txt").write_text("a curator's notes\n", encoding="utf-8")
    (chapter / "a-file").write_text("not a folder\n", encoding="utf-8")
    before = tree(chapter.parent)
    result = run(command, "--root", str(chapter), "--out", str(chapter / target))
    fails(result, "is a file" if target == "a-file" else "refusing to write output here")
    assert tree(chapter.parent) == before


def test_an_earlier_output_folder_is_used_again_and_marked(chapter: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("compile", "--root", str(chapter), "--out", str(out)).exit_code == 0
    assert (out / OUTPUT_MARKER).is_file() and (out / "kb.ttl").is_file()
    assert run("compile", "--root", str(chapter), "--out", str(out)).exit_code == 0
    assert (chapter / "build" / OUTPUT_MARKER).is_file() is False  # nothing written where it was not asked


def test_build_as_a_plain_file_is_one_clear_line(chapter: Path) -> None:
    (chapter / "build").write_text("oops\n", encoding="utf-8")
    fails(run("compile", "--root", str(chapter)), "build: refusing to write output here: it is a file, not a folder")


# 2. One writer at a time, and no lost edit.


def test_a_second_writer_is_refused_and_told_who_holds_the_repository(chapter: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom policykb.writing import repository_lock\n"
            "with repository_lock(Path(sys.argv[1]), 'link'):\n    print('held', flush=True)\n    time.sleep(60)\n",
            str(chapter),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = tree(chapter)
        result = run("parse", "--root", str(chapter))
        fails(result, "busy: `policykb link` (process", f"{holder.pid} on", "wait until it has finished")
        assert tree(chapter) == before
        assert run("validate", "--root", str(chapter)).exit_code == 0  # readers are never blocked
    finally:
        holder.kill()
        holder.wait()
    assert run("parse", "--root", str(chapter)).exit_code == 0  # the kernel released the lock


def test_a_curators_edit_saved_while_parse_ran_is_not_overwritten(chapter: Path) -> None:
    folder = chapter / "policy" / "chapter"
    source = folder / "source.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("De IND moet sneller", "De IND moet veel sneller"), encoding="utf-8"
    )
    parse_plan = plan(Repo(chapter), "chapter", on=TODAY)  # parse has read every measure ...
    edited = next(path for path in parse_plan.changes() if path.parent.name == "measures")
    curated = edited.read_text(encoding="utf-8") + "notes: saved in an editor meanwhile\n"
    edited.write_text(curated, encoding="utf-8")  # ... and a curator saves one of them now
    before = tree(chapter)
    with pytest.raises(DataError, match="changed on disk since policykb read it"):
        apply(parse_plan)
    assert tree(chapter) == before and edited.read_text(encoding="utf-8") == curated


def test_link_loses_no_write_to_a_parse_that_ran_meanwhile(base: Path, tmp_path: Path) -> None:
    from policykb import link
    from policykb.load import load_model

    root = copy_of(base, tmp_path)
    measures = root / "policy" / "synthetic" / "measures"
    for path in sorted(measures.glob("*.yaml"))[:3]:  # decisions without their stamp: link stamps them
        path.write_text(
            "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith("    reviewed: ")
            ),
            encoding="utf-8",
        )
    link_plan = link.plan(Repo(root), load_model(Repo(root)))
    assert link_plan.changes()
    target = link_plan.changes()[0]
    target.write_text(
        target.read_text(encoding="utf-8").replace("title:", "title: Door een ander proces herschreven —", 1),
        encoding="utf-8",
    )
    before = tree(root)
    with pytest.raises(DataError, match="changed on disk since policykb read it"):
        link.apply(link_plan)
    assert tree(root) == before


def test_two_new_agreements_from_different_sources_never_mix(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Wonen\n\nDit willen we doen:\n\n• We bouwen meer woningen.\n", encoding="utf-8")
    first = plan(Repo(root), "new", CHAPTER, on=TODAY)
    parse_into(root, other, "new")  # the other run finished first
    before = tree(root)
    with pytest.raises(DataError, match="changed on disk since policykb read it"):
        apply(first)
    assert tree(root) == before and "We bouwen meer woningen" in (root / "policy" / "new" / "text.txt").read_text(
        encoding="utf-8"
    )


KILL_DURING_RENAMES = """
import os, signal, sys
from pathlib import Path
from policykb.parse import apply, plan
from policykb.repo import Repo
from policykb.writing import repository_lock
renames = 0
real = os.replace
def replace(*args):
    global renames
    renames += 1
    if renames == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)
os.replace = replace
root = Path(sys.argv[1])
with repository_lock(root, "parse"):
    apply(plan(Repo(root), "chapter"))
"""


def test_temporaries_of_a_killed_parse_are_removed_by_the_next_run(chapter: Path) -> None:
    folder = chapter / "policy" / "chapter"
    source = folder / "source.txt"
    text = source.read_text(encoding="utf-8")
    for old, new in (
        ("De IND moet sneller", "De IND moet veel sneller"),
        ("Meedoenbalie", "Meedoenloket"),
        ("Taal is cruciaal", "Taal is heel cruciaal"),
    ):
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_RENAMES, str(chapter)], check=False)
    assert killed.returncode == -signal.SIGKILL
    left = sorted(chapter.rglob(f"*{TEMPORARY_SUFFIX}"))
    assert left, "the kill came after every rename"
    for path in folder.rglob("*.yaml"):
        yamlio.read(path)  # every file is whole: the old one or the new one
    result = run("parse", "--root", str(chapter))
    assert result.exit_code == 0, result.output
    assert f"removed {len(left)} temporary file(s) an interrupted run left behind" in result.output
    assert not list(chapter.rglob(f"*{TEMPORARY_SUFFIX}"))
    assert run("parse", "--check", "--root", str(chapter)).exit_code == 0


# 3. A hand-edited parse-owned field is a conflict, never retire + new.


def test_a_hand_edited_measure_text_is_a_conflict_not_retire_and_new(chapter: Path) -> None:
    path = chapter / "policy" / "chapter" / "measures" / "ami-asi-001.yaml"
    original = path.read_text(encoding="utf-8")
    text = yamlio.load(path)["text"]
    curated = original.replace(text, "Een heel andere zin, door een curator geschreven.") + "themes: [opvang]\n"
    path.write_text(curated, encoding="utf-8")
    before = tree(chapter)
    result = run("parse", "--root", str(chapter))
    fails(result, "measures/ami-asi-001.yaml:5: text: edited by hand, but the text is parse's", "--accept-source")
    assert "retired" not in result.output and tree(chapter) == before
    accepted = run("parse", "--accept-source", "--root", str(chapter))
    assert accepted.exit_code == 0, accepted.output
    assert "accepted the source for ami-asi-001: text as the source has it" in accepted.output
    assert "retired" not in accepted.output and "new " not in accepted.output
    restored = yamlio.load(path)
    assert restored["text"] == text and restored["themes"] == ["opvang"] and restored["lifecycle"] == "active"


def _shifted(text: str) -> str:
    """The measure's span moved one character on (start and end), as a slip of the hand does."""
    import re

    return re.sub(
        r"(  (?:start|end): )(\d+)", lambda match: match.group(1) + str(int(match.group(2)) + 1), text, count=2
    )


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda text: text.replace("section: ami-de-asielketen-op-orde", "section: ami-nationale-maatregelen"),
            "section",
        ),
        (
            lambda text: text.replace(
                "lifecycle: active", "lifecycle: retired\nretired: {date: 2026-11-30, reason: not a measure}"
            ),
            "lifecycle",
        ),
        (_shifted, "source"),
    ],
    ids=["section", "lifecycle", "source"],
)
def test_a_hand_edit_of_another_parse_owned_field_is_a_conflict(chapter: Path, edit: Any, field: str) -> None:
    path = chapter / "policy" / "chapter" / "measures" / "ami-asi-001.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = tree(chapter)
    fails(run("parse", "--root", str(chapter)), "ami-asi-001.yaml:", f" {field}: ", "is parse's")
    assert tree(chapter) == before
    assert run("parse", "--accept-source", "--root", str(chapter)).exit_code == 0
    assert run("parse", "--check", "--root", str(chapter)).exit_code == 0
    assert yamlio.load(path)["lifecycle"] == "active"


# 4. Page furniture found with evidence, never by pattern alone.


def bullet_pages(count: int) -> list[list]:
    """Pages opening with bullets of one shape (digits aside), as a hostile header rule sees them."""
    from pdfs import Line

    return [
        [
            Line(
                f"• Maatregel {page}.{item}: we investeren {page} miljoen in de opvang van nieuwkomers.", 72 + 16 * item
            )
            for item in range(4)
        ]
        + [Line(str(page), 800, size=9)]
        for page in range(1, count + 1)
    ]


def test_a_bullet_that_opens_every_page_is_not_a_running_header(root: Path, tmp_path: Path) -> None:
    from pdfs import write_pdf

    source = write_pdf(tmp_path / "bullets.pdf", bullet_pages(2))
    result = run("parse", str(source), "--agreement", "bullets", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "8 measures" in result.output and "2 removed" in result.output  # the two page numbers only
    texts = [yamlio.load(path)["text"] for path in sorted((root / "policy" / "bullets" / "measures").glob("*.yaml"))]
    assert all(
        text.startswith("Maatregel") and text.endswith("nieuwkomers.") for text in texts
    )  # no page number glued in


def test_many_pages_of_bullets_lose_no_bullet(root: Path, tmp_path: Path) -> None:
    from pdfs import write_pdf

    source = write_pdf(tmp_path / "long.pdf", bullet_pages(60))
    result = run("parse", str(source), "--agreement", "long", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "240 measures" in result.output and "60 removed" in result.output


def test_a_parse_that_would_remove_too_much_fails_loudly(root: Path, tmp_path: Path) -> None:
    from pdfs import Line, write_pdf

    pages = [
        [
            Line("Coalitieakkoord 2026-2030 — Samen verder bouwen aan Nederland", 30, size=9),
            Line("Hoofdstuk wonen en werken, concept ter bespreking", 42, size=9),
            Line(f"• Punt {page}.", 100),
            Line(f"Pagina {page} van 10", 800, size=9),
        ]
        for page in range(1, 11)
    ]
    source = write_pdf(tmp_path / "furniture.pdf", pages)
    refused(
        root,
        source,
        "would be removed as page numbers, headers and footers, more than the limit of 5 %",
        "--max-removed",
    )
    result = run("parse", str(source), "--agreement", "new", "--root", str(root), "--max-removed", "98")
    assert result.exit_code == 0, result.output
    assert yamlio.load(root / "policy" / "new" / "agreement.yaml")["max_removed_percent"] == 98
    assert run("parse", "--check", "--root", str(root)).exit_code == 0  # the limit is the agreement's now


def test_removed_page_furniture_is_counted_by_the_coverage_rule(chapter: Path) -> None:
    from policykb.check import run_checks

    removed = run_checks(Repo(chapter)).by_code("PK101").metrics["agreements"][0]["removed"]
    assert removed["lines"] == 1 and removed["characters"] == 2 and removed["limit"] == 5.0  # the footer "37"


def test_a_rotated_pdf_is_read_not_taken_for_a_scan(root: Path, tmp_path: Path) -> None:
    from pdfs import write_pdf

    source = write_pdf(tmp_path / "rotated.pdf", bullet_pages(2), rotate=90)
    result = run("parse", str(source), "--agreement", "rotated", "--root", str(root))
    assert result.exit_code == 0 and "8 measures" in result.output, result.output


# 6. SPARQL bounded and local.


class RecordingEndpoint:
    """An HTTP server on 127.0.0.1 that records every request: proof of what a query sent."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                requests.append(self.path)
                self.send_response(500)
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_service_is_refused_unless_allowed_and_nothing_is_sent(chapter: Path, engine: str) -> None:
    endpoint = RecordingEndpoint()
    try:
        query = f"SELECT * WHERE {{ SERVICE <{endpoint.url}sparql> {{ ?s ?p ?o }} }}"
        fails(
            run("query", "--engine", engine, "-e", query, "--root", str(chapter)),
            "query:1:18: SERVICE sends part of the query",
            "refused",
        )
        fails(
            run(
                "query",
                "--engine",
                engine,
                "-e",
                "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
                "--root",
                str(chapter),
            ),
            "FROM names a graph",
        )
        assert endpoint.requests == []
        run("query", "--engine", engine, "--allow-service", "--timeout", "20", "-e", query, "--root", str(chapter))
        assert endpoint.requests, "allowed, the query is sent"
    finally:
        endpoint.close()


def test_a_remote_jsonld_context_is_refused_not_fetched(chapter: Path, tmp_path: Path) -> None:
    endpoint = RecordingEndpoint()
    try:
        data = tmp_path / "x.jsonld"
        data.write_text(
            json.dumps({"@context": f"{endpoint.url}context.jsonld", "@id": "http://example.org/a", "name": "x"}),
            encoding="utf-8",
        )
        fails(
            run("query", "--data", str(data), "-e", "SELECT * WHERE { ?s ?p ?o }", "--root", str(chapter)),
            "its @context is fetched from",
            "refused",
        )
        assert endpoint.requests == []
    finally:
        endpoint.close()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_cartesian_product_stops_at_the_time_limit(chapter: Path, engine: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    fails(
        run("query", "--engine", engine, "--timeout", "1", "-e", query, "--root", str(chapter)),
        "stopped after 1 s, the time limit",
    )


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_more_rows_than_the_limit_is_an_error_not_a_cut_table(chapter: Path, engine: str) -> None:
    result = run(
        "query", "--engine", engine, "--max-rows", "10", "-e", "SELECT * WHERE { ?s ?p ?o }", "--root", str(chapter)
    )
    fails(result, "more than 10 rows: stopped")


def test_graph_on_the_rdflib_engine_is_a_message(chapter: Path) -> None:
    result = run(
        "query", "--engine", "rdflib", "-e", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--root", str(chapter)
    )
    fails(result, "GRAPH needs named graphs")


def test_a_malformed_data_file_is_named(chapter: Path, tmp_path: Path) -> None:
    data = tmp_path / "broken.ttl"
    data.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    fails(
        run("query", "--data", str(data), "-e", "SELECT * WHERE { ?s ?p ?o }", "--root", str(chapter)),
        "broken.ttl: cannot be read as turtle",
    )


# 7. The gate never passes on nothing.


@pytest.mark.parametrize("where", ["/does/not/exist", "/", "empty"])
def test_a_root_that_is_not_a_repository_is_refused(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "empty" if where == "empty" else Path(where)
    folder.mkdir(exist_ok=True) if where == "empty" else None
    for command in ("check", "validate", "compile", "parse"):
        fails(
            run(command, "--root", str(folder)),
            "no such folder" if where == "/does/not/exist" else "not a policykb repository",
        )


def test_a_repository_with_nothing_in_it_fails_the_check(root: Path) -> None:
    fails(run("check", "--root", str(root)), "nothing here: no agreement in policy/ and no record in kb/", code=1)


def test_a_renamed_agreement_folder_is_reported_not_skipped(chapter: Path) -> None:
    (chapter / "policy" / "chapter").rename(chapter / "policy" / "Chapter-2026")
    fails(
        run("validate", "--root", str(chapter)),
        "policy/Chapter-2026: not read: 'Chapter-2026' is not a valid agreement id",
    )
    fails(run("check", "--root", str(chapter)), "not read", code=1)


def test_a_measure_saved_as_yml_is_reported_and_parse_makes_no_new_id(chapter: Path) -> None:
    measures = chapter / "policy" / "chapter" / "measures"
    (measures / "ami-asi-001.yaml").rename(measures / "ami-asi-001.yml")
    fails(
        run("validate", "--root", str(chapter)),
        "ami-asi-001.yml: not read: a measure file must end in '.yaml' (rename it to ami-asi-001.yaml)",
    )
    before = tree(chapter)
    fails(run("parse", "--root", str(chapter)), "ami-asi-001.yml: not read")
    assert tree(chapter) == before


# 8. Every bad curated value is a located problem.


def test_an_impossible_date_is_a_located_problem(chapter: Path) -> None:
    path = chapter / "policy" / "chapter" / "measures" / "ami-nat-001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "status:\n  - {date: 2026-13-45, value: not-started, assessor: test, evidence: [agreement]}\n",
        encoding="utf-8",
    )
    for command in ("validate", "link", "parse"):
        fails(run(command, "--root", str(chapter)), "ami-nat-001.yaml:12: '2026-13-45' is not a date that exists")
    fails(run("check", "--root", str(chapter)), "ami-nat-001.yaml:12: PK100 '2026-13-45' is not a date", code=1)


@pytest.mark.parametrize(
    ("alias", "message"), [("''", "'' is too short"), ("X", "'X' is too short"), ("de", "'de' is a common Dutch word")]
)
def test_an_empty_one_letter_or_stop_word_alias_is_refused(chapter: Path, alias: str, message: str) -> None:
    record = chapter / "kb" / "organisations" / "coa.yaml"
    record.parent.mkdir(parents=True)
    record.write_text(
        f"id: coa\nkind: organisation\nname: {{nl: COA, en: COA}}\naliases: [COA, {alias}]\n", encoding="utf-8"
    )
    for command in ("validate", "link"):
        fails(run(command, "--root", str(chapter)), f"coa.yaml:4: aliases.1: {message}")


def test_a_source_url_that_is_not_an_iri_is_refused_before_compile(chapter: Path) -> None:
    record = chapter / "kb" / "organisations" / "coa.yaml"
    record.parent.mkdir(parents=True)
    record.write_text(
        "id: coa\nkind: organisation\nname: {nl: COA, en: COA}\nsources: ['https://www.coa.nl/a|b']\n", encoding="utf-8"
    )
    fails(run("validate", "--root", str(chapter)), "coa.yaml:4: sources.0: String should match pattern")
    fails(run("compile", "--root", str(chapter)), "coa.yaml:4: sources.0")
    result = run("check", "--root", str(chapter))
    fails(result, "kb/organisations/coa.yaml:4: PK100 sources.0", code=1)
    assert "could not run" not in result.output


def test_yaml_nested_20000_deep_is_refused_at_once(chapter: Path) -> None:
    path = chapter / "policy" / "chapter" / "measures" / "ami-nat-001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    fails(run("validate", "--root", str(chapter)), "ami-nat-001.yaml:11: nested deeper than 32 levels")


def test_a_write_over_the_file_size_limit_is_one_line(chapter: Path) -> None:
    """`ulimit -f` makes the kernel refuse a write past 8 KB (EFBIG), as a full disk refuses one."""
    result = subprocess.run(
        ["bash", "-c", f"ulimit -f 8; exec {POLICYKB} compile --root {chapter}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "File too large" in lines[0] and lines[0].startswith("build/"), result.stderr
    assert "Traceback" not in result.stderr


def read_only(folder: Path) -> Any:
    """Make `folder` refuse new files, also to root (who ignores modes: `chattr +i` then); returns
    the undo."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
        pytest.skip("running as root on a file system without `chattr +i`: no folder can be made read-only")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_measures_folder_is_one_line_and_changes_nothing(chapter: Path) -> None:
    folder = chapter / "policy" / "chapter"
    source = folder / "source.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("De IND moet sneller", "De IND moet veel sneller"), encoding="utf-8"
    )
    before = tree(chapter)
    undo = read_only(folder / "measures")
    try:
        result = run("parse", "--root", str(chapter))
    finally:
        undo()
    fails(result, "policy/chapter/measures/ami-")
    assert result.stderr.count("\n") == 2 and (
        "Operation not permitted" in result.stderr or "Permission denied" in result.stderr
    )
    assert tree(chapter) == before


# 9. Sources read with limits.


def test_a_fifo_or_a_device_as_source_is_refused_at_once(root: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "source.txt"
    os.mkfifo(fifo)
    refused(root, fifo, "a FIFO, not a regular file")
    refused(root, Path("/dev/zero"), "a device, not a regular file")


def test_a_source_in_nfd_gives_the_same_measures_as_in_nfc(root: Path, tmp_path: Path) -> None:
    import unicodedata

    nfd = tmp_path / "nfd.txt"
    nfd.write_text(unicodedata.normalize("NFD", CHAPTER.read_text(encoding="utf-8")), encoding="utf-8")
    assert nfd.read_bytes() != CHAPTER.read_bytes()
    parse_into(root, CHAPTER, "chapter")
    other = tmp_path / "other"
    (other / "policy").mkdir(parents=True)
    parse_into(other, nfd, "chapter")
    for name in ("text.txt", "structure.yaml"):
        assert (other / "policy" / "chapter" / name).read_bytes() == (root / "policy" / "chapter" / name).read_bytes()


def test_c1_control_characters_in_a_source_are_refused(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("Kop\n\n• Een maatregel met \x85 erin.\n", encoding="utf-8")
    refused(root, source, "control character U+0085")


# 10. Smaller cases.


def test_a_second_agreement_with_the_same_headings_gets_ids_of_its_own(chapter: Path, tmp_path: Path) -> None:
    result = run("parse", str(CHAPTER), "--agreement", "provincie-utrecht-2027", "--root", str(chapter))
    assert result.exit_code == 0, result.output
    folder = chapter / "policy" / "provincie-utrecht-2027"
    assert yamlio.load(folder / "agreement.yaml")["id_prefix"] == "pu2027"
    assert sorted(path.stem for path in (folder / "measures").glob("*.yaml"))[0] == "pu2027-ami-asi-001"
    assert run("validate", "--root", str(chapter)).exit_code == 0
    path = folder / "measures" / "pu2027-ami-asi-001.yaml"
    path.rename(path.with_name("ami-asi-009.yaml"))
    path = path.with_name("ami-asi-009.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: pu2027-ami-asi-001", "id: ami-asi-009"), encoding="utf-8"
    )
    fails(
        run("validate", "--root", str(chapter)),
        "ami-asi-009.yaml:1: id: 'ami-asi-009' does not start with its agreement's id prefix 'pu2027-'",
    )


def test_a_new_agreement_folder_gets_the_usual_mode(root: Path) -> None:
    mask = os.umask(0o022)
    try:
        parse_into(root, CHAPTER, "chapter")
    finally:
        os.umask(mask)
    assert (root / "policy" / "chapter").stat().st_mode & 0o777 == 0o755


def test_the_check_report_publishes_no_absolute_path(chapter: Path) -> None:
    (chapter / "policy" / "chapter" / "source.txt").write_text("", encoding="utf-8")  # PK103 then quotes the path
    run("check", "--report", "--root", str(chapter))
    reports = chapter / "build" / "reports"
    assert "cannot re-parse" in (reports / "check.md").read_text(encoding="utf-8")
    for name in ("check.md", "check.json", "junit.xml"):
        assert str(chapter) not in (reports / name).read_text(encoding="utf-8"), name


def test_a_pdf_without_pages_is_refused(root: Path, tmp_path: Path) -> None:
    from pdfs import write_pdf

    refused(root, write_pdf(tmp_path / "empty.pdf", []), "no pages")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_an_update_is_refused_by_both_engines(chapter: Path, engine: str) -> None:
    for update in (
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "LOAD <http://example.org/x>",
    ):
        fails(run("query", "--engine", engine, "-e", update, "--root", str(chapter)), "query:1:1: ")


def test_an_external_xml_entity_is_not_read(chapter: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim-1234\n", encoding="utf-8")
    data = tmp_path / "entity.rdf"
    data.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&x;</ex:p></rdf:Description>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    result = run("query", "--data", str(data), "-e", "SELECT ?o WHERE { ?s ?p ?o }", "--root", str(chapter))
    assert "geheim" not in result.output and "Traceback" not in result.output


def test_a_hand_moved_span_of_a_promoted_measure_is_a_conflict(chapter: Path) -> None:
    measures = chapter / "policy" / "chapter" / "measures"
    promoted = measures / "ami-asi-101.yaml"
    promoted.write_text(
        "id: ami-asi-101\ntitle: Meerjarige financiering\nsection: ami-de-asielketen-op-orde\norigin: prose\n"
        "text: We gaan voor de hele vreemdelingenketen (IND, COA, Nidos en DT&V) "
        "de aanpak dan ook baseren op meerjarige "
        "financiering op basis van realistische prognoses.\n",
        encoding="utf-8",
    )
    assert run("parse", "--root", str(chapter)).exit_code == 0  # parse places it: `source` filled
    promoted.write_text(_shifted(promoted.read_text(encoding="utf-8")), encoding="utf-8")
    fails(run("parse", "--root", str(chapter)), "ami-asi-101.yaml:", " source: edited by hand, but the span is parse's")
    assert run("parse", "--accept-source", "--root", str(chapter)).exit_code == 0
    assert run("parse", "--check", "--root", str(chapter)).exit_code == 0


def test_a_query_outside_any_repository_names_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a folder without policy/ and kb/ a query used to answer from an empty knowledge base."""
    monkeypatch.chdir(tmp_path)
    fails(run("query", "-e", "SELECT * { ?s ?p ?o }"), "not a policykb repository", "--root")


# 7. What a review of the hostile round found.


@pytest.mark.parametrize(
    ("query", "refused_word"),
    [
        ("PREFIX SERVICE: <http://example.org/> SELECT * WHERE { SERVICE:g { ?s ?p ?o } }", "SERVICE"),
        ("PREFIX from: <http://example.org/> SELECT * FROM:g WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_a_prefix_spelled_like_service_or_from_is_read_as_the_keyword(query: str, refused_word: str) -> None:
    from policykb.query import QueryError, refuse_remote

    with pytest.raises(QueryError, match=refused_word):
        refuse_remote(query)
    refuse_remote("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o . ?o ex:from ?x }")


def test_a_repositorys_own_check_query_is_bounded_too(chapter: Path) -> None:
    checks = chapter / "queries" / "checks"
    checks.mkdir(parents=True)
    (checks / "remote-violation.rq").write_text(
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n", encoding="utf-8"
    )
    result = run("check", "--root", str(chapter))
    fails(result, "remote-violation.rq:1", "cannot run: SERVICE sends part of the query", code=1)


def test_a_cookbook_example_is_bounded_too(base: Path) -> None:
    from policykb.compile.rdf import Builder
    from policykb.load import load_model
    from policykb.query import QueryError, open_store
    from policykb.site.hooks import _cookbook

    builder = Builder(load_model(Repo(base)))
    examples = base.parent / "hostile-cookbook" / "examples"
    examples.mkdir(parents=True)
    (examples / "remote.rq").write_text(
        "# title: Niet federatief gemerkt\nSELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(QueryError, match="FROM names a graph"):
        _cookbook(open_store("oxigraph", builder.build()), examples.parent)


def _source_without(root: Path, measure_id: str, tmp_path: Path) -> Path:
    """The agreement's source with the bullet of one measure taken out: a source that dropped it."""
    source = (root / "policy" / "chapter" / "source.txt").read_text(encoding="utf-8")
    text = yamlio.load(root / "policy" / "chapter" / "measures" / f"{measure_id}.yaml")["text"]
    at = source.index(text[:60])
    start, end = source.rindex("\n", 0, at), source.index("\n", at + len(text) - 60)
    dropped = tmp_path / "dropped.txt"
    dropped.write_text(source[:start] + source[end:], encoding="utf-8")
    return dropped


def test_accept_source_puts_the_text_back_in_a_measure_that_is_retired(chapter: Path, tmp_path: Path) -> None:
    path = chapter / "policy" / "chapter" / "measures" / "ami-asi-001.yaml"
    original = yamlio.load(path)["text"]
    dropped = _source_without(chapter, "ami-asi-001", tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(original, "Door een curator herschreven."), "utf-8")
    fails(run("parse", str(dropped), "--agreement", "chapter", "--root", str(chapter)), "text: edited by hand")
    accepted = run("parse", str(dropped), "--agreement", "chapter", "--accept-source", "--root", str(chapter))
    assert accepted.exit_code == 0, accepted.output
    assert "retired ami-asi-001" in accepted.output and accepted.output.count("retired ") == 1
    retired = yamlio.load(path)
    assert retired["lifecycle"] == "retired" and retired["text"] == original
    # Retired already, and then edited by hand: no source holds the text to put back, and it is said.
    path.write_text(path.read_text(encoding="utf-8").replace(original, "Nog eens herschreven."), "utf-8")
    fails(run("parse", "--root", str(chapter)), "text: edited by hand")
    before = tree(chapter)
    fails(run("parse", "--accept-source", "--root", str(chapter)), "no source holds its text", "version control")
    assert tree(chapter) == before
    path.write_text(path.read_text(encoding="utf-8").replace("Nog eens herschreven.", original), "utf-8")
    assert run("parse", "--check", "--root", str(chapter)).exit_code == 0


def test_a_bullet_that_became_prose_is_retired_once_and_then_left_alone(chapter: Path, tmp_path: Path) -> None:
    """Parse retires the measure; its words still stand in the text, and that is not a hand edit."""
    source = (chapter / "policy" / "chapter" / "source.txt").read_text(encoding="utf-8")
    prose = tmp_path / "prose.txt"
    prose.write_text(
        source.replace(
            "• Volgens de afspraken met het kabinet uit 2023", "Volgens de afspraken met het kabinet uit 2023"
        ),
        "utf-8",
    )
    result = run("parse", str(prose), "--agreement", "chapter", "--root", str(chapter))
    assert result.exit_code == 0 and "retired ami-asi-001" in result.output, result.output
    assert run("parse", "--check", "--root", str(chapter)).exit_code == 0
    again = run("parse", "--root", str(chapter))
    assert again.exit_code == 0 and "retired" not in again.output, again.output


def test_a_problem_in_one_agreement_writes_none(chapter: Path) -> None:
    """Every agreement is planned before any is written."""
    parse_into(chapter, CHAPTER, "other")
    edited = chapter / "policy" / "chapter" / "measures" / "ami-asi-001.yaml"
    text = yamlio.load(edited)["text"]
    edited.write_text(edited.read_text(encoding="utf-8").replace(text, "Door een curator herschreven."), "utf-8")
    broken = next((chapter / "policy" / "other" / "measures").glob("*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "text: twice\n", encoding="utf-8")
    before = tree(chapter)
    result = run("parse", "--accept-source", "--root", str(chapter))
    fails(result, f"{broken.name}:", "duplicate", "1 problem(s); stopped.")
    assert tree(chapter) == before  # the chapter's edit was not put back either


def test_schema_refuses_to_write_policykbs_own_vocabulary(base: Path, tmp_path: Path) -> None:
    from policykb.resources import VOCABULARY

    root = copy_of(base, tmp_path)
    shutil.rmtree(root / "schema", ignore_errors=True)
    before = {path.name: path.read_bytes() for path in Path(str(VOCABULARY)).iterdir() if path.is_file()}
    fails(run("schema", "--root", str(root)), "policykb's own vocabulary", "copy it to schema/")
    assert {path.name: path.read_bytes() for path in Path(str(VOCABULARY)).iterdir() if path.is_file()} == before
    assert run("schema", "--check", "--root", str(root)).exit_code == 0


def test_utf16_with_broken_bytes_is_located(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "broken-utf16.txt"
    source.write_bytes(codecs.BOM_UTF16_LE + "Kop\n\n• Een maatregel.\n".encode("utf-16-le") + b"\x00\xd8")
    refused(root, source, "broken-utf16.txt", "not valid UTF-16 at byte", "save the text as UTF-8")


def test_a_query_file_that_is_not_utf8_is_named(chapter: Path, tmp_path: Path) -> None:
    query = tmp_path / "latin1.rq"
    query.write_bytes('SELECT * WHERE { ?s ?p "café" }\n'.encode("latin-1"))
    fails(run("query", str(query), "--root", str(chapter)), "latin1.rq", "UTF-8")


def test_a_bad_base_in_the_environment_is_named(chapter: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_BASE", "not an iri")
    fails(run("query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--root", str(chapter)), "POLICYKB_BASE")
    fails(run("compile", "--root", str(chapter)), "POLICYKB_BASE")


def test_one_output_folder_never_holds_two_kinds_of_output(chapter: Path, tmp_path: Path) -> None:
    """MkDocs empties the site's folder: a site written into build/ would delete the compiled graph."""
    assert run("compile", "--root", str(chapter)).exit_code == 0
    before = tree(chapter / "build")
    fails(run("site", "--root", str(chapter), "--out", str(chapter / "build")), "holds policykb's compile output")
    fails(run("check", "--root", str(chapter), "--out", str(chapter / "build")), "holds policykb's compile output")
    assert tree(chapter / "build") == before
    out = tmp_path / "elsewhere"
    assert run("check", "--root", str(chapter), "--out", str(out)).exit_code in (0, 1)
    fails(run("compile", "--root", str(chapter), "--out", str(out)), "holds policykb's reports output")


def test_an_output_folder_marked_by_an_older_policykb_is_used_again(chapter: Path) -> None:
    build = chapter / "build"
    build.mkdir()
    (build / OUTPUT_MARKER).write_text("This folder is build output of policykb.\n", encoding="utf-8")
    (build / "kb.ttl").write_text("# an older graph\n", encoding="utf-8")
    assert run("compile", "--root", str(chapter)).exit_code == 0
    assert (build / OUTPUT_MARKER).read_text(encoding="utf-8").startswith("policykb output: compile\n")
    fails(run("site", "--root", str(chapter), "--out", str(build)), "holds policykb's compile output")


def test_a_source_replaced_while_parse_ran_is_a_conflict(chapter: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The source is read once; the file parse writes as `source.txt` is checked against what it read."""
    source = chapter / "policy" / "chapter" / "source.txt"
    parse_plan = plan(Repo(chapter), "chapter", source, on=TODAY)
    source.write_text(source.read_text(encoding="utf-8") + "\n• Een regel die iemand toevoegde.\n", "utf-8")
    with pytest.raises(DataError, match="source.txt"):
        apply(parse_plan)
