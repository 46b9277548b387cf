"""`data/maatregelen.xlsx`: the measures as a spreadsheet staff can open, read back with openpyxl
(the synthetic corpus; the expectations come from its model)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from conftest import copy_of
from policykb.load import load_model
from policykb.progress import since
from policykb.repo import Repo
from policykb.site.pages import Site
from policykb.site.workbook import HEADERS, measures_workbook

WHEN = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_the_workbook_has_a_row_per_measure_with_dutch_headers_and_names(base: Path, tmp_path: Path) -> None:
    model = load_model(Repo(copy_of(base, tmp_path)))
    site = Site(model, None, {}, [], [], "https://w3id.org/policykb/", "https://example.org/kb/")
    sheet = load_workbook(io.BytesIO(measures_workbook(site, WHEN))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(name for name, _ in HEADERS)
    assert rows[0][:7] == (
        "Maatregel",
        "Onderdeel",
        "Eerstverantwoordelijk",
        "Zekerheid eerstverantwoordelijk",
        "Bron eerstverantwoordelijk",
        "Status",
        "Sinds",
    )
    column = {name: index for index, name in enumerate(rows[0])}
    measures = [measure for _, measure in site.measures]
    assert len(rows) == 1 + len(measures)
    by_id = {row[-1]: row for row in rows[1:]}
    for measure in measures:
        row = by_id[measure.id]
        assert row[0] == measure.title
        organisations = [
            site.kb[item.target].name.nl
            for item in measure.links
            if item.review == "confirmed"
            and item.target in site.kb
            and model.vocabulary.target_class(site.kb[item.target].kind) == "organisation"
        ]
        assert (row[column["Organisaties"]] or "") == "; ".join(organisations)  # names, not ids
        assert row[column["Eerstverantwoordelijk"]] == site.kb[measure.lead.organisation].name.nl
        assert row[column["Bron eerstverantwoordelijk"]] == measure.lead.source
        assert row[column["Zekerheid eerstverantwoordelijk"]] == "bevestigd"  # the synthetic leads
        assert row[column["Pagina op de site"]] == f"https://example.org/kb/maatregel/{measure.id}/"
        if measure.status:
            assert row[column["Status"]] == site.status_nl(measure)
            assert row[column["Sinds"]] == dt.datetime.combine(since(measure), dt.time())  # a real date, in Dutch
    link = sheet.cell(row=2, column=column["Pagina op de site"] + 1)
    assert link.hyperlink is not None and link.hyperlink.target == link.value
    assert sheet.cell(row=2, column=column["Sinds"] + 1).number_format == "[$-413]d mmmm yyyy"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref


def test_since_is_the_start_of_the_current_status(base: Path, tmp_path: Path) -> None:
    model = load_model(Repo(copy_of(base, tmp_path)))
    measure = next(record.measure for record in model.measures() if len(record.measure.status) >= 1)
    changed = measure.model_copy(
        update={
            "status": [
                measure.status[0].model_copy(update={"value": "not-started", "date": dt.date(2026, 1, 5)}),
                measure.status[0].model_copy(update={"value": "in-progress", "date": dt.date(2026, 3, 1)}),
                measure.status[0].model_copy(update={"value": "in-progress", "date": dt.date(2026, 6, 1)}),
            ]
        }
    )
    assert since(changed) == dt.date(2026, 3, 1)


def test_a_title_that_looks_like_a_formula_stays_text(base: Path, tmp_path: Path) -> None:
    root = copy_of(base, tmp_path)
    path = sorted((root / "policy" / "synthetic" / "measures").glob("*.yaml"))[0]
    hostile = '=HYPERLINK("https://example.org/x","klik")'
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(title, "title: '" + hostile.replace("'", "''") + "'"), encoding="utf-8")
    site = Site(load_model(Repo(root)), None, {}, [], [], "https://w3id.org/policykb/", None)
    workbook = measures_workbook(site, WHEN)
    sheet = load_workbook(io.BytesIO(workbook)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == hostile]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")


def test_without_a_site_address_no_dead_links_and_the_same_bytes_twice(base: Path, tmp_path: Path) -> None:
    import time

    site = Site(load_model(Repo(copy_of(base, tmp_path))), None, {}, [], [], "https://w3id.org/policykb/", None)
    first = measures_workbook(site, WHEN)
    time.sleep(1.1)  # openpyxl stamps the save time: it must not reach the file
    assert measures_workbook(site, WHEN) == first
    sheet = load_workbook(io.BytesIO(first)).active
    cell = sheet.cell(row=2, column=[name for name, _ in HEADERS].index("Pagina op de site") + 1)
    assert cell.value.startswith("maatregel/") and cell.hyperlink is None


def test_a_ministry_gets_the_workbook_of_the_measures_it_leads(base: Path, tmp_path: Path) -> None:
    site = Site(load_model(Repo(copy_of(base, tmp_path))), None, {}, [], [], "https://w3id.org/policykb/", None)
    ministry, led = max(site.led_by.items(), key=lambda item: len(item[1]))
    name = site.kb[ministry].name.nl
    book = load_workbook(io.BytesIO(measures_workbook(site, WHEN, {m.id for m in led}, name)))
    rows = list(book.active.iter_rows(values_only=True))
    column = {header: index for index, header in enumerate(rows[0])}
    assert sorted(row[column["Id"]] for row in rows[1:]) == sorted(m.id for m in led)
    assert {row[column["Eerstverantwoordelijk"]] for row in rows[1:]} == {name}
    assert book.properties.title == f"Maatregelen van het akkoord: {name}"
