"""`policykb.parse.pdf.read_pdf` against real LibreOffice PDFs (tests/fixtures/pdf/).

Each fixture PDF has an `.expected.yaml` with the facts a correct parse must find, worked out from
the fixture's source (see scripts/make_pdf_fixtures.py). These tests use the reader alone: the
bullets and headings are reassembled here from the layout fields, not by the block builder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from policykb.parse.lines import SourceLine
from policykb.parse.pdf import read_pdf
from policykb.problems import DataError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
NAMES = ["agreement-small", "agreement-long"]
GLYPHS = "•–"
TOC_LINE = re.compile(r"^(?P<title>.*?\S)\.{3,}(?P<page>\d+)$")


@dataclass
class Parsed:
    lines: list[SourceLine]
    expected: dict[str, Any]


_CACHE: dict[str, Parsed] = {}


@pytest.fixture(params=NAMES)
def doc(request: pytest.FixtureRequest) -> Parsed:
    """Each fixture read once per session (the long one takes a few seconds)."""
    name = request.param
    if name not in _CACHE:
        expected = YAML(typ="safe").load((FIXTURES / f"{name}.expected.yaml").read_text(encoding="utf-8"))
        _CACHE[name] = Parsed(read_pdf(FIXTURES / f"{name}.pdf"), expected)
    return _CACHE[name]


# --- reassembling what the layout fields say --------------------------------------------------


def content(lines: list[SourceLine]) -> list[SourceLine]:
    return [line for line in lines if line.residue is None]


def headings(lines: list[SourceLine]) -> list[tuple[int, str, int]]:
    """(level, text, page) per heading; a wrapped heading's lines joined (no block start between)."""
    result: list[tuple[int, str, int]] = []
    previous: SourceLine | None = None
    for line in content(lines):
        if line.heading_level is not None:
            if previous is not None and previous.heading_level == line.heading_level and not line.block_start:
                level, text, page = result[-1]
                result[-1] = (level, f"{text} {line.text}", page)
            else:
                result.append((line.heading_level, line.text, line.page))
        previous = line
    return result


@dataclass
class Bullet:
    heading: str
    glyph: str
    lines: list[SourceLine]

    @property
    def text(self) -> str:
        joined = self.lines[0].text[2:]
        for line in self.lines[1:]:
            # A hard hyphen ending a line belongs to a compound ("mkb-" + "ondernemers").
            joined += line.text if joined.endswith("-") else " " + line.text
        return joined


def bullets(lines: list[SourceLine]) -> list[Bullet]:
    """Bullets with their continuation lines: content lines up to the next block start."""
    result: list[Bullet] = []
    heading = ""
    current: Bullet | None = None
    for line in content(lines):
        if line.heading_level is not None:
            heading = line.text
        if line.text[:1] in GLYPHS and line.text[1:2] == " " and not line.table:
            current = Bullet(heading, line.text[0], [line])
            result.append(current)
        elif current is not None and not line.block_start and line.heading_level is None and not line.table:
            current.lines.append(line)
        else:
            current = None
    return result


# --- structure ---------------------------------------------------------------------------------


def test_headings_in_order_with_levels_and_pages(doc: Parsed) -> None:
    expected = [(h["level"], h["text"], h["page"]) for h in doc.expected["headings"]]
    assert headings(doc.lines) == expected


def test_bullet_counts_per_heading(doc: Parsed) -> None:
    found = bullets(doc.lines)
    assert len(found) == doc.expected["bullets_total"]
    for heading in doc.expected["headings"]:
        under = [bullet for bullet in found if bullet.heading == heading["text"]]
        assert len(under) == heading["bullets"], heading["text"]
        glyphs = {bullet.glyph for bullet in under}
        if under:
            assert glyphs == ({"–"} if heading.get("dash_bullets") else {"•"}), heading["text"]


def test_chosen_bullets_read_verbatim(doc: Parsed) -> None:
    found = {(bullet.heading, bullet.glyph, bullet.text) for bullet in bullets(doc.lines)}
    for chosen in doc.expected["chosen_bullets"]:
        assert (chosen["heading"], chosen["glyph"], chosen["text"]) in found


def test_bullet_line_is_glyph_space_text(doc: Parsed) -> None:
    for bullet in bullets(doc.lines):
        first = bullet.lines[0]
        assert first.block_start
        assert re.match(r"^[•–] \S", first.text), first.text
        assert all(not line.block_start for line in bullet.lines[1:])


def test_split_bullet_continues_on_next_page_without_block_start(doc: Parsed) -> None:
    split = doc.expected["split_bullet"]
    lines = content(doc.lines)
    position = next(i for i, line in enumerate(lines) if line.text == split["first_line_on_next_page"])
    continuation, before = lines[position], lines[position - 1]
    assert continuation.page == split["continues_on_page"]
    assert before.page == split["starts_on_page"]
    assert not continuation.block_start
    assert continuation.text[:1] not in GLYPHS
    (bullet,) = [b for b in bullets(doc.lines) if continuation in b.lines]
    assert bullet.heading == split["heading"]
    assert bullet.lines[0].page == split["starts_on_page"]
    assert bullet.text == split["text"]


def test_paragraph_lines_and_block_starts(doc: Parsed) -> None:
    lines = content(doc.lines)
    intro = [line for line in lines if line.text.startswith("Nederland staat voor grote opgaven.")]
    assert len(intro) == 1 and intro[0].block_start
    wrapped = lines[lines.index(intro[0]) + 1]
    assert wrapped.heading_level is None and not wrapped.block_start
    assert all(line.block_start for line in lines if line.text == "Dit willen we doen:")


# --- page residue and page numbers ------------------------------------------------------------


def test_running_header_and_page_numbers_are_residue_on_every_page(doc: Parsed) -> None:
    first, last = doc.expected["running_header_physical_pages"]
    offset = doc.expected["page_numbers"]["printed_offset"]
    printed = list(range(first + offset, last + offset + 1))
    headers = [line for line in doc.lines if line.residue == "page-header"]
    numbers = [line for line in doc.lines if line.residue == "page-number"]
    assert [line.text for line in headers] == [doc.expected["running_header"]] * len(printed)
    assert [line.page for line in headers] == printed
    assert [line.text for line in numbers] == [str(page) for page in printed]
    assert [line.page for line in numbers] == printed
    assert not any(line.residue == "page-footer" for line in doc.lines)
    assert all(not line.block_start and line.heading_level is None for line in headers + numbers)
    assert doc.expected["running_header"] not in {line.text for line in content(doc.lines)}


def test_printed_page_numbers(doc: Parsed) -> None:
    numbers = doc.expected["page_numbers"]
    assert doc.lines[-1].page == numbers["last_printed"]
    pages = [line.page for line in doc.lines if line.page is not None]
    assert pages == sorted(pages), "pages never go back"
    # Physical page 1 of the long fixture is an unnumbered cover: its lines have no printed page.
    for line in doc.lines:
        unnumbered = line.physical_page in numbers["unnumbered_physical_pages"]
        assert (line.page is None) == unnumbered and line.page_printed == (not unnumbered)
        assert unnumbered or line.page == line.physical_page + numbers["printed_offset"]
    if numbers["unnumbered_physical_pages"]:
        assert doc.lines[0].text == doc.expected["front_matter"]["title"] and doc.lines[0].front


# --- table of contents and tables -------------------------------------------------------------


def test_toc_lines_present_and_not_headings(doc: Parsed) -> None:
    toc = doc.expected["toc"]
    lines = content(doc.lines)
    title = next(i for i, line in enumerate(lines) if line.text == toc["title"])
    assert lines[title].heading_level is None and lines[title].page == toc["page"]  # the table's title, no section
    entries = []
    for line in lines[title + 1 :]:
        match = TOC_LINE.match(line.text)
        if not match:
            break
        assert line.heading_level is None and not line.table, line.text
        entries.append((match["title"], int(match["page"])))
    assert len(entries) == toc["entries"]
    assert entries[0] == (toc["first_line"]["title"], toc["first_line"]["page"])
    assert entries[-1] == (toc["last_line"]["title"], toc["last_line"]["page"])


def test_table_rows_marked_table(doc: Parsed) -> None:
    rows = [line for line in doc.lines if line.table]
    assert len(rows) == sum(table["rows"] for table in doc.expected["tables"])
    start = 0
    for table in doc.expected["tables"]:
        found = rows[start : start + table["rows"]]
        start += table["rows"]
        assert found[0].text == table["first_row"]
        assert found[-1].text == table["last_row"]
        assert all(line.page == table["page"] for line in found)
        assert all(line.text.count(" | ") == table["columns"] - 1 for line in found)
        assert all(line.heading_level is None and line.residue is None for line in found)
        assert found[0].block_start and not any(line.block_start for line in found[1:])
        lines = content(doc.lines)
        caption = lines[lines.index(found[0]) - 1]
        assert caption.text == table["caption"] and not caption.table


# --- text --------------------------------------------------------------------------------------


def test_text_is_verbatim(doc: Parsed) -> None:
    text = "\n".join(line.text for line in doc.lines)
    for word in ("financiële", "officiële", "één", "Coalitieakkoord 2026–2030", "€ mln"):
        assert word in text
    assert not re.search("[\ufb00-\ufb06]", text), "ligature glyphs come out as letters"
    assert "fi nanc" not in text and "of fi" not in text
    for line in doc.lines:
        assert line.text == line.text.strip() and "  " not in line.text.replace(" |  | ", ""), repr(line.text)


def test_line_numbers_run_from_one() -> None:
    lines = read_pdf(FIXTURES / "agreement-small.pdf")
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))


def test_curly_quotes_and_hyphen_at_line_end() -> None:
    lines = read_pdf(FIXTURES / "agreement-small.pdf")
    texts = [line.text for line in lines]
    assert any("‘Deltaplan Landbouw’" in text for text in texts)
    index = next(i for i, text in enumerate(texts) if text.endswith("banken en mkb-"))
    assert texts[index + 1] == "ondernemers in de regio."
    assert not lines[index + 1].block_start


# --- errors ------------------------------------------------------------------------------------


def _error(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        read_pdf(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_truncated_pdf(tmp_path: Path) -> None:
    data = (FIXTURES / "agreement-small.pdf").read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in _error(path)


def test_text_file_renamed_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("Coalitieakkoord 2026\n\nDit is platte tekst.\n", encoding="utf-8")
    assert "not a PDF" in _error(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "empty" in _error(empty)
    assert "cannot read" in _error(tmp_path / "missing.pdf")


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage " * 200 + b"\n%%EOF\n")
    assert "damaged" in _error(path)


def test_encrypted_pdf() -> None:
    assert "encrypted" in _error(FIXTURES / "encrypted.pdf")


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    from PIL import Image  # Pillow comes with pdfplumber

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (595, 842), "white").save(path)
    assert "OCR is not supported" in _error(path)


# --- residue and page numbers on synthetic pages (other layouts than the fixtures') -------------


def _synthetic(pages: list[list[tuple[float, str]]]) -> list[Any]:
    """Pages of 11 pt lines (top, text); "Tekst" becomes a body line of its own on each page."""
    from policykb.parse.pdf import _Line, _Page

    def line(index: int, top: float, text: str) -> Any:
        text = text.replace("Tekst", f"Tekst van pagina {'ABCDEFGHIJ'[index]}, die per pagina anders is")
        return _Line(index, text, 57.0, top, top + 11.0, 11.0, False, False)

    return [_Page(index, 842.0, [line(index, top, text) for top, text in lines]) for index, lines in enumerate(pages)]


def test_page_x_of_n_footer_with_offset_and_a_lone_year() -> None:
    from policykb.parse.pdf import _mark_residue, _printed_pages

    pages = _synthetic(
        [
            [(30, "Hoofdlijnenakkoord 2024"), (100, "Tekst."), (760, "2028"), (805, f"Pagina {index + 3} van 12")]
            if index == 1
            else [(30, "Hoofdlijnenakkoord 2024"), (100, "Tekst."), (805, f"Pagina {index + 3} van 12")]
            for index in range(4)
        ]
    )
    _mark_residue(pages)
    printed = _printed_pages(pages)
    assert printed == {0: (3, True), 1: (4, True), 2: (5, True), 3: (6, True)}
    residues = [[line.residue for line in page.lines] for page in pages]
    assert residues[0] == ["page-header", None, "page-number"]
    assert residues[1] == ["page-header", None, None, "page-number"]  # "2028" is text, not a page number


def test_number_inside_the_running_header() -> None:
    from policykb.parse.pdf import _mark_residue, _printed_pages

    pages = _synthetic([[(30, f"Coalitieakkoord 2026 | {index + 1}"), (100, "Tekst.")] for index in range(3)])
    _mark_residue(pages)
    assert _printed_pages(pages) == {0: (1, True), 1: (2, True), 2: (3, True)}
    assert all(page.lines[0].residue == "page-header" and page.lines[1].residue is None for page in pages)


def test_no_page_numbers_means_physical_index() -> None:
    from policykb.parse.pdf import _mark_residue, _printed_pages

    # No header or footer; three of eight pages happen to open with the same body line.
    opening = ["Dit willen we doen:" if index in (1, 4, 6) else "Tekst" for index in range(8)]
    pages = _synthetic([[(70, opening[index]), (85, "Tekst")] for index in range(8)])
    _mark_residue(pages)
    assert _printed_pages(pages) == {index: (index + 1, False) for index in range(8)}  # PDF pages, not printed
    assert all(line.residue is None for page in pages for line in page.lines)


@pytest.mark.parametrize(
    "text", ["3", "- 3 -", "– 3 –", "Pagina 3 van 50", "pagina 3", "3 / 50", "blz. 3", "Page 3 of 50"]
)
def test_page_number_shapes(text: str) -> None:
    from policykb.parse.pdf import _page_value

    assert _page_value(text) == 3
