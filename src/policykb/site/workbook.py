"""The measures as a spreadsheet staff can open: `data/maatregelen.xlsx` of the site.

Reads the site's model (`policykb.site.pages.Site`: its measures, records, sections and Dutch
names); returns the bytes of one Excel workbook (openpyxl), one row per measure. The headers are
Dutch, and names are used, not ids. It gives the status and the day since when it holds, the
organisations, instruments and themes, the printed page, the condition and a link to the page. The
id is the last column, for whoever needs it. CSV (`data/measures.csv`) stays the format for
machines. Text is always text: a title that starts with "=" is never written as a formula.
Writes no files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING

from policykb.changes import condition_nl
from policykb.model import Measure
from policykb.progress import evaluate

if TYPE_CHECKING:
    from policykb.site.pages import Site

WORKBOOK = "maatregelen.xlsx"
"""Its name in the site's `data/`."""
HEADERS = (
    ("Maatregel", 60),
    ("Onderdeel", 30),
    ("Status", 18),
    ("Sinds", 16),
    ("Organisaties", 40),
    ("Wetten en andere instrumenten", 40),
    ("Thema's", 24),
    ("Pagina", 8),
    ("Voorwaarde", 22),
    ("Pagina op de site", 40),
    ("Id", 14),
)
"""The columns, in order, with their widths (characters)."""
DUTCH_DATE = "[$-413]d mmmm yyyy"
"""A date as Excel shows it in Dutch (`29 november 2026`): a real date, so it sorts and filters."""


def since(measure: Measure) -> dt.date | None:
    """The day the current status began: the first of the latest assessments with that status."""
    if not measure.status:
        return None
    current, day = measure.status[-1].value, measure.status[-1].date
    for assessment in reversed(measure.status):
        if assessment.value != current:
            break
        day = assessment.date
    return day


def measures_workbook(site: Site, when: dt.datetime) -> bytes:
    """The workbook of every active measure, in the order of the site's measures page."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Maatregelen"
    sheet.append([name for name, _ in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for agreement, measure in site.measures:
        named: dict[str, list[str]] = {"organisation": [], "instrument": [], "document": []}
        for item in measure.links:
            record = site.kb.get(item.target)
            if item.review == "confirmed" and record is not None:
                named.setdefault(site.vocabulary.target_class(record.kind), []).append(record.name.nl)
        section = site.sections.get((agreement.id, measure.section))
        condition = condition_nl(evaluate(measure.condition, site.kb, site.vocabulary)) if measure.condition else ""
        day = since(measure)
        page = f"maatregel/{measure.id}/"
        url = f"{site.site_url.rstrip('/')}/{page}" if site.site_url else None
        sheet.append(
            [
                measure.title,
                section.title if section else "",
                site.status_nl(measure) if measure.status else "nog niet beoordeeld",
                day,
                "; ".join(named["organisation"]),
                "; ".join(named["instrument"] + named["document"]),
                "; ".join(site.kb[theme].name.nl for theme in measure.themes if theme in site.kb),
                measure.source.page if measure.source and measure.source.page else None,
                condition,
                url or page,
                measure.id,
            ]
        )
        if day is not None:
            sheet.cell(row=sheet.max_row, column=4).number_format = DUTCH_DATE
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
                cell.data_type = "s"
        if url:  # without --site-url there is no address a downloaded file could open
            link = sheet.cell(row=sheet.max_row, column=10)
            link.hyperlink = url
            link.font = Font(color="1F4E9E", underline="single")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.creator = "policykb"
    book.properties.title = "Maatregelen van het akkoord"
    stamp = when.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    book.properties.created = stamp
    output = io.BytesIO()
    book.save(output)
    return _reproducible(output.getvalue(), stamp)


def _reproducible(data: bytes, stamp: dt.datetime) -> bytes:
    """The same workbook for the same input: openpyxl stamps the save time into the file (its
    `modified` property and every zip entry's date); both become the build's time."""
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source, output = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + modified.encode() + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return output.getvalue()
