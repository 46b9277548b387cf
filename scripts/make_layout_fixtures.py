#!/usr/bin/env python3
"""Regenerate the layout fixtures in tests/fixtures/layout/ (a maintenance script; tests never run it).

Three agreements made the way real ones are, each from an outline in this file, written as a Flat
ODT and converted to PDF by LibreOffice headless, and each with the facts a correct parse must find
(`<name>.expected.yaml`: the heading tree, every measure's section, the front matter, the page
labels), written from the outline, never by running policykb:

- `word-nl`: a national agreement as Microsoft Word makes them (Carlito, metric twin of Calibri):
  a cover with a three-line title, the parties and the date; a table of contents of chapters and
  sections (dot leaders, sections indented) with one stale entry; chapters in bold 16 pt, sections
  bold italic 13 pt, subsections *italic at the body size* (11 pt) like the italic intro
  paragraphs; Symbol-font bullets, some opening with a bold phrase; page numbers from 1 after the
  cover and contents; a section heading at the foot of a page whose text starts on the next.
- `numbered-nl`: a provincial agreement in a serif face: numbered headings (`1`, `1.1`, `1.1.1`,
  the third bold italic at the body size), a foreword before the contents (front matter), the
  parties one per line, dash bullets, a running header and "Pagina N" footers after the front
  matter, a contents of two levels by numbering alone.
- `prose-de`: a German agreement in prose (`unit: paragraph`, `language: de`): cover, an "Inhalt"
  without leaders (a tab stop only), numbered chapters and sections, paragraphs that commit
  ("Wir werden …"), a few bullets, page numbers from 1 after the front matter.

Needs LibreOffice Writer (`soffice`), poppler-utils (`pdftotext`) and the Carlito, Liberation and
DejaVu fonts. On Debian:
    apt-get install --no-install-recommends libreoffice-writer-nogui poppler-utils \
        fonts-crosextra-carlito fonts-liberation2 fonts-dejavu-core
Run from the repository root:  python3 scripts/make_layout_fixtures.py
The output is deterministic apart from the PDFs' creation dates and document ids.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from make_pdf_fixtures import convert  # LibreOffice headless, one profile per run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "layout"
TEMPLATE = Path(__file__).with_name("layout-fixture-styles.fodt")
"""The styles every layout fixture shares, up to `<office:body>` (`$name` placeholders)."""


# --- outlines ----------------------------------------------------------------------------------


@dataclass
class Bullet:
    text: str
    bold_lead: str | None = None
    """A bold phrase the bullet opens with (part of its text, never a heading)."""

    @property
    def full(self) -> str:
        return f"{self.bold_lead} {self.text}" if self.bold_lead else self.text


@dataclass
class Heading:
    title: str
    level: int
    in_toc: bool = True
    intro: list[str] = field(default_factory=list)
    """Italic intro paragraphs (not measures in a bullet agreement)."""
    paragraphs: list[str] = field(default_factory=list)
    lead_in: str | None = None
    """A line before the bullets ("Dit gaan we doen:"), set in bold at the body size."""
    bullets: list[Bullet] = field(default_factory=list)
    body_on_next_page: bool = False


@dataclass
class Style:
    size: float
    bold: bool = False
    italic: bool = False


@dataclass
class Document:
    name: str
    language: str
    unit: str
    font: str
    body: Style
    headings: list[Style]
    cover_title: list[str]
    cover_parties: list[str]
    """One line ("VVD, D66 en CDA") or one per party."""
    cover_date: str
    expected_parties: list[str]
    expected_date: str | None
    contents_title: str
    toc_levels: int
    toc_leader: str
    """"." for dot leaders, "" for a bare tab stop."""
    toc_indent: bool
    outline: list[Heading]
    footer: str
    """The footer's text around the page number: "{n}", "Pagina {n}"."""
    header: str | None = None
    foreword: tuple[str, list[str]] | None = None
    stale_toc_entry: tuple[str, int, int] | None = None
    """(title, level, page): an entry the body no longer has."""
    bullet_char: str = "•"
    bullet_font: str | None = None


def _sentences(rng: random.Random, pool: list[str], count: int) -> str:
    return " ".join(rng.sample(pool, count))


NL_SUBJECTS = [
    "de opvang van asielzoekers",
    "de wijkagent",
    "het openbaar vervoer in de regio",
    "de bouw van betaalbare woningen",
    "de energierekening van huishoudens",
    "de zorg voor ouderen",
    "het lerarentekort",
    "de digitale overheid",
    "de boeren in het veenweidegebied",
    "de kwaliteit van het water",
    "de uitvoering van de toeslagen",
    "het mkb in de grensregio",
    "de bereikbaarheid van het platteland",
    "de jeugdzorg",
    "de inburgering van statushouders",
    "de aanpak van ondermijning",
]
NL_ACTIONS = [
    "We investeren structureel {n} miljoen euro in {s}, zodat gemeenten en uitvoeringsorganisaties "
    "meerjarig kunnen plannen en niet elk jaar opnieuw hoeven te onderhandelen.",
    "We maken met gemeenten en provincies bindende afspraken over {s} en leggen die vast in een "
    "bestuursakkoord dat elk jaar in de Tweede Kamer wordt besproken.",
    "We schrappen overbodige regels rond {s}, zodat professionals meer tijd krijgen voor hun eigenlijke "
    "werk en inwoners sneller worden geholpen.",
    "Uiterlijk in {y} ligt er een wetsvoorstel dat {s} regelt, met een onafhankelijke evaluatie na drie "
    "jaar en een heldere rol voor de toezichthouder.",
    "We evalueren {s} in {y}; blijkt dat het doel niet wordt gehaald, dan stellen we het beleid bij en "
    "informeren we de Kamer over de gevolgen voor de begroting.",
    "We starten een programma voor {s}, met financiële steun voor ideeën uit de regio en een loket waar "
    "inwoners en ondernemers met hun vragen terechtkunnen.",
]
NL_INTRO = [
    "Nederland staat voor grote opgaven, en die vragen om keuzes die verder reiken dan één kabinetsperiode.",
    "Inwoners moeten erop kunnen vertrouwen dat de overheid doet wat zij belooft, ook als het tegenzit.",
    "De afgelopen jaren is veel in gang gezet, maar de uitvoering blijft op te veel plekken achter.",
    "Daarom kiezen we voor een aanpak die begint bij de mensen die het werk doen en bij de regio.",
    "We trekken daarin samen op met gemeenten, provincies, waterschappen en maatschappelijke organisaties.",
    "Wat we afspreken, maken we meetbaar, zodat de Kamer en de samenleving kunnen zien wat het oplevert.",
]
NL_LEADS = ["Meer agenten.", "Snel duidelijkheid.", "Eerlijke prijzen.", "Minder regels.", "Zeker werk."]

DE_SUBJECTS = [
    "die Digitalisierung der Verwaltung",
    "den sozialen Wohnungsbau",
    "die Ganztagsbetreuung an Grundschulen",
    "den Ausbau der Schiene",
    "die Pflege in ländlichen Räumen",
    "den Klimaschutz in der Industrie",
    "die Integration in den Arbeitsmarkt",
    "die Ausstattung der Polizei",
    "die Forschung an Hochschulen",
    "die Entlastung kleiner Unternehmen",
    "den Breitbandausbau",
    "die Kommunalfinanzen",
]
DE_PARAGRAPHS = [
    "Wir werden {s} in dieser Legislaturperiode deutlich beschleunigen und dafür jährlich {n} Millionen "
    "Euro zusätzlich bereitstellen. Die Mittel fließen über ein einfaches Verfahren an die Länder und "
    "Kommunen, die über ihre Verwendung jährlich berichten.",
    "Wir wollen {s} dauerhaft stärken. Dazu legen wir bis {y} einen Gesetzentwurf vor, der klare "
    "Zuständigkeiten schafft, Doppelstrukturen abbaut und eine unabhängige Evaluierung nach drei Jahren "
    "vorsieht.",
    "Für {s} setzen wir uns gemeinsam mit den Ländern für verbindliche Standards ein. Wir prüfen bis {y}, "
    "ob die bestehenden Förderprogramme ihr Ziel erreichen, und passen sie andernfalls an.",
    "Wir werden die Verfahren rund um {s} vereinfachen und vollständig digital anbieten. Bürgerinnen und "
    "Bürger sollen ihre Anliegen künftig an einer Stelle erledigen können, ohne Unterlagen mehrfach "
    "einzureichen.",
]
DE_BULLETS = [
    "ein Sofortprogramm für {s} mit {n} Millionen Euro",
    "eine jährliche Berichtspflicht gegenüber dem Bundestag über {s}",
    "die Bündelung der Zuständigkeiten für {s} in einem Ministerium",
]


def _nl_bullets(rng: random.Random, count: int, leads: bool, seen: set[str]) -> list[Bullet]:
    bullets = []
    while len(bullets) < count:
        text = rng.choice(NL_ACTIONS).format(
            s=rng.choice(NL_SUBJECTS), n=rng.choice([25, 40, 60, 75, 150, 300]), y=rng.choice([2027, 2028, 2029])
        )
        if text in seen:
            continue
        seen.add(text)
        lead = NL_LEADS[len(bullets) % len(NL_LEADS)] if leads and len(bullets) % 2 == 0 else None
        bullets.append(Bullet(text, lead))
    return bullets


def word_nl() -> Document:
    rng = random.Random(2026)
    seen: set[str] = set()
    chapters = [
        ("Veiligheid en rechtsstaat", ["Politie in de wijk", "Georganiseerde criminaliteit"], ["Slachtofferhulp"]),
        ("Asiel en migratie", ["Grip op instroom", "Opvang en huisvesting"], ["Terugkeer"]),
        ("Wonen", ["Bouwen", "Huurders beschermen"], ["Woningcorporaties"]),
        ("Zorg", ["Zorg dichtbij", "Ouderenzorg"], ["Het zorgpersoneel"]),
        ("Bestuur en democratie", ["Een betrouwbare overheid", "Gemeenten en provincies"], ["Digitale overheid"]),
    ]
    outline: list[Heading] = []
    for number, (chapter, sections, subsections) in enumerate(chapters):
        outline.append(Heading(chapter, 1, intro=[_sentences(rng, NL_INTRO, 3), _sentences(rng, NL_INTRO, 2)]))
        for index, section in enumerate(sections):
            heading = Heading(
                section,
                2,
                in_toc=not (number == 2 and index == 1),  # one section the contents leaves out
                lead_in="Dit gaan we doen:",
                bullets=_nl_bullets(rng, 5, leads=True, seen=seen),
                body_on_next_page=(number == 1 and index == 1),
            )
            outline.append(heading)
            if index == 0:
                for sub in subsections:
                    outline.append(Heading(sub, 3, in_toc=False, bullets=_nl_bullets(rng, 3, False, seen)))
    return Document(
        name="word-nl",
        language="nl",
        unit="bullet",
        font="Carlito",
        body=Style(11),
        headings=[Style(16, bold=True), Style(13, bold=True, italic=True), Style(11, italic=True)],
        cover_title=["Coalitieakkoord", "2026–2030", "Vertrouwen in elkaar"],
        cover_parties=["VVD, D66, CDA en JA21"],
        cover_date="Den Haag, 12 november 2026",
        expected_parties=["VVD", "D66", "CDA", "JA21"],
        expected_date="2026-11-12",
        contents_title="Inhoud",
        toc_levels=2,
        toc_leader=".",
        toc_indent=True,
        outline=outline,
        footer="{n}",
        stale_toc_entry=("Bijlage: financieel kader", 1, 99),
        bullet_char="\uf0b7",
        bullet_font="Symbol",
    )


def numbered_nl() -> Document:
    rng = random.Random(2027)
    seen: set[str] = set()
    chapters = [
        ("Bereikbaarheid", ["Openbaar vervoer", "Wegen en fietspaden"]),
        ("Natuur en landbouw", ["Het veenweidegebied", "Water en bodem"]),
        ("Economie en werk", ["Het mkb", "Onderwijs en arbeidsmarkt"]),
        ("Energie", ["Zon en wind", "Het stroomnet"]),
    ]
    outline: list[Heading] = []
    for c, (chapter, sections) in enumerate(chapters, start=1):
        outline.append(Heading(f"{c} {chapter}", 1, paragraphs=[_sentences(rng, NL_INTRO, 3)]))
        for s, section in enumerate(sections, start=1):
            outline.append(Heading(f"{c}.{s} {section}", 2, bullets=_nl_bullets(rng, 4, False, seen)))
            if s == 1:
                outline.append(
                    Heading(
                        f"{c}.{s}.1 Uitwerking in de regio", 3, in_toc=False, bullets=_nl_bullets(rng, 2, False, seen)
                    )
                )
    return Document(
        name="numbered-nl",
        language="nl",
        unit="bullet",
        font="Liberation Serif",
        body=Style(11),
        headings=[Style(14, bold=True), Style(12, bold=True), Style(11, bold=True, italic=True)],
        cover_title=["Coalitieakkoord Provincie Utrecht 2027–2031"],
        cover_parties=["GroenLinks", "VVD", "D66", "CDA"],
        cover_date="Utrecht, 3 april 2027",
        expected_parties=["GroenLinks", "VVD", "D66", "CDA"],
        expected_date="2027-04-03",
        contents_title="Inhoudsopgave",
        toc_levels=2,
        toc_leader=".",
        toc_indent=False,
        outline=outline,
        footer="Pagina {n}",
        header="Coalitieakkoord Utrecht 2027–2031",
        foreword=(
            "Voorwoord",
            [_sentences(rng, NL_INTRO, 4), _sentences(rng, NL_INTRO, 3)],
        ),
        bullet_char="–",
    )


def prose_de() -> Document:
    rng = random.Random(2031)
    seen: set[str] = set()

    def paragraphs(count: int) -> list[str]:
        out = []
        while len(out) < count:
            text = rng.choice(DE_PARAGRAPHS).format(
                s=rng.choice(DE_SUBJECTS), n=rng.choice([100, 250, 500]), y=rng.choice([2027, 2028])
            )
            if text not in seen:
                seen.add(text)
                out.append(text)
        return out

    def bullets(count: int) -> list[Bullet]:
        out = []
        while len(out) < count:
            text = rng.choice(DE_BULLETS).format(s=rng.choice(DE_SUBJECTS), n=rng.choice([50, 80, 120]))
            if text not in seen:
                seen.add(text)
                out.append(Bullet(text))
        return out

    chapters = [
        ("Haushalt und Verwaltung", ["Digitale Verwaltung", "Solide Finanzen"]),
        ("Bildung und Forschung", ["Schulen", "Hochschulen"]),
        ("Klima und Energie", ["Industrie", "Verkehr"]),
    ]
    outline = [Heading("Präambel", 1, paragraphs=paragraphs(2))]
    for c, (chapter, sections) in enumerate(chapters, start=1):
        outline.append(Heading(f"{c}. {chapter}", 1, paragraphs=paragraphs(1)))
        for s, section in enumerate(sections, start=1):
            outline.append(
                Heading(
                    f"{c}.{s} {section}",
                    2,
                    paragraphs=paragraphs(3),
                    lead_in="Dazu gehören:" if s == 2 else None,
                    bullets=bullets(3) if s == 2 else [],
                )
            )
    return Document(
        name="prose-de",
        language="de",
        unit="paragraph",
        font="DejaVu Sans",
        body=Style(10),
        headings=[Style(14, bold=True), Style(12, bold=True)],
        cover_title=["Koalitionsvertrag 2026–2031", "Mehr Fortschritt wagen"],
        cover_parties=["SPD, BÜNDNIS 90/DIE GRÜNEN und FDP"],
        cover_date="Berlin, 7. Dezember 2026",
        expected_parties=["SPD", "BÜNDNIS 90/DIE GRÜNEN", "FDP"],
        expected_date="2026-12-07",
        contents_title="Inhalt",
        toc_levels=2,
        toc_leader="",
        toc_indent=True,
        outline=outline,
        footer="{n}",
        bullet_char="•",
    )


# --- the .fodt -------------------------------------------------------------------------------


def _text_properties(font: str, style: Style) -> str:
    weight = ' fo:font-weight="bold"' if style.bold else ""
    slant = ' fo:font-style="italic"' if style.italic else ""
    return f'<style:text-properties style:font-name="{font}" fo:font-size="{style.size:g}pt"{weight}{slant}/>'


def _toc_style(name: str, indent: float, leader: str) -> str:
    leader_attributes = ' style:leader-style="dotted" style:leader-text="."' if leader else ""
    return (
        f'  <style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard">\n'
        f'   <style:paragraph-properties fo:margin-left="{indent}cm" fo:margin-top="0.05cm"'
        ' fo:margin-bottom="0.05cm">\n'
        f'    <style:tab-stops><style:tab-stop style:position="{16 - indent}cm" style:type="right"{leader_attributes}/>'
        "</style:tab-stops>\n   </style:paragraph-properties>\n  </style:style>\n"
    )


def styles(doc: Document) -> str:
    fonts = sorted({doc.font, *([doc.bullet_font] if doc.bullet_font else [])})
    faces = "".join(f'  <style:font-face style:name="{f}" svg:font-family="\'{f}\'"/>\n' for f in fonts)
    heading_styles = "".join(
        f'  <style:style style:name="H{level}" style:family="paragraph" style:parent-style-name="Standard" '
        f'style:default-outline-level="{level}">\n'
        f'   <style:paragraph-properties fo:margin-top="{0.5 if level == 1 else 0.35}cm" fo:margin-bottom="0.15cm" '
        'fo:keep-with-next="always"/>\n'
        f"   {_text_properties(doc.font, style)}\n  </style:style>\n"
        for level, style in enumerate(doc.headings, start=1)
    )
    bullet_font = f' style:font-name="{doc.bullet_font}"' if doc.bullet_font else ""
    header = (
        f'<style:header><text:p text:style-name="Header">{escape(doc.header)}</text:p></style:header>'
        if doc.header
        else ""
    )
    footer_text = escape(doc.footer).replace("{n}", '<text:page-number text:select-page="current">1</text:page-number>')
    values = {
        "name": doc.name,
        "faces": faces,
        "font": doc.font,
        "body_size": f"{doc.body.size:g}",
        "language": doc.language,
        "contents_title_type": _text_properties(doc.font, doc.headings[0]),
        "toc_styles": _toc_style("Toc1", 0, doc.toc_leader)
        + _toc_style("Toc2", 0.6 if doc.toc_indent else 0, doc.toc_leader),
        "heading_styles": heading_styles,
        "bullet_font": bullet_font,
        "bullet_char": escape(doc.bullet_char),
        "header": header,
        "footer": footer_text,
    }
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(values)


def _p(style: str, text: str) -> str:
    return f'   <text:p text:style-name="{style}">{escape(text)}</text:p>\n'


def body(doc: Document, pages: dict[str, int]) -> str:
    out = ["<office:body>\n  <office:text>\n"]
    for index, line in enumerate(doc.cover_title):
        out.append(_p("CoverFirst" if index == 0 else "CoverTitle", line))
    out.extend(_p("CoverLine", line) for line in doc.cover_parties)
    out.append(_p("CoverLine", doc.cover_date))
    if doc.foreword:
        title, paragraphs = doc.foreword
        out.append(_p("ForewordBreak", title))
        out.extend(_p("Body", paragraph) for paragraph in paragraphs)
    out.append(_p("FrontBreak", doc.contents_title))
    for title, level, page in toc_entries(doc, pages):
        tab = "<text:tab/>"
        out.append(f'   <text:p text:style-name="Toc{level}">{escape(title)}{tab}{page}</text:p>\n')
    first = True
    for heading in doc.outline:
        style = f"H{heading.level}"
        if first:
            style, first = "BodyStart", False
        elif heading.level == 1:
            style = "H1Break"
        out.append(
            f'   <text:h text:style-name="{style}" text:outline-level="{heading.level}">'
            f"{escape(heading.title)}</text:h>\n"
        )
        next_page = heading.body_on_next_page
        for paragraph in heading.intro:
            out.append(_p("IntroNextPage" if next_page else "Intro", paragraph))
            next_page = False
        for paragraph in heading.paragraphs:
            out.append(_p("BodyNextPage" if next_page else "Body", paragraph))
            next_page = False
        if heading.lead_in and heading.bullets:
            out.append(_p("LeadInNextPage" if next_page else "LeadIn", heading.lead_in))
            next_page = False
        if heading.bullets:
            out.append('   <text:list text:style-name="Bullets">\n')
            for bullet in heading.bullets:
                lead = (
                    f'<text:span text:style-name="Strong">{escape(bullet.bold_lead)}</text:span> '
                    if bullet.bold_lead
                    else ""
                )
                out.append(
                    f'    <text:list-item><text:p text:style-name="ListItem">{lead}{escape(bullet.text)}'
                    "</text:p></text:list-item>\n"
                )
            out.append("   </text:list>\n")
    out.append("  </office:text>\n </office:body>\n</office:document>\n")
    return "".join(out)


def toc_entries(doc: Document, pages: dict[str, int]) -> list[tuple[str, int, int]]:
    entries = [(h.title, h.level, pages.get(h.title, 0)) for h in doc.outline if h.in_toc and h.level <= doc.toc_levels]
    if doc.stale_toc_entry:
        entries.append(doc.stale_toc_entry)
    return entries


# --- converting and reading back ---------------------------------------------------------------


def page_texts(pdf: Path) -> list[list[str]]:
    """Each physical page's lines (poppler's reading order), blank lines dropped."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [[" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in pages]


def front_pages(doc: Document, pages: list[list[str]]) -> int:
    """How many physical pages come before the body (cover, foreword, contents)."""
    contents = next(index for index, page in enumerate(pages) if doc.contents_title in page)
    first = doc.outline[0].title
    return next(index for index, page in enumerate(pages) if first in page and index > contents)


def heading_pages(doc: Document, pages: list[list[str]]) -> dict[str, int]:
    """The printed page of each heading: the first page after the front matter that has it as a line."""
    start = front_pages(doc, pages)
    found, cursor = {}, start
    for heading in doc.outline:
        for index in range(cursor, len(pages)):
            if heading.title in pages[index]:
                found[heading.title] = index - start + 1
                cursor = index
                break
        else:
            raise SystemExit(f"{doc.name}: heading not found in the PDF: {heading.title!r}")
    return found


def check_footers(doc: Document, pages: list[list[str]]) -> None:
    """Every body page prints its number (from 1), the front pages none."""
    start = front_pages(doc, pages)
    for index, page in enumerate(pages):
        expected = doc.footer.format(n=index - start + 1)
        if index >= start and expected not in page:
            raise SystemExit(f"{doc.name}: page {index + 1} does not print {expected!r}")


def check_next_page(doc: Document, pages: list[list[str]]) -> None:
    for heading in doc.outline:
        if heading.body_on_next_page:
            page = next(index for index, lines in enumerate(pages) if heading.title in lines)
            if lines_after(pages[page], heading.title, doc):
                raise SystemExit(f"{doc.name}: the body of {heading.title!r} does not start on the next page")


def lines_after(page: list[str], title: str, doc: Document) -> list[str]:
    after = page[page.index(title) + 1 :]
    footer = re.compile("^" + re.escape(doc.footer).replace(r"\{n\}", r"\d+") + "$")
    return [line for line in after if not footer.match(line) and line != doc.header]


# --- expected facts ----------------------------------------------------------------------------


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expected(doc: Document, pages: list[list[str]], printed: dict[str, int]) -> str:
    start = front_pages(doc, pages)
    out = [
        f"# Facts a correct parse of {doc.name}.pdf must find. GENERATED by scripts/make_layout_fixtures.py",
        f"# from the outline that wrote {doc.name}.fodt; only the pages were read back from the PDF (with",
        "# poppler's pdftotext, never with policykb). Do not edit by hand.",
        f"pdf: {doc.name}.pdf",
        f"language: {doc.language}",
        f"unit: {doc.unit}",
        f"physical_pages: {len(pages)}",
        "front_matter:",
        f"  title: {_q(' '.join(doc.cover_title))}",
        f"  parties: [{', '.join(_q(party) for party in doc.expected_parties)}]",
        f"  date: {doc.expected_date or 'null'}",
        f"  physical_pages: {start}  # cover{', foreword' if doc.foreword else ''} and contents",
        f"page_labels: [{{first: {start + 1}, last: {len(pages)}, printed: 1}}]",
        "contents:",
        f"  entries: {len(toc_entries(doc, printed))}",
        f"  missing: [{_q(doc.stale_toc_entry[0]) if doc.stale_toc_entry else ''}]",
        "headings:  # in order; parent = the heading it stands under; page = printed page",
    ]
    parents: list[Heading] = []
    for heading in doc.outline:
        while parents and parents[-1].level >= heading.level:
            parents.pop()
        parent = _q(parents[-1].title) if parents else "null"
        listed = heading.in_toc and heading.level <= doc.toc_levels
        out.append(
            f"  - {{title: {_q(heading.title)}, level: {heading.level}, parent: {parent}, "
            f"page: {printed[heading.title]}, in_contents: {str(listed).lower()}}}"
        )
        parents.append(heading)
    unit = "paragraph and bullet" if doc.unit == "paragraph" else "bullet"
    out.append(f"measures:  # every {unit}, in order, as one line, under its heading")
    for heading in doc.outline:
        # A lead-in ("Dazu gehören:") introduces the bullets after it: never a measure itself.
        texts = [*heading.intro, *heading.paragraphs] if doc.unit == "paragraph" else []
        texts += [bullet.full for bullet in heading.bullets]
        for text in texts:
            out.append(f"  - {{section: {_q(heading.title)}, text: {_q(text)}}}")
    return "\n".join(out) + "\n"


def make(doc: Document) -> None:
    fodt = FIXTURES / f"{doc.name}.fodt"
    printed: dict[str, int] = {}
    for _ in range(4):  # the contents' page numbers can move the layout: stop when they are stable
        fodt.write_text(styles(doc) + body(doc, printed), encoding="utf-8")
        pdf = convert(fodt, FIXTURES)
        pages = page_texts(pdf)
        found = heading_pages(doc, pages)
        if found == printed:
            break
        printed = found
    else:
        raise SystemExit(f"{doc.name}: the contents' page numbers did not settle")
    check_footers(doc, pages)
    check_next_page(doc, pages)
    (FIXTURES / f"{doc.name}.expected.yaml").write_text(expected(doc, pages, printed), encoding="utf-8")
    print(f"{pdf.relative_to(ROOT)}: {len(pages)} pages, {pdf.stat().st_size // 1024} KB")


def main() -> None:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: see the docstring of {Path(__file__).name}")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for doc in (word_nl(), numbered_nl(), prose_de()):
        make(doc)


if __name__ == "__main__":
    sys.exit(main())
