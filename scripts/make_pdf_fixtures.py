#!/usr/bin/env python3
"""Regenerate the PDF test fixtures in tests/fixtures/pdf/ (a maintenance script; tests never run it).

What it does:
1. Converts the hand-written `agreement-small.fodt` to `agreement-small.pdf` and checks that the
   page numbers in its hand-made table of contents match where the headings landed.
2. Generates `agreement-long.fodt` (a ~50-page agreement: cover, table of contents, 13 chapters of
   prose and bullets, two annex tables) from the templates below, with the styles of the small
   fixture (everything before `<office:body>`), converts it, fills the table of contents with the
   real page numbers (a second conversion), and writes `agreement-long.expected.yaml`: the
   headings, bullet counts and chosen bullets come from the generated source; only the page facts
   (which page a heading or a bullet is on) are read back from the PDF, with poppler's pdftotext,
   never with policykb.
3. Writes `encrypted.pdf`: a one-page PDF that needs the password "geheim" to open.

Needs LibreOffice Writer (`soffice`) and poppler-utils (`pdftotext`). On Debian:
    apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core poppler-utils
Run from the repository root:  python3 scripts/make_pdf_fixtures.py
The output is deterministic apart from the PDFs' creation dates and document ids.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
SMALL = FIXTURES / "agreement-small.fodt"
LONG = FIXTURES / "agreement-long.fodt"
HEADER = "Coalitieakkoord 2026 — Samen bouwen"
PAGE_OFFSET = -1
"""The long fixture's cover has no number and the page after it is printed 1: printed = physical - 1."""

# --- content of the long fixture ----------------------------------------------------------------


@dataclass
class Chapter:
    title: str
    sections: list[str]
    subsections: list[str]
    actors: list[str]
    things: list[str]
    goals: list[str]
    actions: list[str]
    why: list[str]


CHAPTERS = [
    Chapter(
        "Veiligheid en rechtsstaat",
        ["Politie in de wijk", "Georganiseerde criminaliteit", "Rechtspraak", "Gevangeniswezen en reclassering"],
        ["Wijkagenten en handhavers", "Ondermijning in het buitengebied"],
        ["gemeenten", "politiekorpsen", "burgemeesters", "rechtbanken", "veiligheidsregio’s"],
        [
            "wijkagenten",
            "de digitale opsporing",
            "de aanpak van ondermijning",
            "slachtofferhulp",
            "het toezicht op witwassen",
            "de reclassering",
        ],
        [
            "inwoners zich veiliger voelen",
            "criminelen sneller worden berecht",
            "slachtoffers eerder worden geholpen",
            "de pakkans omhoog gaat",
        ],
        [
            "drugspanden langer te sluiten",
            "cameratoezicht in te zetten waar overlast is",
            "jongeren eerder uit de criminaliteit te halen",
        ],
        [
            "Veiligheid is de kerntaak van de overheid.",
            "Georganiseerde misdaad ondermijnt de rechtsstaat en tast het vertrouwen van inwoners aan.",
            "Te veel zaken blijven te lang liggen bij politie en Openbaar Ministerie.",
        ],
    ),
    Chapter(
        "Asiel en migratie",
        ["Grip op instroom", "Opvang en huisvesting", "Inburgering en meedoen", "Arbeidsmigratie"],
        ["Terugkeer en vertrek", "Uitbuiting tegengaan"],
        ["gemeenten", "provincies", "werkgevers", "uitzendbureaus", "herkomstlanden"],
        [
            "de asielprocedure",
            "kleinschalige opvang",
            "de inburgering",
            "de terugkeer van uitgeprocedeerden",
            "de huisvesting van arbeidsmigranten",
            "het toezicht op uitzendbureaus",
        ],
        [
            "asielzoekers sneller duidelijkheid krijgen",
            "gemeenten kunnen plannen",
            "statushouders sneller aan het werk gaan",
            "uitbuiting wordt voorkomen",
        ],
        [
            "de opvang kleinschalig te organiseren",
            "statushouders vanaf dag één te begeleiden naar werk",
            "malafide uitzendbureaus te weren",
        ],
        [
            "Migratie brengt Nederland veel, maar de huidige instroom legt een te grote druk op huisvesting, "
            "zorg en onderwijs.",
            "Wie bescherming nodig heeft, krijgt die; wie geen recht heeft op verblijf, vertrekt.",
            "Arbeidsmigratie moet passen bij wat de samenleving aankan.",
        ],
    ),
    Chapter(
        "Wonen",
        ["Bouwen, bouwen, bouwen", "Huurders beschermen", "Starters en ouderen", "Ruimtelijke ordening"],
        ["Woningcorporaties", "Grond en gebiedsontwikkeling"],
        ["gemeenten", "provincies", "woningcorporaties", "ontwikkelaars", "huurdersorganisaties"],
        [
            "betaalbare nieuwbouw",
            "de middenhuur",
            "de huurtoeslag",
            "flexwoningen",
            "seniorenwoningen",
            "de ruimtelijke planning",
        ],
        [
            "starters weer een kans krijgen",
            "huurders niet meer dan een eerlijke prijs betalen",
            "ouderen kleiner kunnen gaan wonen",
            "er sneller wordt gebouwd",
        ],
        [
            "leegstaande kantoren om te bouwen tot woningen",
            "grond met voorrang in te zetten voor betaalbare woningen",
            "malafide verhuurders aan te pakken",
        ],
        [
            "Een betaalbaar huis is een basisbehoefte, geen luxe.",
            "Te veel mensen wachten jarenlang op een passende woning.",
            "Wij nemen weer de regie op de volkshuisvesting.",
        ],
    ),
    Chapter(
        "Klimaat en energie",
        ["Een eerlijke energietransitie", "Schone energie opwekken", "Verduurzaming van de industrie", "Het stroomnet"],
        ["Energiearmoede", "Waterstof en warmtenetten"],
        ["netbeheerders", "energiecoöperaties", "industriële clusters", "gemeenten", "woningeigenaren"],
        [
            "het isolatieprogramma",
            "wind op zee",
            "warmtenetten",
            "de verduurzaming van het mkb",
            "congestie op het stroomnet",
            "groene waterstof",
        ],
        [
            "de energierekening betaalbaar blijft",
            "de uitstoot snel daalt",
            "bedrijven kunnen verduurzamen",
            "niemand achterblijft",
        ],
        [
            "wijken van het gas te halen met een eigen tempo",
            "zelf opgewekte stroom lokaal te delen",
            "vergunningen voor netuitbreiding sneller te verlenen",
        ],
        [
            "Wij houden vast aan de klimaatdoelen van Parijs en de Europese afspraken.",
            "De overgang naar schone energie moet eerlijk verlopen.",
            "De sterkste schouders dragen de zwaarste lasten.",
        ],
    ),
    Chapter(
        "Landbouw, natuur en visserij",
        ["Toekomst voor boeren", "Natuurherstel", "Water en bodem", "Visserij"],
        ["Gebiedsprocessen", "Korte ketens"],
        ["provincies", "waterschappen", "boeren en tuinders", "natuurorganisaties", "vissers"],
        [
            "de stikstofaanpak",
            "extensieve landbouw",
            "het beheer van Natura 2000-gebieden",
            "de waterkwaliteit",
            "de kottervisserij",
            "korte ketens",
        ],
        [
            "boeren een eerlijke prijs krijgen",
            "de natuur herstelt",
            "de bodem gezond blijft",
            "jonge boeren een toekomst zien",
        ],
        [
            "gebiedsprocessen zelf vorm te geven",
            "grond te ruilen voor natuurinclusieve landbouw",
            "vergunningen weer te verlenen",
        ],
        [
            "Boeren en tuinders verdienen een eerlijke prijs en een duidelijk toekomstperspectief.",
            "Tegelijk moet de natuur herstellen en de uitstoot omlaag.",
            "Wij kiezen voor perspectief in plaats van onzekerheid.",
        ],
    ),
    Chapter(
        "Zorg",
        ["Zorg dichtbij", "Ouderenzorg", "Jeugdzorg", "Geestelijke gezondheidszorg"],
        ["Het zorgpersoneel", "Preventie"],
        ["zorgverzekeraars", "huisartsen", "ziekenhuizen", "gemeenten", "zorgaanbieders"],
        [
            "het eigen risico",
            "de wijkverpleging",
            "de jeugdzorg",
            "de wachtlijsten in de ggz",
            "de acute zorg",
            "preventie",
        ],
        [
            "zorg betaalbaar blijft",
            "mensen sneller worden geholpen",
            "zorgverleners meer tijd hebben voor hun cliënten",
            "ouderen langer thuis kunnen wonen",
        ],
        [
            "zorg in de wijk samen te organiseren",
            "administratieve verplichtingen te schrappen",
            "wachtlijsten regionaal aan te pakken",
        ],
        [
            "Goede zorg is een recht, geen voorrecht.",
            "Zorgverleners besteden te veel tijd aan formulieren en te weinig aan mensen.",
            "De vergrijzing vraagt om andere keuzes.",
        ],
    ),
    Chapter(
        "Onderwijs en wetenschap",
        ["Basisvaardigheden", "Het lerarentekort", "Beroepsonderwijs", "Hoger onderwijs en wetenschap"],
        ["Kansengelijkheid", "Studiefinanciering"],
        ["scholen", "schoolbesturen", "lerarenopleidingen", "hogescholen", "universiteiten"],
        [
            "lezen, schrijven en rekenen",
            "kleinere klassen",
            "het salaris van leraren",
            "de stage in het mbo",
            "de basisbeurs",
            "fundamenteel onderzoek",
        ],
        [
            "elk kind goed leert lezen en rekenen",
            "het lerarentekort afneemt",
            "studenten zonder grote schuld afstuderen",
            "Nederland een kennisland blijft",
        ],
        [
            "bewezen effectieve lesmethoden te kiezen",
            "zij-instromers sneller voor de klas te zetten",
            "praktijkonderwijs beter te waarderen",
        ],
        [
            "Goed onderwijs is de basis voor kansengelijkheid.",
            "Te veel kinderen verlaten de basisschool zonder goed te kunnen lezen.",
            "Leraren verdienen waardering en een eerlijk salaris.",
        ],
    ),
    Chapter(
        "Werk en inkomen",
        ["Werken moet lonen", "Toeslagen en uitkeringen", "Pensioen en AOW", "Schulden"],
        ["Flexwerk en zzp", "De beslagvrije voet"],
        ["werkgevers", "vakbonden", "gemeenten", "uitvoeringsorganisaties", "schuldhulpverleners"],
        [
            "het minimumloon",
            "het toeslagenstelsel",
            "de AOW-leeftijd",
            "de schuldhulpverlening",
            "de kinderopvang",
            "flexibele contracten",
        ],
        [
            "werken meer oplevert dan thuiszitten",
            "mensen kunnen rondkomen",
            "niemand onnodig in de schulden raakt",
            "het stelsel eenvoudiger wordt",
        ],
        [
            "schulden eerder te signaleren",
            "uitkeringen automatisch toe te kennen",
            "schijnzelfstandigheid aan te pakken",
        ],
        [
            "Werken moet lonen en wie niet kan werken, moet kunnen rondkomen.",
            "Het stelsel van toeslagen is te ingewikkeld geworden.",
            "Bestaanszekerheid is de basis voor een goed leven.",
        ],
    ),
    Chapter(
        "Economie en ondernemerschap",
        ["Een sterk mkb", "Innovatie", "Digitale economie", "Regionale economie"],
        ["Regeldruk", "Kennis en talent"],
        ["ondernemers", "brancheorganisaties", "regionale ontwikkelingsmaatschappijen", "kennisinstellingen", "banken"],
        [
            "de regeldruk voor ondernemers",
            "het innovatiekrediet",
            "de digitale veiligheid van bedrijven",
            "de financiering van start-ups",
            "vakmanschap",
            "de regionale investeringsfondsen",
        ],
        [
            "ondernemers kunnen groeien",
            "Nederland concurrerend blijft",
            "bedrijven minder tijd kwijt zijn aan administratie",
            "nieuwe technologie hier wordt ontwikkeld",
        ],
        [
            "sneller te investeren in nieuwe technologie",
            "vakmensen op te leiden in de eigen regio",
            "aanbestedingen toegankelijker te maken",
        ],
        [
            "Ondernemers zijn de motor van onze economie.",
            "Een sterk verdienvermogen is nodig om publieke voorzieningen te betalen.",
            "Regeldruk kost ondernemers jaarlijks miljarden.",
        ],
    ),
    Chapter(
        "Bereikbaarheid en infrastructuur",
        ["Openbaar vervoer", "Wegen en bruggen", "Fiets en lopen", "Luchtvaart en scheepvaart"],
        ["Onderhoud en vervanging", "Bereikbaarheid van de regio"],
        ["vervoerders", "provincies", "Rijkswaterstaat", "ProRail", "gemeenten"],
        [
            "het onderhoud van bruggen en sluizen",
            "het regionale openbaar vervoer",
            "snelfietsroutes",
            "de spoorverbindingen naar het buitenland",
            "het aantal vliegbewegingen",
            "de binnenvaart",
        ],
        [
            "iedereen zijn bestemming kan bereiken",
            "de regio niet achterblijft",
            "reizigers minder vertraging hebben",
            "de overlast afneemt",
        ],
        [
            "buslijnen in de regio in stand te houden",
            "nieuwe stations te openen",
            "het goederenvervoer over water te stimuleren",
        ],
        [
            "Goede bereikbaarheid verbindt stad en platteland.",
            "Veel bruggen, sluizen en tunnels zijn aan vervanging toe.",
            "Het openbaar vervoer is in de regio te vaak uitgekleed.",
        ],
    ),
    Chapter(
        "Defensie en buitenland",
        ["Een sterke krijgsmacht", "Europa en de NAVO", "Ontwikkelingssamenwerking", "Handel en diplomatie"],
        ["Personeel en materieel", "Steun aan Oekraïne"],
        ["bondgenoten", "Europese partners", "ngo’s", "ambassades", "defensie-industrie"],
        [
            "de NAVO-norm",
            "de inzetbaarheid van de krijgsmacht",
            "de steun aan Oekraïne",
            "ontwikkelingssamenwerking",
            "de exportbevordering",
            "de bescherming van vitale infrastructuur",
        ],
        [
            "Nederland een betrouwbare bondgenoot is",
            "de krijgsmacht inzetbaar is",
            "conflicten worden voorkomen",
            "Nederlandse bedrijven kansen krijgen",
        ],
        ["munitie gezamenlijk in te kopen", "reservisten vaker in te zetten", "handelsmissies te organiseren"],
        [
            "De veiligheidssituatie in Europa is ingrijpend veranderd.",
            "Nederland neemt zijn verantwoordelijkheid in het bondgenootschap.",
            "Een open economie is gebaat bij een stabiele wereld.",
        ],
    ),
    Chapter(
        "Openbaar bestuur en democratie",
        ["Een betrouwbare overheid", "Gemeenten en provincies", "Digitale overheid", "Democratie en rechtsstaat"],
        ["Uitvoeringsorganisaties", "Herstel van het vertrouwen"],
        ["gemeenten", "provincies", "uitvoeringsorganisaties", "de Tweede Kamer", "ombudsmannen"],
        [
            "de hersteloperatie toeslagen",
            "de informatievoorziening aan de Kamer",
            "de financiering van gemeenten",
            "digitale overheidsdiensten",
            "het burgerberaad",
            "de Wet open overheid",
        ],
        [
            "inwoners de overheid weer kunnen vertrouwen",
            "gemeenten hun taken kunnen uitvoeren",
            "fouten sneller worden hersteld",
            "iedereen digitaal mee kan doen",
        ],
        [
            "een menselijke maat toe te passen",
            "zelf te bepalen hoe zij hun taken uitvoeren",
            "fouten snel te herstellen",
        ],
        [
            "Het vertrouwen in de overheid is de afgelopen jaren ernstig geschaad.",
            "Een overheid die haar beloften nakomt, is de basis van een goede democratie.",
            "Gemeenten hebben meer taken gekregen dan middelen.",
        ],
    ),
    Chapter(
        "Cultuur, sport en media",
        ["Cultuur in de regio", "Sport en bewegen", "Publieke omroep en journalistiek", "Erfgoed"],
        ["Makers en kunstenaars", "Lokale journalistiek"],
        ["gemeenten", "culturele instellingen", "sportverenigingen", "omroepen", "musea"],
        [
            "het cultuuraanbod in de regio",
            "de sportaccommodaties",
            "de onafhankelijke journalistiek",
            "het onderhoud van monumenten",
            "de inkomenspositie van makers",
            "het zwemonderwijs",
        ],
        [
            "iedereen van cultuur kan genieten",
            "kinderen voldoende bewegen",
            "journalisten vrij hun werk kunnen doen",
            "ons erfgoed behouden blijft",
        ],
        [
            "cultuur dichter bij inwoners te brengen",
            "sportvelden ook voor scholen open te stellen",
            "lokale media te ondersteunen",
        ],
        [
            "Cultuur en sport verbinden mensen.",
            "Een vrije pers is onmisbaar in een democratie.",
            "Ons erfgoed vertelt wie wij zijn.",
        ],
    ),
]

SLOGANS = ["Samen sterker", "Eerlijk delen", "Dichtbij en doen", "Werk aan de winkel", "Nieuwe kansen"]
ANNEX_INTRO = "Bedragen in miljoenen euro’s, in prijzen van 2026. Een negatief bedrag is een besparing of opbrengst."
ANNEX_OUTRO = "Het Centraal Planbureau rekent dit kader door voor de officiële start van het kabinet."
INTRO = [
    (
        "Nederland staat voor grote opgaven. Te veel mensen vinden geen betaalbaar huis, de druk op de asielopvang "
        "is onhoudbaar en de energierekening blijft voor veel huishoudens een bron van zorg."
    ),
    (
        "Tegelijk is er veel om trots op te zijn: een sterke economie, goede publieke voorzieningen en een "
        "samenleving waarin mensen naar elkaar omkijken."
    ),
    (
        "Dit akkoord beschrijft hoe wij de komende vier jaar samen willen bouwen. Wij kiezen voor zekerheid: over "
        "een dak boven je hoofd, over een inkomen waarvan je kunt rondkomen en over een overheid die haar beloften "
        "nakomt."
    ),
    (
        "Per hoofdstuk staat eerst waarom wij iets willen en daarna wat wij concreet gaan doen. De financiële "
        "verantwoording staat in de bijlagen."
    ),
    (
        "De partijen die dit akkoord sluiten, verschillen op onderdelen van mening. Dat is geen zwakte maar een "
        "kracht: waar wij het oneens zijn, zoeken wij het gesprek met de Kamer en met de samenleving."
    ),
]


@dataclass
class Heading:
    level: int
    """As a correct reader ranks the styles: cover title 1, Heading 1 (and "Inhoud") 2, Heading 2 3, Heading 3 4."""
    text: str
    style: str
    bullets: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    dash: bool = False
    in_toc: bool = False


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _bullet(rng: random.Random, ch: Chapter, kind: int) -> str:
    actor, thing = rng.choice(ch.actors), rng.choice(ch.things)
    goal, action = rng.choice(ch.goals), rng.choice(ch.actions)
    amount, year = rng.choice([25, 40, 60, 75, 100, 150, 200, 250, 300, 500]), rng.choice([2027, 2028, 2029])
    templates = [
        f"We investeren structureel {amount} miljoen euro in {thing}, zodat {goal}.",
        f"{_cap(actor)} krijgen de ruimte om {action}; het Rijk ondersteunt hen daarbij met kennis en geld.",
        f"Uiterlijk in {year} ligt er een wetsvoorstel dat {thing} regelt, opgesteld na overleg met {actor}.",
        f"Samen met {actor} maken we afspraken over {thing} en leggen we die vast in een bestuursakkoord.",
        f"We evalueren {thing} in {year}; blijkt dat het doel niet wordt gehaald, dan stellen we het beleid bij.",
        f"We schrappen overbodige regels rond {thing}, zodat {goal}.",
        f"We starten het programma ‘{rng.choice(SLOGANS)}’ voor {thing}, met financiële steun voor ideeën van {actor}.",
        (
            f"We investeren vanaf {year} jaarlijks {amount} miljoen euro in {thing} en maken daarover meerjarige "
            f"afspraken met {actor}, zodat {goal}; {actor} krijgen daarnaast de ruimte om {action}, waarbij het Rijk "
            f"zorgt voor één loket, heldere regels en een onafhankelijke evaluatie na drie jaar. "
            f"Wie de afspraken niet "
            f"nakomt, kan op de beschikbare middelen niet langer rekenen, en de minister rapporteert elk jaar aan de "
            f"Kamer over de voortgang."
        ),
    ]
    return templates[kind]


def _paragraph(rng: random.Random, ch: Chapter) -> str:
    thing, goal, actor = rng.choice(ch.things), rng.choice(ch.goals), rng.choice(ch.actors)
    sentences = [
        rng.choice(ch.why),
        f"De afgelopen jaren is gebleken dat er meer aandacht nodig is voor {thing}.",
        f"Wij willen dat {goal}.",
        f"Daarvoor is nodig dat {actor} en het Rijk beter samenwerken, met duidelijke afspraken over wie wat doet.",
        "Dat vraagt om keuzes, en om geld dat langjarig beschikbaar is.",
        f"Op dit moment lopen {rng.choice(ch.actors)} te vaak vast in regels die elkaar tegenspreken.",
        f"Voor {rng.choice(ch.things)} maken wij daarom een meerjarige afspraak, "
        "die wij elk jaar met de Kamer bespreken.",
        f"Wij kiezen voor een aanpak die in de praktijk werkt en die {rng.choice(ch.actors)} echt helpt.",
        f"Zo zorgen wij ervoor dat {rng.choice(ch.goals)}.",
    ]
    return " ".join(rng.sample(sentences, k=rng.choice([3, 4, 5])))


def long_outline() -> list[Heading]:
    """The headings of the long fixture in order, with their paragraphs and bullets."""
    rng = random.Random(2026)
    outline = [Heading(1, "Coalitieakkoord 2026–2030", "PCover")]
    outline.append(Heading(2, "1. Inleiding", "PBreak", paragraphs=INTRO, in_toc=True))
    seen: set[str] = set()
    for number, ch in enumerate(CHAPTERS, start=2):
        chapter = Heading(2, f"{number}. {ch.title}", "Heading_20_1", in_toc=True)
        chapter.paragraphs = [_paragraph(rng, ch) for _ in range(3)]
        outline.append(chapter)
        for sub, section_title in enumerate(ch.sections, start=1):
            section = Heading(3, f"{number}.{sub} {section_title}", "Heading_20_2", in_toc=True)
            section.paragraphs = [_paragraph(rng, ch) for _ in range(rng.choice([2, 3]))]
            count = rng.choice([6, 7, 8])
            kinds = rng.sample(range(7), k=min(count, 7)) + [7] * (count - 7)
            if sub == 2:
                kinds[rng.randrange(len(kinds))] = 7  # one long (5-6 line) bullet per chapter
            section.bullets = _unique([_bullet(rng, ch, kind) for kind in kinds], seen, rng, ch)
            outline.append(section)
            if sub in (1, 3):
                title = ch.subsections[0 if sub == 1 else 1]
                detail = Heading(4, title, "Heading_20_3", dash=(sub == 3))
                detail.paragraphs = [_paragraph(rng, ch) for _ in range(2)]
                detail.bullets = _unique([_bullet(rng, ch, kind) for kind in rng.sample(range(7), k=4)], seen, rng, ch)
                outline.append(detail)
    outline.append(Heading(2, "Bijlage A: financieel kader", "PBreak", in_toc=True))
    outline.append(Heading(2, "Bijlage B: dekking", "PBreak", in_toc=True))
    return outline


def _unique(bullets: list[str], seen: set[str], rng: random.Random, ch: Chapter) -> list[str]:
    """Tests pick bullets by text: no two bullets of the document may be the same."""
    result = []
    for text in bullets:
        while text in seen:
            text = _bullet(rng, ch, rng.randrange(7))
        seen.add(text)
        result.append(text)
    return result


# --- the long .fodt ----------------------------------------------------------------------------


def _p(style: str, text: str) -> str:
    return f'   <text:p text:style-name="{style}">{escape(text)}</text:p>\n'


def _money(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def annex_tables() -> list[tuple[str, list[list[str]]]]:
    """Two budget tables: caption and rows (header row first, a total row last)."""
    rng = random.Random(42)
    years = ["2026", "2027", "2028", "2029"]
    spend = [[ch.title] + [rng.choice(range(50, 1500, 25)) for _ in years] for ch in CHAPTERS]
    cover_items = [
        "Afbouw fossiele subsidies",
        "Belasting op inkomen uit vermogen",
        "Herziening fiscale regelingen",
        "Taakstelling rijksoverheid",
        "Lagere rentelasten",
        "Hogere accijnzen",
        "Vliegbelasting",
        "Overig",
    ]
    cover = [[item] + [-rng.choice(range(100, 2500, 50)) for _ in years] for item in cover_items]
    tables = []
    for caption, rows in [
        ("Tabel 1. Uitgaven per hoofdstuk 2026–2029 (€ mln)", spend),
        ("Tabel 2. Dekking 2026–2029 (€ mln)", cover),
    ]:
        totals = ["Totaal"] + [sum(row[i] for row in rows) for i in range(1, len(years) + 1)]
        body = [[row[0]] + [_money(v) for v in row[1:]] for row in rows + [totals]]
        tables.append((caption, [["Post", *years]] + body))
    return tables


def _table_xml(name: str, rows: list[list[str]]) -> str:
    out = [
        f'   <table:table table:name="{name}" table:style-name="Tbl">\n',
        '    <table:table-column table:style-name="Tbl.A"/>\n',
        f'    <table:table-column table:style-name="Tbl.B" table:number-columns-repeated="{len(rows[0]) - 1}"/>\n',
    ]
    for index, row in enumerate(rows):
        head, last = index == 0, index == len(rows) - 1
        out.append("    <table:table-header-rows>\n" if head else "")
        out.append("     <table:table-row>\n")
        for column, cell in enumerate(row):
            style = (
                ("Table_20_Heading" if (head or last) else "Table_20_Contents")
                if column == 0
                else ("PNumBold" if (head or last) else "PNum")
            )
            cell_style = "Tbl.head" if head else "Tbl.cell"
            out.append(
                f'      <table:table-cell table:style-name="{cell_style}" office:value-type="string">'
                f'<text:p text:style-name="{style}">{escape(cell)}</text:p></table:table-cell>\n'
            )
        out.append("     </table:table-row>\n")
        out.append("    </table:table-header-rows>\n" if head else "")
    out.append("   </table:table>\n")
    return "".join(out)


def long_fodt(outline: list[Heading], toc_pages: dict[str, int]) -> str:
    small = SMALL.read_text(encoding="utf-8")
    prefix = small[: small.rindex("<office:body>")]  # the header comment mentions the tag too
    prefix = prefix.replace(
        "a small (6-page) coalition agreement written by hand",
        "a ~50-page agreement GENERATED by scripts/make_pdf_fixtures.py (do not edit)",
    )
    # Body text in DejaVu Serif: LibreOffice sets its fi/fl/ffi ligatures (one glyph, "fi" in the
    # PDF's Unicode map), which the small fixture's Liberation Serif never gets.
    prefix = prefix.replace(
        "<office:font-face-decls>\n",
        "<office:font-face-decls>\n"
        '  <style:font-face style:name="DejaVu Serif" svg:font-family="\'DejaVu Serif\'" '
        'style:font-family-generic="roman" style:font-pitch="variable"/>\n',
    )
    default = '<style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt"'
    assert default in prefix, "the small fixture's default paragraph style changed"
    prefix = prefix.replace(default, default.replace("Liberation Serif", "DejaVu Serif"))
    body = ["<office:body>\n  <office:text>\n"]
    tables = annex_tables()
    for heading in outline:
        if heading.style == "PCover":
            body.append(_p("PCover", heading.text))
            body.append(_p("Subtitle", "Samen bouwen aan een zeker Nederland"))
            body.append(_p("Subtitle", "Den Haag, 12 maart 2026"))
            body.append(_toc(outline, toc_pages))
            continue
        tag = "text:h" if heading.style != "PCover" else "text:p"
        level = {2: 1, 3: 2, 4: 3}[heading.level]
        body.append(
            f'   <{tag} text:style-name="{heading.style}" text:outline-level="{level}">{escape(heading.text)}</{tag}>\n'
        )
        for paragraph in heading.paragraphs:
            body.append(_p("Text_20_body", paragraph))
        if heading.text.startswith("Bijlage"):
            caption, rows = tables[0] if "A:" in heading.text else tables[1]
            body.append(_p("Text_20_body", ANNEX_INTRO))
            body.append(_p("Caption", caption))
            body.append(_table_xml("Tabel" + heading.text[8], rows))
            body.append(_p("Text_20_body", ANNEX_OUTRO))
        if heading.bullets:
            if heading.level == 3:
                body.append(_p("Text_20_body", "Dit willen we doen:"))
            style = "Lijst_20_streepje" if heading.dash else "Lijst_20_bolletje"
            body.append(f'   <text:list text:style-name="{style}">\n')
            for bullet in heading.bullets:
                body.append(
                    '    <text:list-item><text:p text:style-name="List_20_Bullet">'
                    f"{escape(bullet)}</text:p></text:list-item>\n"
                )
            body.append("   </text:list>\n")
    body.append("  </office:text>\n </office:body>\n</office:document>\n")
    return prefix + "".join(body)


def _toc(outline: list[Heading], pages: dict[str, int]) -> str:
    out = [
        '   <text:table-of-content text:name="Inhoudsopgave1" text:protected="true">\n',
        '    <text:table-of-content-source text:outline-level="2">\n',
        '     <text:index-title-template text:style-name="Contents_20_Heading">Inhoud</text:index-title-template>\n',
        "    </text:table-of-content-source>\n",
        "    <text:index-body>\n",
        '     <text:index-title text:name="Inhoudsopgave1_Head">\n',
        # PRestart: the first paragraph after the cover switches to the Standard page style
        # (header and footer) and restarts the page numbering at 1.
        '      <text:p text:style-name="PRestart">Inhoud</text:p>\n',
        "     </text:index-title>\n",
    ]
    for heading in outline:
        if heading.in_toc:
            style = "Contents_20_2" if heading.level == 3 else "Contents_20_1"
            page = pages.get(heading.text, 0)
            out.append(f'     <text:p text:style-name="{style}">{escape(heading.text)}<text:tab/>{page}</text:p>\n')
    out.append("    </text:index-body>\n   </text:table-of-content>\n")
    return "".join(out)


# --- converting and reading the layout back ---------------------------------------------------


def convert(fodt: Path, outdir: Path, export: str = "pdf") -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                export,
                "--outdir",
                str(outdir),
                str(fodt),
            ],
            check=True,
            capture_output=True,
        )
    return outdir / (fodt.stem + ".pdf")


def page_texts(pdf: Path) -> list[list[str]]:
    """Each physical page's lines (poppler's reading order), blank lines dropped."""
    command = ["pdftotext", "-enc", "UTF-8", str(pdf), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def toc_last_index(pages: list[list[str]]) -> int:
    """0-based index of the last page with table-of-contents lines (dot leaders, then a number)."""
    return max(i for i, page in enumerate(pages) if any(re.search(r"\.{5,}\s*\d+$", line) for line in page))


def heading_pages(pages: list[list[str]], texts: list[str], after: int) -> dict[str, int]:
    """Physical page (1-based) of each heading text: the first page after `after` where it is a line."""
    found: dict[str, int] = {}
    cursor = after
    for text in texts:
        for index in range(cursor, len(pages)):
            if text in pages[index]:
                found[text] = index + 1
                cursor = index
                break
        else:
            raise SystemExit(f"heading not found in the PDF: {text!r}")
    return found


def _squash(text: str) -> str:
    """Text for matching against pdftotext: no whitespace, no hyphens (pdftotext drops the hyphen
    of a compound that ends a line, "2000-" + "gebieden" becomes "2000gebieden")."""
    return re.sub(r"[\s-]+", "", text)


def bullet_spans(pages: list[list[str]], bullets: list[str]) -> list[tuple[str, int, int]]:
    """(bullet, physical page of its first words, physical page of its last words), in order."""
    joined, starts = "", []
    for page in pages:
        starts.append(len(joined))
        joined += _squash("".join(page))

    def page_of(position: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= position) + 1

    spans, cursor = [], 0
    for bullet in bullets:
        squashed = _squash(bullet)
        first = joined.find(squashed[:40], cursor)
        last = joined.find(squashed[-40:], first)
        if first < 0 or last < 0:
            raise SystemExit(f"bullet not found in the PDF: {bullet[:60]!r}")
        spans.append((bullet, page_of(first), page_of(last)))
        cursor = last
    return spans


# --- expected facts ----------------------------------------------------------------------------


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expected_long(outline: list[Heading], pages: list[list[str]], physical: dict[str, int]) -> str:
    bullets = [b for h in outline for b in h.bullets]
    spans = bullet_spans(pages, bullets)
    split = [(b, s, e) for b, s, e in spans if e == s + 1 and len(b) > 300]
    if not split:
        raise SystemExit("no long bullet is split across a page break: change the seed or the content")
    split_text, split_start, _ = split[0]
    owner = next(h for h in outline if split_text in h.bullets)
    next_page = pages[split_start]  # physical page split_start + 1, 0-based index split_start
    continuation = next_page[1] if next_page and next_page[0] == HEADER else next_page[0]
    printed = {text: page + PAGE_OFFSET for text, page in physical.items()}
    toc = [h for h in outline if h.in_toc]
    tables = annex_tables()
    n = len(pages)
    out = [
        "# Facts a correct parse of agreement-long.pdf must find. GENERATED by scripts/make_pdf_fixtures.py",
        "# from the same outline that generated agreement-long.fodt; only page numbers were read back from",
        "# the PDF (with poppler's pdftotext, not with policykb). Do not edit by hand.",
        "source: agreement-long.fodt",
        "pdf: agreement-long.pdf",
        f"physical_pages: {n}",
        "page_numbers:",
        "  # The cover (physical page 1) has no header, footer or number; numbering restarts at 1 on the",
        "  # next page, so printed = physical - 1 on pages 2..N (the cover prints no number: its lines have none).",
        f"  printed_offset: {PAGE_OFFSET}",
        "  unnumbered_physical_pages: [1]",
        "  first_printed: 1",
        f"  last_printed: {n + PAGE_OFFSET}",
        f"running_header: {_yaml_str(HEADER)}",
        f"running_header_physical_pages: [2, {n}]  # every page from 2 to {n} inclusive",
        "footer: the printed page number alone, centred (pages 2..N)",
        "body_font_size: 11",
        "heading_styles:  # level as a reader ranks the distinct (size, bold) styles of the body, largest first",
        "  - {level: 1, style: Heading 1, size: 18, bold: true}",
        "  - {level: 2, style: Heading 2, size: 14, bold: true}",
        "  - {level: 3, style: Heading 3, size: 12, bold: true}",
        "front_matter:  # the cover: title, subtitle and date, not sections",
        f"  title: {_yaml_str(outline[0].text)}",
        "  parties: []",
        "  date: 2026-03-12",
        f"page_labels: [{{first: 2, last: {n}, printed: 1}}]",
        "headings:  # in order; page = printed page; bullets = bullets directly under this heading",
    ]
    for heading in outline:
        if heading.style == "PCover":
            continue  # the cover is front matter, and the contents title ("Inhoud") is the table's
        text = heading.text
        extra = ", dash_bullets: true" if heading.dash else ""
        count = len(heading.bullets)
        out.append(
            f"  - {{level: {heading.level - 1}, text: {_yaml_str(text)}, page: {printed[text]}, "
            f"bullets: {count}{extra}}}"
        )
    out.append(f"bullets_total: {len(bullets)}")
    with_bullets = [h for h in outline if h.bullets]
    dashed = next(h for h in with_bullets if h.dash)
    quoted = next(b for h in with_bullets[1:] for b in h.bullets if "‘" in b)
    chosen = [with_bullets[0].bullets[0], dashed.bullets[-1], quoted, with_bullets[-1].bullets[-1]]
    out.append("chosen_bullets:  # text as one line (wraps joined by one space), without the bullet glyph")
    for text in chosen:
        owner_of = next(h for h in outline if text in h.bullets)
        out.append(f"  - heading: {_yaml_str(owner_of.text)}")
        out.append(f"    glyph: {_yaml_str('–' if owner_of.dash else '•')}")
        out.append(f"    text: {_yaml_str(text)}")
    out += [
        "split_bullet:  # a bullet that starts at the foot of one page and continues at the top of the next",
        f"  heading: {_yaml_str(owner.text)}",
        f"  index_under_heading: {owner.bullets.index(split_text) + 1}",
        f"  starts_on_page: {split_start + PAGE_OFFSET}",
        f"  continues_on_page: {split_start + 1 + PAGE_OFFSET}",
        f"  first_line_on_next_page: {_yaml_str(continuation)}",
        f"  text: {_yaml_str(split_text)}",
        "toc:",
        "  title: Inhoud",
        f"  page: {physical['Inhoud'] + PAGE_OFFSET}",
        f"  entries: {len(toc)}",
        '  # each entry line is: title, dot leaders, page number (e.g. "1. Inleiding.........3")',
        f"  first_line: {{title: {_yaml_str(toc[0].text)}, page: {printed[toc[0].text]}}}",
        f"  last_line: {{title: {_yaml_str(toc[-1].text)}, page: {printed[toc[-1].text]}}}",
        'tables:  # ruled Writer tables; one line per row, cells joined with " | "',
    ]
    for (caption, rows), annex in zip(tables, ["Bijlage A: financieel kader", "Bijlage B: dekking"], strict=True):
        out += [
            f"  - heading: {_yaml_str(annex)}",
            f"    caption: {_yaml_str(caption)}",
            f"    page: {printed[annex]}",
            f"    rows: {len(rows)}",
            f"    columns: {len(rows[0])}",
            f"    first_row: {_yaml_str(' | '.join(rows[0]))}",
            f"    last_row: {_yaml_str(' | '.join(rows[-1]))}",
        ]
    return "\n".join(out) + "\n"


# --- main --------------------------------------------------------------------------------------


def make_small() -> None:
    pdf = convert(SMALL, FIXTURES)
    pages = page_texts(pdf)
    entry = r'<text:p text:style-name="Contents_20_[12]">(.*?)<text:tab/>(\d+)</text:p>'
    toc = re.findall(entry, SMALL.read_text(encoding="utf-8"))
    found = heading_pages(pages, [title for title, _ in toc], after=toc_last_index(pages))
    wrong = [f"{title}: ToC says {page}, PDF has {found[title]}" for title, page in toc if int(page) != found[title]]
    if wrong:
        print("agreement-small.fodt: fix the table of contents by hand:\n  " + "\n  ".join(wrong), file=sys.stderr)
    print(f"{pdf.relative_to(ROOT)}: {len(pages)} pages, {pdf.stat().st_size // 1024} KB")


def make_long() -> None:
    outline = long_outline()
    texts = ["Inhoud"] + [h.text for h in outline if h.style != "PCover"]
    physical: dict[str, int] = {}
    for _ in range(3):  # page numbers in the ToC can move the layout; stop when it is stable
        toc_pages = {text: page + PAGE_OFFSET for text, page in physical.items()}
        LONG.write_text(long_fodt(outline, toc_pages), encoding="utf-8")
        pdf = convert(LONG, FIXTURES)
        pages = page_texts(pdf)
        found = heading_pages(pages, texts[1:], after=toc_last_index(pages))
        found["Inhoud"] = 2
        if found == physical:
            break
        physical = found
    else:
        raise SystemExit("the long fixture's page numbers did not settle")
    (FIXTURES / "agreement-long.expected.yaml").write_text(expected_long(outline, pages, physical), encoding="utf-8")
    print(f"{pdf.relative_to(ROOT)}: {len(pages)} pages, {pdf.stat().st_size // 1024} KB")


ENCRYPTED_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"
  office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text><text:p>Vertrouwelijk concept van het coalitieakkoord.</text:p></office:text></office:body>
</office:document>
"""


def make_encrypted() -> None:
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"geheim"}}'
    )
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "encrypted.fodt"
        source.write_text(ENCRYPTED_FODT, encoding="utf-8")
        pdf = convert(source, Path(work), export=options)
        shutil.copy(pdf, FIXTURES / "encrypted.pdf")
    print("tests/fixtures/pdf/encrypted.pdf: password 'geheim'")


def main() -> None:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: see the docstring of {Path(__file__).name}")
    make_small()
    make_long()
    make_encrypted()


if __name__ == "__main__":
    main()
