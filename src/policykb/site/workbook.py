"""The measures as spreadsheets staff can open: `data/maatregelen.xlsx` of the site, and one per
lead ministry (`data/maatregelen-<ministry>.xlsx`).

Reads the site's model (`policykb.site.pages.Site`: its measures, records, sections and Dutch
names); returns the bytes of one Excel workbook (openpyxl), one row per measure. The headers are
Dutch, and names are used, not ids. It gives the lead ministry, the status and the day since when
it holds, the organisations, instruments and themes, the printed page, the condition and a link to
the page. The id is the last column, for whoever needs it. CSV (`data/measures.csv`) stays the format for
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
from policykb.progress import NOT_ASSESSED, evaluate, since

if TYPE_CHECKING:
    from policykb.site.pages import Site

WORKBOOK = "maatregelen.xlsx"
"""Its name in the site's `data/`."""
HEADERS = (
    ("Maatregel", 60),
    ("Onderdeel", 30),
    ("Eerstverantwoordelijk", 36),
    ("Zekerheid eerstverantwoordelijk", 24),
    ("Bron eerstverantwoordelijk", 36),
    ("Status", 18),
    ("Sinds", 16),
    ("Organisaties", 40),
    ("Wetten en andere instrumenten", 40),
    ("Thema's", 24),
    ("Pagina in het akkoord", 10),
    ("Voorwaarde", 22),
    ("Pagina op de site", 40),
    ("Id", 14),
)
"""The columns, in order, with their widths (characters)."""
DUTCH_DATE = "[$-413]d mmmm yyyy"
"""A date as Excel shows it in Dutch (`29 november 2026`): a real date, so it sorts and filters."""


def measures_workbook(
    site: Site, when: dt.datetime, only: set[str] | None = None, ministry: str | None = None
) -> bytes:
    """The workbook of every active measure (or those in `only`: a ministry's), in the order of
    the site's measures page."""
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
    row = 1  # counted here: openpyxl's `max_row` scans every cell, so asking it per row is quadratic
    for agreement, measure in site.measures:
        if only is not None and measure.id not in only:
            continue
        row += 1
        named: dict[str, list[str]] = {"organisation": [], "instrument": [], "document": []}
        for item in measure.links:
            record = site.kb.get(item.target)
            if item.review == "confirmed" and record is not None:
                named.setdefault(site.vocabulary.target_class(record.kind), []).append(record.name.nl)
        section = site.sections.get((agreement.id, measure.section))
        condition = (
            condition_nl(evaluate(measure.condition, site.kb, site.vocabulary), site.names) if measure.condition else ""
        )
        day = since(measure)
        page = f"maatregel/{measure.id}/"
        url = f"{site.site_url.rstrip('/')}/{page}" if site.site_url else None
        sheet.append(
            [
                measure.title,
                section.title if section else "",
                site.kb[measure.lead.organisation].name.nl
                if measure.lead and measure.lead.organisation in site.kb
                else "",
                lead_certainty(measure),
                measure.lead.source if measure.lead else "",
                site.status_nl(measure) if measure.status else NOT_ASSESSED,
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
            sheet.cell(row=row, column=_column("Sinds")).number_format = DUTCH_DATE
        for column in range(1, len(HEADERS) + 1):
            cell = sheet.cell(row=row, column=column)
            if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
                cell.data_type = "s"
        if url:  # without --site-url there is no address a downloaded file could open
            link = sheet.cell(row=row, column=_column("Pagina op de site"))
            link.hyperlink = url
            link.font = Font(color="1F4E9E", underline="single")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.creator = "policykb"
    book.properties.title = f"Maatregelen van het akkoord: {ministry}" if ministry else "Maatregelen van het akkoord"
    stamp = when.astimezone(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    book.properties.created = stamp
    output = io.BytesIO()
    book.save(output)
    return _reproducible(output.getvalue(), stamp)


def lead_certainty(measure: Measure) -> str:
    """How sure the lead ministry is, in words: what a spreadsheet shared on must keep."""
    if measure.lead is None:
        return ""
    said = ["nieuws"] if measure.lead.news else []
    said += ["niet geverifieerd"] if measure.lead.status == "unverified" else []
    return ", ".join(said) or "bevestigd"


def _column(name: str) -> int:
    """The column number of a header."""
    return next(index for index, (header, _) in enumerate(HEADERS, start=1) if header == name)


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
