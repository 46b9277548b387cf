"""Bad input gets a clear, located message and exit code 2: never a traceback, never a
half-written folder. Runs the real CLI in-process."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import CHAPTER, parse_into
from policykb import yamlio
from policykb.cli import main
from policykb.problems import DataError


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
    assert (other / "policy" / "chapter" / "text.txt").read_bytes() == (root / "policy" / "chapter" / "text.txt").read_bytes()


def test_a_text_without_bullets_parses_to_preambles(root: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("Inleiding\n\nDit akkoord heeft geen opsommingen. Het is proza.\n", encoding="utf-8")
    result = run("parse", str(source), "--agreement", "proza", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "1 headings, 0 measures, 1 preambles" in result.output


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
        (GOOD + "notes: !!python/object/apply:os.system ['touch PWNED']\n", f".yaml:{APPENDED}: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
        (GOOD + "notes: &a [x, x]\n", f".yaml:{APPENDED}: anchor '&a' is not allowed"),
    ],
    ids=["syntax-error", "duplicate-key", "unknown-field", "escaping-id", "python-tag", "anchor"],
)
def test_broken_measure_yaml_is_refused_with_its_location(root: Path, tmp_path: Path, content: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
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
    from policykb.problems import DataError

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

    paths = [path for folder in ("policy", "kb", "schema", "tests/cases") for path in sorted((REPO / folder).rglob("*.yaml"))]
    assert len(paths) > 150
    for path in paths:
        assert yamlio.read(path).data == plain_data(yamlio.load(path)), path


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "10:30", "0123", "1_000", "~", "null", "true", "3.5", "1e3", ".inf"])
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
