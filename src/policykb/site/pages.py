"""The generated pages of the site, as `{path: markdown}`, from the model, the compiled graph, the
check report and the build provenance.

Reads the loaded `Model`, the check report (`build/reports/check.json`), the provenance of the
build and the cookbook results; writes nothing (the mkdocs hook adds the pages to the build).
This module gathers what each page shows; the HTML comes from the templates in `site/templates/`
(one per page type, `site/render.py`). URLs are derived from ids: `maatregel/<id>/`,
`organisatie/<id>/`, `instrument/<id>/`, `thema/<id>/`, `onderdeel/<agreement>/<section>/`,
`tekst/<agreement>/`; a measure is always shown by its short title, its id only in the
"Verantwoording" section.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from policykb.changes import Entry, Source, condition_nl, dutch_date, host, log
from policykb.compile.terms import DEFAULT_BASE
from policykb.load import AgreementData, Model
from policykb.model import Evidence, EvidenceItem, KbRecord, Link, Measure
from policykb.progress import NOT_ASSESSED, STATE_NL, evaluate, since
from policykb.site.feeds import feed_path
from policykb.site.html import mermaid_label, mermaid_text, page
from policykb.site.redirects import PAGE_FOLDER
from policykb.site.render import render

MATRIX_FAMILIES: dict[str | None, str] = {
    "nl": "Nederlandse wetten en wetsvoorstellen",
    "eu": "EU-wetgeving",
    "int": "verdragen",
    None: "documenten",
}
"""The instruments matrix's pages: by jurisdiction (`kinds.yaml`), documents apart."""
LIST_BOOST = 0.5
"""Search ranks the lists (indexes, matrices, changes, queries), which name everything, below the
pages about one thing; a section page, which holds the agreement's own words, above them."""
SECTION_BOOST = 1.5
IDENTIFIER_STATE = {"verified": "geverifieerd", "derived": "afgeleid", "unverified": "niet geverifieerd"}
CONFIDENCE = {"high": "hoog", "medium": "gemiddeld", "low": "laag"}
"""How an identifier was read, and the register's confidence in one only secondary sources give."""
STATUS_ORDER = ("done", "partially-done", "in-progress", "not-started", "stalled", "broken", "condition-not-met")
"""The order of the statuses in a progress bar: what is done first."""


@dataclass(frozen=True)
class Ref:
    """A thing a page links to, as the templates show it: a name, a URL, and what the reader must
    know about it (a kind of evidence, a date, news, unverified)."""

    name: str
    url: str | None = None
    kind: str | None = None
    date: dt.date | None = None
    news: bool = False
    unverified: bool = False


@dataclass(frozen=True)
class StatusView:
    """A measure's current status: its code (for the colour), its Dutch label, since when, and the
    condition's state when it decides the measure's fate."""

    value: str
    label: str
    since: dt.date | None = None
    condition: str | None = None


@dataclass(frozen=True)
class SearchEntry:
    """One entry of the site's search, written from the data rather than read back from a page's
    HTML (decision 0023): the section's anchor on the page (`""` for the page itself), its title,
    and its text as paragraphs of plain text (`site/search.py` escapes them)."""

    anchor: str
    title: str
    paragraphs: tuple[str, ...]


MATRIX_INTRO = (
    "Per onderdeel van het akkoord de maatregelen met een relatie met een van de kolommen; in elke cel die relatie."
)
"""What a matrix shows, on the page and in its search entry."""
ORGANISATION_MATRIX = "Matrix: maatregelen × organisaties"
MATRIX_ROWS = 50
"""The rows a matrix page holds: a larger matrix is in parts of whole sections up to this many
rows (a section with more is a part of its own), each with only its own rows' columns, so that a
page fits a screen and the matrices grow with the measures, not with measures × columns (issue 16)."""


def measures_nl(count: int) -> str:
    """A number of measures in Dutch: `1 maatregel`, `5 maatregelen`."""
    return f"{count} {'maatregel' if count == 1 else 'maatregelen'}"


def instrument_matrix(family: str) -> str:
    """The title of the instruments matrix of one family (`EU-wetgeving`)."""
    return f"Matrix: maatregelen × {family}"


@dataclass(frozen=True)
class Bar:
    """Counts per status as the bar of a progress cell and the sentence that says the same."""

    parts: list[dict[str, Any]]
    summary: str
    total: int


@dataclass(frozen=True)
class MatrixGroup:
    """One section's rows in a matrix: the section's id and title, and each of its measures with
    its relations to the matrix's columns (by record id)."""

    section: str
    title: str
    rows: list[tuple[Measure, dict[str, str]]]

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class MatrixPage:
    """A page of a matrix (`Site.matrix_pages`): its path without `.md`, its title, and either its
    rows (by section) or the parts it lists; a part names its agreement, the page that lists it
    and the parts before and after it."""

    path: str
    title: str
    groups: list[MatrixGroup]
    agreement: str | None = None
    parts: list[MatrixPage] = field(default_factory=list)
    index: str | None = None
    previous: str | None = None
    next: str | None = None

    @property
    def size(self) -> int:
        """The number of rows."""
        return sum(group.size for group in self.groups)

    @property
    def size_nl(self) -> str:
        """The number of rows, in words (`1 maatregel`)."""
        return measures_nl(self.size)

    @property
    def span(self) -> str:
        """The sections it shows: the first and the last (`A t/m B`)."""
        first, last = self.groups[0].title, self.groups[-1].title
        return first if len(self.groups) == 1 else f"{first} t/m {last}"


@dataclass
class Site:
    """Everything the pages are made from, with the lookups they share."""

    model: Model
    check: dict[str, Any] | None
    provenance: dict[str, Any]
    cookbook: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[tuple[str, int]] = field(default_factory=list)
    base: str = DEFAULT_BASE
    site_url: str | None = None
    """Where the site is published (mkdocs.yml `site_url`), for absolute page URLs in citations."""

    def __post_init__(self) -> None:
        self.vocabulary = self.model.vocabulary
        self.kb = {key: entry.record for key, entry in self.model.kb.items() if entry.record.lifecycle == "active"}
        self.measures = [
            (agreement, record.measure)
            for agreement in self.model.agreements
            for record in agreement.measures
            if record.measure.lifecycle == "active"
        ]
        self.by_target: dict[str, list[tuple[Measure, str]]] = defaultdict(list)
        for _, measure in self.measures:
            for item in self.confirmed(measure):
                self.by_target[item.target].append((measure, item.relation))
            for theme in measure.themes:
                self.by_target[theme].append((measure, "subject"))
        self.names = {key: record.name.nl for key, record in self.kb.items()}
        """Every active record's Dutch name, by id."""
        self.led_by: dict[str, list[Measure]] = defaultdict(list)
        """The measures each ministry is first responsible for (`lead`)."""
        for _, measure in self.measures:
            if measure.lead is not None and measure.lead.organisation in self.kb:
                self.led_by[measure.lead.organisation].append(measure)
        self.sections = {
            (agreement.id, section.id): section
            for agreement in self.model.agreements
            for section in agreement.structure.sections
        }
        self.agreement_of = {measure.id: agreement for agreement, measure in self.measures}
        self.in_section: dict[tuple[str, str], list[Measure]] = defaultdict(list)
        for agreement, measure in self.measures:
            self.in_section[(agreement.id, measure.section)].append(measure)
        self.log = log(self.model, {key: self.record_path(record) for key, record in self.kb.items()}, self.base)
        """Every dated change, newest first (`policykb.changes`): the changes page, the timelines, the feeds."""
        self.log_of: dict[str, list[Entry]] = defaultdict(list)
        """Each measure's and record's changes, newest first (its timeline), read from the log once."""
        for entry in self.log:
            for key in entry.measures | entry.concerns:
                self.log_of[key].append(entry)
        self._conditions: dict[str, str | None] = {}
        self.preambles_of: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for agreement in self.model.agreements:
            for preamble in agreement.structure.preambles:
                self.preambles_of[(agreement.id, preamble.section)].append(preamble)

    # --- what the templates show ---------------------------------------------------------------------

    def record_path(self, record: KbRecord) -> str:
        cls = self.vocabulary.target_class(record.kind)
        folder = PAGE_FOLDER.get(cls, "instrument")
        return f"{folder}/{record.id}/"

    def relation_nl(self, relation: str) -> str:
        """A link relation as the site names it (`hangt af van`)."""
        return self.vocabulary.relations[relation].nl if relation in self.vocabulary.relations else "thema"

    def kind_nl(self, record: KbRecord) -> str:
        return self.vocabulary.kinds[record.kind].nl

    def ref(self, key: str, up: str) -> Ref:
        """A record by its Dutch name, linked to its page (an unknown one by its key, unlinked)."""
        record = self.kb.get(key)
        return Ref(record.name.nl, up + self.record_path(record)) if record else Ref(key)

    @staticmethod
    def measure_ref(measure: Measure, up: str) -> Ref:
        return Ref(measure.title, f"{up}maatregel/{measure.id}/")

    def section_ref(self, agreement: str, section: str, up: str) -> Ref:
        found = self.sections.get((agreement, section))
        return Ref(found.title if found else section, f"{up}onderdeel/{agreement}/{section}/")

    def confirmed(self, measure: Measure) -> list[Link]:
        """A measure's confirmed links to active records."""
        return [item for item in measure.links if item.review == "confirmed" and item.target in self.kb]

    def involved(self, measure: Measure) -> list[str]:
        """The organisations a measure involves (confirmed), the lead ministry not repeated."""
        lead = measure.lead.organisation if measure.lead else None
        return [
            item.target
            for item in measure.links
            if item.review == "confirmed"
            and item.relation == "involves"
            and item.target in self.kb
            and item.target != lead
        ]

    def instruments(self, measure: Measure) -> list[str]:
        return [
            item.target
            for item in measure.links
            if item.review == "confirmed"
            and item.target in self.kb
            and self.vocabulary.target_class(self.kb[item.target].kind) in ("instrument", "document")
        ]

    def condition_state(self, measure: Measure) -> str | None:
        """The state of the measure's condition (evaluated once per measure: every list shows it)."""
        if measure.condition is None:
            return None
        if measure.id not in self._conditions:
            self._conditions[measure.id] = evaluate(measure.condition, self.kb, self.vocabulary).state
        return self._conditions[measure.id]

    def status(self, measure: Measure) -> StatusView:
        if not measure.status:
            return StatusView("none", NOT_ASSESSED)
        value = measure.status[-1].value
        state = self.condition_state(measure)
        return StatusView(
            value,
            self.vocabulary.statuses[value].nl,
            since(measure),
            STATE_NL[state] if state and state != "pending" else None,  # type: ignore[index]
        )

    def status_nl(self, measure: Measure) -> str:
        """The current status in Dutch, with the condition when it decides the measure's fate
        (`niet begonnen; voorwaarde niet meer te vervullen`): the same words wherever it is shown."""
        view = self.status(measure)
        return view.label + (f"; voorwaarde {view.condition}" if view.condition else "")

    def progress(self, measures: Iterable[Measure]) -> Bar:
        """How far a group of measures is: counts per status, as a bar and in words."""
        counts = Counter(measure.status[-1].value if measure.status else "none" for measure in measures)
        total = sum(counts.values())
        order = [key for key in STATUS_ORDER if counts[key]] + [key for key in counts if key not in STATUS_ORDER]
        labels = {key: status.nl for key, status in self.vocabulary.statuses.items()} | {"none": NOT_ASSESSED}
        parts = [{"value": key, "percent": round(100 * counts[key] / total, 1)} for key in order] if total else []
        words = ", ".join(f"{counts[key]} {labels[key]}" for key in order)
        return Bar(parts, f"{measures_nl(total)}: {words}" if total else "geen", total)

    def lead(self, measure: Measure, up: str) -> dict[str, Any] | None:
        if measure.lead is None:
            return None
        lead = measure.lead
        return {
            "ministry": self.ref(lead.organisation, up),
            "minister": lead.minister,
            "source": Ref(host(lead.source), lead.source, news=lead.news, unverified=lead.status == "unverified"),
            "toelichting": lead.toelichting,
        }

    def measure_row(self, agreement: AgreementData, measure: Measure, up: str) -> dict[str, Any]:
        """One measure as a row of a list: title, section, lead, organisations, status, and the
        ids the filters select on."""
        lead = measure.lead.organisation if measure.lead and measure.lead.organisation in self.kb else None
        involved = self.involved(measure)
        instruments = self.instruments(measure)
        return {
            "measure": self.measure_ref(measure, up),
            "section": self.section_ref(agreement.id, measure.section, up),
            "lead": self.ref(lead, up) if lead else None,
            "organisations": [self.ref(key, up) for key in involved],
            "status": self.status(measure),
            "filters": {
                "ministerie": [lead] if lead else [],
                "organisatie": ([lead] if lead else []) + involved,
                "instrument": instruments,
                "thema": [theme for theme in measure.themes if theme in self.kb],
                "status": [measure.status[-1].value] if measure.status else [],
                "voorwaarde": [self.condition_state(measure) or "geen"],
            },
        }

    def _render(self, template: str, **context: Any) -> str:
        return render(template, site=self, **context)

    # --- all pages -------------------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        matrices = {
            matrix.path + ".md": self._matrix_page(matrix, order, family) for matrix, order, family in self._matrices
        }
        pages = {
            "index.md": self.home(),
            "maatregelen.md": self.measure_index(),
            "ministeries.md": self.ministry_index(),
            "organisaties.md": self.organisation_index(),
            "instrumenten.md": self.instrument_index(),
            "themas.md": self.theme_index(),
            "onderdelen.md": self.section_index(),
            **{path: text for path, text in matrices.items() if path.startswith("matrix-organisaties")},
            "veranderingen.md": self.changes_page(),
            "controle.md": self.check_page(),
            "queries.md": self.query_page(),
            "data.md": self.data_page(),
            "matrix-instrumenten.md": self.matrix_choice(),
        }
        pages.update(matrices)
        for agreement, measure in self.measures:
            pages[f"maatregel/{measure.id}.md"] = self.measure_page(agreement, measure)
        for record in self.kb.values():
            pages[self.record_path(record).rstrip("/") + ".md"] = self.record_page(record)
        for agreement in self.model.agreements:
            pages[f"tekst/{agreement.id}.md"] = self.text_page(agreement)
            for section in agreement.structure.sections:
                pages[f"onderdeel/{agreement.id}/{section.id}.md"] = self.section_page(agreement, section)
        return pages

    # --- home ----------------------------------------------------------------------------------------

    def home(self) -> str:
        counts = Counter(self.vocabulary.target_class(record.kind) for record in self.kb.values())
        confirmed = sum(1 for _, m in self.measures for item in m.links if item.review == "confirmed")
        titles = {agreement.id: agreement.agreement.title for agreement in self.model.agreements}
        coverage = [
            {"title": titles.get(item["agreement"], item["agreement"]), "percent": item["percent"]}
            for item in (self.check or {}).get("coverage", [])
        ]
        everything = [measure for _, measure in self.measures]
        sections = [
            (self.section_ref(agreement.id, section.id, ""), self.progress(self.in_section[(agreement.id, section.id)]))
            for agreement in self.model.agreements
            for section in agreement.structure.sections
            if self.in_section[(agreement.id, section.id)]
        ]
        ministries = [(self.ref(key, ""), self.progress(self.led_by[key])) for key in self._ministries()]
        organisations = self._grouped("organisation", "")
        themes = self._grouped("theme", "")
        return page(
            "Regeerakkoord herleidbaar",
            self._render(
                "home.html",
                counts=counts,
                confirmed=confirmed,
                measures=len(self.measures),
                coverage=coverage,
                check_ok=bool(self.check and self.check.get("ok")),
                has_check=self.check is not None,
                overall=self.progress(everything),
                sections=sections,
                ministries=ministries,
                organisations=organisations,
                themes=themes,
                legend=self.legend(),
                built=self._built(),
                provenance=self.provenance,
            ),
        )

    def _ministries(self) -> list[str]:
        return sorted(self.led_by, key=lambda key: self.kb[key].name.nl.casefold())

    def _grouped(self, cls: str, up: str) -> list[tuple[Ref, Bar]]:
        """Progress per organisation (the measures it carries out or is involved in; a ministry's
        lead is its own table) or theme, most measures first."""
        keys = [key for key, record in self.kb.items() if self.vocabulary.target_class(record.kind) == cls]
        groups = []
        for key in keys:
            measures = list({m.id: m for m, _ in self.by_target.get(key, [])}.values())
            if measures:
                groups.append((self.ref(key, up), self.progress(measures)))
        return sorted(groups, key=lambda group: (-group[1].total, group[0].name.casefold()))

    def legend(self) -> list[dict[str, Any]]:
        """What each status means, in Dutch (statuses.yaml)."""
        return [
            {"status": StatusView(key, status.nl), "definitie": status.definitie}
            for key, status in self.vocabulary.statuses.items()
        ]

    def legend_html(self) -> str:
        """The statuses and what they mean, as a table (the About page shows it)."""
        return self._render("legend.html", legend=self.legend())

    def built_at(self) -> dt.datetime | None:
        """When the build was made (provenance.ttl's end time), or None when unknown."""
        try:
            return dt.datetime.fromisoformat(str(self.provenance.get("time") or "").replace("Z", "+00:00"))
        except ValueError:
            return None

    def _built(self) -> str:
        """The build's day in Dutch (`1 december 2026`), or nothing when unknown."""
        built = self.built_at()
        return dutch_date(built.date()) if built else ""

    # --- measures ------------------------------------------------------------------------------------

    def measure_index(self) -> str:
        rows = [self.measure_row(agreement, measure, "../") for agreement, measure in self.measures]
        return page(
            "Maatregelen", self._render("measures.html", rows=rows, filters=self.filters(rows)), boost=LIST_BOOST
        )

    def filters(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The choices of each filter of the measures list: only values some measure has."""
        used: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            for name, values in row["filters"].items():
                used[name].update(values)
        statuses = {key: status.nl for key, status in self.vocabulary.statuses.items()}
        conditions: dict[str, str] = {"geen": "zonder voorwaarde"} | {
            str(key): value for key, value in STATE_NL.items()
        }

        def named(name: str, key: str) -> str:
            if name == "status":
                return statuses.get(key, key)
            if name == "voorwaarde":
                return conditions.get(key, key)
            return self.kb[key].name.nl

        labels = {
            "ministerie": "Eerstverantwoordelijk ministerie",
            "organisatie": "Organisatie",
            "instrument": "Wet of instrument",
            "thema": "Thema",
            "status": "Status",
            "voorwaarde": "Voorwaarde",
        }
        return [
            {
                "name": name,
                "label": label,
                "options": sorted(
                    ({"value": key, "label": f"{named(name, key)} ({count})"} for key, count in used[name].items()),
                    key=lambda option: option["label"].casefold(),
                ),
            }
            for name, label in labels.items()
            if used[name]
        ]

    def crumbs(self, agreement: AgreementData, measure: Measure, up: str) -> list[Ref]:
        """The sections a measure stands in, outermost first."""
        crumbs: list[Ref] = []
        section = self.sections.get((agreement.id, measure.section))
        while section is not None:
            crumbs.insert(0, self.section_ref(agreement.id, section.id, up))
            section = self.sections.get((agreement.id, section.parent)) if section.parent else None
        return crumbs

    def measure_page(self, agreement: AgreementData, measure: Measure) -> str:
        up = "../../"
        crumbs = self.crumbs(agreement, measure, up)
        confirmed = self.confirmed(measure)
        links = [
            {
                "relation": self.relation_nl(item.relation),
                "target": self.ref(item.target, up),
                "kind": self.kind_nl(self.kb[item.target]),
                "justification": item.justification,
            }
            for item in confirmed
        ]
        condition = None
        if measure.condition is not None:
            stages = self.vocabulary.stages
            condition = {
                "mode": "een van" if measure.condition.any is not None else "alle",
                "waits": [(self.ref(w.bill, up), stages[w.stage].nl) for w in measure.condition.waits_for()],
                "state": condition_nl(evaluate(measure.condition, self.kb, self.vocabulary), self.names),
            }
        statuses = self.vocabulary.statuses
        assessments = [
            {
                "date": assessment.date,
                "status": StatusView(assessment.value, statuses[assessment.value].nl),
                "assessor": assessment.assessor or "onbekend",
                "evidence": [self._evidence(agreement, item, up) for item in assessment.evidence],
                "note": assessment.note or "",
            }
            for assessment in measure.status
        ]
        source = measure.source
        page_url = f"{self.site_url.rstrip('/')}/maatregel/{measure.id}/" if self.site_url else None
        digest = agreement.agreement.sha256.text if agreement.agreement.sha256 else "onbekend"
        return page(
            measure.title,
            self._render(
                "measure.html",
                up=up,
                agreement=agreement.agreement,
                agreement_id=agreement.id,
                measure=measure,
                crumbs=crumbs,
                lead=self.lead(measure, up),
                organisations=[self.ref(key, up) for key in self.involved(measure)],
                links=links,
                themes=[self.ref(theme, up) for theme in measure.themes],
                condition=condition,
                status=self.status(measure),
                assessments=assessments,
                timeline=self._timeline([e for e in self.log_of[measure.id] if measure.id in e.measures], up),
                mermaid=self._mermaid(measure, confirmed),
                page_url=page_url,
                iri=f"{self.base}id/measure/{measure.id}",
                source=source,
                digest=digest,
            ),
            measure.text[:160],
            rdf=True,
        )

    def measure_search(self, agreement: AgreementData, measure: Measure) -> list[SearchEntry]:
        """A measure page's search entries: the page (where it stands, its status, the agreement's
        words, the note), who is responsible (with the basis of the lead), what it is linked to,
        and the notes of its assessments; not the status table's dates and evidence, the timeline,
        the diagram or the citation, which repeat these or are for checking. A record that is not
        (or no longer) in the kb is left out, never shown by its id."""
        view = self.status(measure)
        where = " › ".join([agreement.agreement.title] + [crumb.name for crumb in self.crumbs(agreement, measure, "")])
        status = self.status_nl(measure) + (f" sinds {dutch_date(view.since)}" if view.since else "")
        who = []
        lead = measure.lead
        if lead is not None and lead.organisation in self.kb:
            minister = f" ({lead.minister})" if lead.minister else ""
            who.append(
                f"Eerstverantwoordelijk: {self.kb[lead.organisation].name.nl}{minister}. {lead.toelichting or ''}"
            )
        involved = [self.kb[key].name.nl for key in self.involved(measure)]
        if involved:
            who.append("Uitvoering en betrokken: " + ", ".join(involved))
        elif measure.no_organisation:
            who.append(f"Geen organisatie genoemd: {measure.no_organisation}")
        links = [
            f"{self.relation_nl(item.relation)} {self.kb[item.target].name.nl}" for item in self.confirmed(measure)
        ]
        themes = [self.kb[theme].name.nl for theme in measure.themes if theme in self.kb]
        linked = ([", ".join(links)] if links else []) + ([f"Thema's: {', '.join(themes)}"] if themes else [])
        notes = tuple(assessment.note for assessment in measure.status if assessment.note)
        entries = [SearchEntry("", measure.title, (where, status, measure.text, measure.toelichting or ""))]
        if who:
            entries.append(SearchEntry("wie", "Wie is verantwoordelijk", tuple(part.strip() for part in who)))
        if linked:
            entries.append(SearchEntry("koppelingen", "Koppelingen", tuple(linked)))
        if notes:
            entries.append(SearchEntry("status", "Status", notes))
        return entries

    def search_entries(self) -> dict[str, list[SearchEntry]]:
        """The search entries of the pages whose entries are written from the data, by page path:
        the measures, and the matrices (only their title and what they show: their cells repeat
        the measures' titles)."""
        entries = {
            f"maatregel/{measure.id}.md": self.measure_search(agreement, measure)
            for agreement, measure in self.measures
        }
        for matrix, _, _ in self._matrices:
            shows = (f"{matrix.span}: {measures_nl(matrix.size)}.",) if matrix.index is not None else ()
            entries[matrix.path + ".md"] = [SearchEntry("", matrix.title, (MATRIX_INTRO, *shows))]
        return entries

    def _evidence(self, agreement: AgreementData, item: EvidenceItem, up: str) -> Ref:
        if isinstance(item, Evidence):
            kind = self.vocabulary.evidence[item.type]
            return Ref(item.title or kind.nl, item.url, kind=kind.nl, date=item.date, news=kind.news)
        if item == "agreement":
            return Ref("het akkoord", f"{up}tekst/{agreement.id}/")
        return self.ref(item, up)

    def _mermaid(self, measure: Measure, confirmed: list) -> str:
        """The measure and what it is linked to, as Mermaid source (labels escaped for Mermaid;
        the template escapes the whole for HTML)."""
        described = "; ".join(f"{self.relation_nl(item.relation)} {self.kb[item.target].name.nl}" for item in confirmed)
        lines = [
            "graph LR",
            f"  accTitle: {mermaid_text('Koppelingen van de maatregel')}",
            f"  accDescr: {mermaid_text(f'De maatregel {measure.title}' + (f': {described}' if described else '.'))}",
            f'  m["{mermaid_label(measure.title)}"]',
        ]
        for index, item in enumerate(confirmed):
            record = self.kb[item.target]
            lines.append(f'  n{index}["{mermaid_label(record.name.nl)}"]')
            lines.append(f'  m -- "{mermaid_label(self.relation_nl(item.relation))}" --> n{index}')
        return "\n".join(lines)

    # --- kb records ------------------------------------------------------------------------------------

    def record_page(self, record: KbRecord) -> str:
        up = "../../"
        cls = self.vocabulary.target_class(record.kind)
        identifiers = []
        for scheme, identifier in sorted(record.identifiers.items()):
            definition = self.vocabulary.schemes[scheme]
            identifiers.append(
                {
                    "scheme": definition.nl,
                    "value": Ref(identifier.value, definition.url(definition.lookup, identifier.value)),
                    "source": Ref(host(identifier.source), identifier.source) if identifier.source else Ref("afgeleid"),
                    "state": IDENTIFIER_STATE[identifier.status]
                    + (
                        f"; betrouwbaarheid volgens het register: {CONFIDENCE[identifier.confidence]}"
                        if identifier.confidence
                        else ""
                    ),
                    "toelichting": identifier.toelichting or "",
                }
            )
        stages = self.vocabulary.stages
        events = [
            {
                "date": event.date,
                "stage": stages[event.stage].nl,
                "source": Ref(host(event.source), event.source, unverified=event.status == "unverified"),
                "toelichting": event.toelichting or "",
            }
            for event in sorted(record.events, key=lambda e: e.date)
        ]
        linked = list({m.id: (m, r) for m, r in self.by_target.get(record.id, [])}.values())
        by_section: dict[tuple[str, str], list[Measure]] = defaultdict(list)
        for measure, _ in linked:
            by_section[(self.agreement_of[measure.id].id, measure.section)].append(measure)
        led = self.led_by.get(record.id, [])
        return page(
            self.record_title(record),
            self._render(
                "record.html",
                up=up,
                record=record,
                cls=cls,
                kind=self.kind_nl(record),
                aliases=[alias.text for alias in record.alias_forms()],
                parent=self.ref(record.parent, up) if record.parent and record.parent in self.kb else None,
                parts=[self.ref(part, up) for part in record.parts],
                identifiers=identifiers,
                events=events,
                led=[self.measure_row(self.agreement_of[m.id], m, up) for m in led],
                led_progress=self.progress(led),
                workbook=f"{up}data/{ministry_workbook(record.id)}" if led else None,
                by_section=[
                    (
                        self.section_ref(agreement, section, up),
                        [self.measure_row(self.agreement_of[m.id], m, up) for m in items],
                    )
                    for (agreement, section), items in by_section.items()
                ],
                linked=[
                    {"row": self.measure_row(self.agreement_of[m.id], m, up), "relation": self.relation_nl(r)}
                    for m, r in linked
                ],
                progress=self.progress([m for m, _ in linked]),
                timeline=self._timeline([e for e in self.log_of[record.id] if record.id in e.concerns], up)
                if cls != "theme"
                else None,
                feed=up + feed_path(self.record_path(record)),
                iri=f"{self.base}id/{record.id}",
            ),
            boost=2,
            rdf=True,
        )

    @staticmethod
    def record_title(record: KbRecord) -> str:
        """The Dutch name, with the abbreviation the text uses (`… (IND)`), which search ranks on."""
        from policykb.link.matcher import case_sensitive

        short = next(
            (
                alias.text
                for alias in record.alias_forms()
                if case_sensitive(alias.text) and alias.text.upper() == alias.text and alias.text not in record.name.nl
            ),
            None,
        )
        return f"{record.name.nl} ({short})" if short else record.name.nl

    @staticmethod
    def short_name(record: KbRecord, limit: int = 50) -> str:
        """A name short enough for a column header: the name itself, or its first short alias
        in capitals (`Asielprocedureverordening`) with the act's number (`2024/1348`), or the
        act's type and number (`Uitvoeringsbesluit (EU) 2022/382`)."""
        name = record.name.nl
        if len(name) <= limit:
            return name
        numbered = _ACT_NUMBER.match(name)
        alias = next(
            (
                a.text
                for a in record.alias_forms()
                if a.text[:1].isupper() and len(a.text) <= limit and a.text.upper() != a.text and a.text != name
            ),
            None,
        )
        if alias and numbered:
            return f"{alias} ({numbered.group('number')})"
        if numbered:
            return numbered.group(0)
        return alias or name[: limit - 1] + "…"

    def _index_rows(self, classes: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = []
        for record in sorted(self.kb.values(), key=lambda r: r.name.nl.casefold()):
            if self.vocabulary.target_class(record.kind) not in classes:
                continue
            measures = list({m.id: m for m, _ in self.by_target.get(record.id, [])}.values())
            rows.append(
                {
                    "record": self.ref(record.id, "../"),
                    "kind": self.kind_nl(record),
                    "led": len(self.led_by.get(record.id, [])),
                    "measures": len(measures),
                    "progress": self.progress(measures),
                    "identifiers": [
                        (scheme, identifier.value)
                        for scheme, identifier in sorted(record.identifiers.items())
                        if self.vocabulary.schemes[scheme].local_id or self.vocabulary.schemes[scheme].process_id
                    ],
                }
            )
        return rows

    def ministry_index(self) -> str:
        ministries = [
            {
                "record": self.ref(key, "../"),
                "progress": self.progress(self.led_by[key]),
                "workbook": f"../data/{ministry_workbook(key)}",
            }
            for key in self._ministries()
        ]
        return page("Ministeries", self._render("ministries.html", ministries=ministries), boost=LIST_BOOST)

    def organisation_index(self) -> str:
        return page(
            "Organisaties",
            self._render("organisations.html", rows=self._index_rows(("organisation",))),
            boost=LIST_BOOST,
        )

    def instrument_index(self) -> str:
        return page(
            "Wetten, wetsvoorstellen, EU-handelingen en documenten",
            self._render("instruments.html", rows=self._index_rows(("instrument", "document"))),
            boost=LIST_BOOST,
        )

    def theme_index(self) -> str:
        return page("Thema's", self._render("themes.html", rows=self._index_rows(("theme",))), boost=LIST_BOOST)

    def section_index(self) -> str:
        agreements = []
        for agreement in self.model.agreements:
            agreements.append(
                {
                    "title": agreement.agreement.title,
                    "text": f"../tekst/{agreement.id}/",
                    "sections": [
                        (
                            section.level,
                            self.section_ref(agreement.id, section.id, "../"),
                            self.progress(self.in_section[(agreement.id, section.id)]),
                        )
                        for section in agreement.structure.sections
                    ],
                }
            )
        return page("Onderdelen", self._render("sections.html", agreements=agreements), boost=LIST_BOOST)

    def section_page(self, agreement: AgreementData, section: Any) -> str:
        up = "../../../"
        measures = self.in_section[(agreement.id, section.id)]
        return page(
            section.title or agreement.agreement.title,
            self._render(
                "section.html",
                parent=self.section_ref(agreement.id, section.parent, up) if section.parent else None,
                preambles=[agreement.text[p.start : p.end] for p in self.preambles_of[(agreement.id, section.id)]],
                rows=[self.measure_row(agreement, m, up) for m in measures],
                progress=self.progress(measures),
            ),
            boost=SECTION_BOOST,
        )

    # --- the full text ----------------------------------------------------------------------------------

    def text_page(self, agreement: AgreementData) -> str:
        """The text with its headings as headings (and a table of contents), every measure's span
        marked (`#m-<id>`) and linked; offsets are code points and the slicing is done here, in
        Python, so a character outside the BMP is one character."""
        source = agreement.text
        cuts: list[tuple[int, int, str, Any]] = [
            (m.source.start, m.source.end, "measure", m)
            for a, m in self.measures
            if a.id == agreement.id and m.source is not None
        ]
        cuts += [
            (s.heading.start, s.heading.end, "heading", s)
            for s in agreement.structure.sections
            if s.heading is not None
        ]
        parts: list[dict[str, Any]] = []
        position = 0
        for start, end, kind, item in sorted(cuts, key=lambda cut: (cut[0], cut[1])):
            if start < position:
                continue  # an overlap is the check's to report; the text is shown once
            if source[position:start].strip():
                parts.append({"kind": "plain", "text": source[position:start]})
            if kind == "heading":
                parts.append(
                    {
                        "kind": "heading",
                        "text": source[start:end].strip(),
                        "id": item.id,
                        "level": min(item.level + 1, 6),
                    }
                )
            else:
                parts.append(
                    {
                        "kind": "measure",
                        "text": source[start:end],
                        "id": item.id,
                        "title": item.title,
                        "start": start,
                        "end": end,
                    }
                )
            position = end
        if source[position:].strip():
            parts.append({"kind": "plain", "text": source[position:]})
        contents = [part for part in parts if part["kind"] == "heading"]
        return page(
            f"Volledige tekst: {agreement.agreement.title}",
            self._render("text.html", parts=parts, contents=contents),
        )

    # --- matrices, check, queries, data -------------------------------------------------------------------

    def _matrix_groups(self, columns: list[KbRecord]) -> list[tuple[AgreementData, list[MatrixGroup]]]:
        """Per agreement, its sections in the order of the text, each with its measures related to
        one of `columns` and those relations (a measure related to none of them has no row)."""
        wanted = {record.id for record in columns}
        result = []
        for agreement in self.model.agreements:
            groups = []
            for section in agreement.structure.sections:
                rows = []
                for measure in self.in_section[(agreement.id, section.id)]:
                    relations = {
                        item.target: item.relation for item in self.confirmed(measure) if item.target in wanted
                    }
                    if relations:
                        rows.append((measure, relations))
                if rows:
                    groups.append(MatrixGroup(section.id, section.title, rows))
            if groups:
                result.append((agreement, groups))
        return result

    def _matrix_columns(self, classes: Iterable[str], kinds: Iterable[str] | None = None) -> list[KbRecord]:
        wanted, kinds = set(classes), set(kinds) if kinds is not None else None
        return sorted(
            (
                r
                for r in self.kb.values()
                if self.vocabulary.target_class(r.kind) in wanted
                and (kinds is None or r.kind in kinds)
                and self.by_target.get(r.id)
            ),
            key=lambda r: r.name.nl.casefold(),
        )

    def _columns(self, records: list[KbRecord], up: str) -> list[dict[str, str]]:
        return [
            {"key": r.id, "name": self.short_name(r, 40), "title": r.name.nl, "url": up + self.record_path(r)}
            for r in records
        ]

    def matrix_pages(self, path: str, title: str, columns: list[KbRecord]) -> list[MatrixPage]:
        """The pages of one matrix (`path` without `.md`, e.g. `matrix-organisaties`): one page
        while it has at most `MATRIX_ROWS` rows. Beyond that, that page lists the matrix's parts:
        per agreement, the sections that follow each other in its text, whole, up to
        `MATRIX_ROWS` rows (a larger section is a part of its own), each part at
        `<path>/<agreement>/<its first section>`, with only the columns its rows have."""
        agreements = self._matrix_groups(columns)
        if sum(group.size for _, groups in agreements for group in groups) <= MATRIX_ROWS:  # one page
            return [MatrixPage(path, title, [group for _, groups in agreements for group in groups])]
        runs: list[tuple[str, str, str, list[MatrixGroup]]] = []  # path, title, agreement, groups
        for agreement, groups in agreements:
            cut: list[list[MatrixGroup]] = [[]]
            size = 0
            for group in groups:
                if cut[-1] and size + group.size > MATRIX_ROWS:
                    cut.append([])
                    size = 0
                cut[-1].append(group)
                size += group.size
            name = agreement.agreement.title
            for number, run in enumerate(cut, start=1):
                numbered = f"{name}, deel {number} van {len(cut)}" if len(cut) > 1 else name
                runs.append((f"{path}/{agreement.id}/{run[0].section}", f"{title} — {numbered}", name, run))
        paths = [at for at, _, _, _ in runs]
        parts = [
            MatrixPage(at, named, run, agreement=name, index=path, previous=before, next=after)
            for (at, named, name, run), before, after in zip(runs, [None, *paths[:-1]], [*paths[1:], None], strict=True)
        ]
        return [MatrixPage(path, title, [], parts=parts), *parts]

    @cached_property
    def _matrices(self) -> list[tuple[MatrixPage, dict[str, int], str | None]]:
        """Every matrix page, with its matrix's columns in order (each record's place, by id) and
        the instruments family it shows (None for the organisations)."""
        result: list[tuple[MatrixPage, dict[str, int], str | None]] = []
        matrices: list[tuple[str, str, list[KbRecord], str | None]] = [
            ("matrix-organisaties", ORGANISATION_MATRIX, self._matrix_columns(("organisation",)), None)
        ]
        for name, kinds in self._instrument_families.items():
            columns = self._matrix_columns(("instrument", "document"), kinds)
            matrices.append((f"matrix-instrumenten/{_slug(name)}", instrument_matrix(name), columns, name))
        for path, title, columns, family in matrices:
            order = {record.id: number for number, record in enumerate(columns)}
            result.extend((matrix, order, family) for matrix in self.matrix_pages(path, title, columns))
        return result

    def _matrix_page(self, matrix: MatrixPage, order: dict[str, int], family: str | None) -> str:
        """One matrix page: its rows, with the columns (in `order`) they have, or the list of its
        parts; an instruments family's page links to the other families."""
        up = "../" * (matrix.path.count("/") + 1)
        choices = [
            {"name": name, "url": "../" * matrix.path.count("/") + _slug(name) + "/"}
            for name in (self._instrument_families if family is not None else ())
            if name != family
        ]
        if matrix.parts:
            agreements: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for each in matrix.parts:
                agreements[each.agreement or ""].append({"url": up + each.path + "/", "page": each})
            body = self._render(
                "matrix-parts.html", choices=choices, intro=MATRIX_INTRO, limit=MATRIX_ROWS, agreements=agreements
            )
            return page(matrix.title, body, boost=LIST_BOOST)
        shown = sorted(
            {key for group in matrix.groups for _, relations in group.rows for key in relations}, key=order.__getitem__
        )
        records = [self.kb[key] for key in shown]
        groups = [
            {
                "section": group.title,
                "rows": [
                    {
                        "measure": self.measure_ref(measure, up),
                        "cells": [self.relation_nl(relations[r.id]) if r.id in relations else "" for r in records],
                    }
                    for measure, relations in group.rows
                ],
            }
            for group in matrix.groups
        ]
        part: dict[str, Any] | None = None
        if matrix.index is not None:
            part = {
                "page": matrix,
                "index": up + matrix.index + "/",
                "previous": up + matrix.previous + "/" if matrix.previous else None,
                "next": up + matrix.next + "/" if matrix.next else None,
            }
        body = self._render(
            "matrix.html",
            columns=self._columns(records, up),
            groups=groups,
            choices=choices,
            intro=MATRIX_INTRO,
            part=part,
        )
        return page(matrix.title, body, boost=LIST_BOOST)

    @cached_property
    def _instrument_families(self) -> dict[str, list[str]]:
        """The instruments matrix's families that have columns, each with its kinds."""
        families: dict[str, list[str]] = defaultdict(list)
        for key, kind in self.vocabulary.kinds.items():
            if kind.target_class in ("instrument", "document"):
                families[MATRIX_FAMILIES[kind.jurisdiction if kind.target_class == "instrument" else None]].append(key)
        return {
            name: families[name]
            for name in MATRIX_FAMILIES.values()
            if self._matrix_columns(("instrument", "document"), families[name])
        }

    def matrix_choice(self) -> str:
        """The instruments matrix's first page: a choice of its families."""
        choices = [{"name": name, "slug": _slug(name)} for name in self._instrument_families]
        return page(
            "Matrix: maatregelen × instrumenten", self._render("matrix-choice.html", choices=choices), boost=LIST_BOOST
        )

    def changes_page(self) -> str:
        days: dict[str, list[dict[str, Any]]] = {}
        for entry in self.log:
            days.setdefault(dutch_date(entry.date), []).append(self._entry(entry, "../"))
        return page(
            "Wat is er veranderd",
            self._render("changes.html", days=days, feed="../" + feed_path(None)),
            "Beoordelingen en stadia, nieuwste eerst.",
            boost=LIST_BOOST,
        )

    def _entry(self, entry: Entry, up: str) -> dict[str, Any]:
        return {
            "date": entry.date,
            "title": entry.title,
            "url": up + entry.page,
            "summary": entry.summary,
            "sources": [self._source(source, up) for source in entry.sources],
        }

    def _source(self, source: Source, up: str) -> Ref:
        if source.record is not None:
            return self.ref(source.record, up)
        return Ref(source.label, source.url, news=source.news, unverified=source.unverified)

    def _timeline(self, entries: list[Entry], up: str) -> list[dict[str, Any]]:
        return [self._entry(entry, up) for entry in entries]

    def check_page(self) -> str:
        if not self.check:
            return page("Controle", self._render("check.html", check=None))
        removed_lines = {agreement.id: agreement.structure.page_map.removed for agreement in self.model.agreements}
        titles = {agreement.id: agreement.agreement.title for agreement in self.model.agreements}
        return page(
            "Controle",
            self._render(
                "check.html",
                check=self.check,
                generated=self._check_day(),
                titles=titles,
                removed_lines=removed_lines,
            ),
        )

    def _check_day(self) -> str:
        try:
            return dutch_date(dt.datetime.fromisoformat(str(self.check["generated"]).replace("Z", "+00:00")).date())  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            return ""

    def query_page(self) -> str:
        first = next(
            (item["text"] for item in self.cookbook if not item.get("federated")),
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        )
        return page(
            "Vragen (SPARQL)", self._render("queries.html", first=first, cookbook=self.cookbook), boost=LIST_BOOST
        )

    def data_page(self) -> str:
        return page(
            "Data",
            self._render(
                "data.html",
                downloads=[(name, f"{size / 1024:.0f} kB") for name, size in self.downloads],
                ministries=[(self.ref(key, "../"), f"../data/{ministry_workbook(key)}") for key in self._ministries()],
                built=self._built(),
                commit=self.provenance.get("commit") or "onbekend",
                base=self.base,
            ),
        )


def ministry_workbook(key: str) -> str:
    """The file name of a ministry's spreadsheet in the site's `data/`."""
    return f"maatregelen-{key}.xlsx"


_ACT_NUMBER = re.compile(
    r"^(?:Verordening|Richtlijn|Uitvoeringsbesluit|Besluit|Beschikking)(?: \(EU\))? (?P<number>\d{4}/\d+(?:/EG|/EU)?)"
)
"""An EU act's type and number at the start of its title."""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def provenance_of(model: Model, commit: str | None, when: str) -> dict[str, Any]:
    from policykb.model import sha256_bytes

    files = []
    for agreement in model.agreements:
        for name in (agreement.agreement.source_file, "text.txt"):
            path: Path = agreement.folder / name
            if path.is_file():
                files.append((f"policy/{agreement.id}/{name}", sha256_bytes(path.read_bytes())))
    return {"time": when, "commit": commit, "files": files}
