"""The generated pages of the site, as `{path: markdown}`, from the model, the compiled graph, the
check report and the build provenance.

Reads the loaded `Model`, the check report (`build/reports/check.json`), the provenance of the
build and the cookbook results; writes nothing (the mkdocs hook adds
the pages to the build). URLs are derived from ids: `maatregel/<id>/`, `organisatie/<id>/`,
`instrument/<id>/`, `thema/<id>/`, `onderdeel/<agreement>/<section>/`, `tekst/<agreement>/`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykb.changes import Entry, Source, condition_nl, dutch_date, log
from policykb.compile.terms import DEFAULT_BASE
from policykb.load import AgreementData, Model
from policykb.model import Evidence, EvidenceItem, KbRecord, Measure
from policykb.progress import STATE_NL, evaluate
from policykb.site.feeds import feed_path
from policykb.site.html import accountability, filterable, link, mermaid_label, mermaid_text, page, table, text
from policykb.site.redirects import PAGE_FOLDER


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
            for item in measure.links:
                if item.review == "confirmed" and item.target in self.kb:
                    self.by_target[item.target].append((measure, item.relation))
            for theme in measure.themes:
                self.by_target[theme].append((measure, "subject"))
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
        self.preambles_of: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for agreement in self.model.agreements:
            for preamble in agreement.structure.preambles:
                self.preambles_of[(agreement.id, preamble.section)].append(preamble)

    # --- urls (relative to the site root; pages add their own depth) ---------------------------------

    def record_path(self, record: KbRecord) -> str:
        cls = self.vocabulary.target_class(record.kind)
        folder = PAGE_FOLDER.get(cls, "instrument")
        return f"{folder}/{record.id}/"

    def relation_nl(self, relation: str) -> str:
        """A link relation as the site names it (`hangt af van`)."""
        return self.vocabulary.relations[relation].nl

    def record_link(self, key: str, up: str) -> str:
        record = self.kb.get(key)
        return link(up + self.record_path(record), record.name.nl) if record else text(key)

    @staticmethod
    def measure_link(measure: Measure, up: str) -> str:
        return link(f"{up}maatregel/{measure.id}/", f"{measure.id} — {measure.title}")

    def section_link(self, agreement: str, section: str, up: str) -> str:
        found = self.sections.get((agreement, section))
        return link(f"{up}onderdeel/{agreement}/{section}/", found.title if found else section)

    # --- all pages -------------------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        pages = {
            "index.md": self.home(),
            "maatregelen.md": self.measure_index(),
            "organisaties.md": self.organisation_index(),
            "instrumenten.md": self.instrument_index(),
            "themas.md": self.theme_index(),
            "onderdelen.md": self.section_index(),
            "matrix-organisaties.md": self.matrix("organisation"),
            "matrix-instrumenten.md": self.matrix("instrument"),
            "veranderingen.md": self.changes_page(),
            "controle.md": self.check_page(),
            "queries.md": self.query_page(),
            "data.md": self.data_page(),
        }
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
        rows = [
            (link("maatregelen/", "Maatregelen"), text(len(self.measures))),
            (link("organisaties/", "Organisaties"), text(counts["organisation"])),
            (
                link("instrumenten/", "Wetten, wetsvoorstellen, EU-handelingen, verdragen en documenten"),
                text(counts["instrument"] + counts["document"]),
            ),
            (link("themas/", "Thema's"), text(counts["theme"])),
            (text("Bevestigde koppelingen"), text(confirmed)),
        ]
        body = [
            "<p>Deze kennisbank maakt het regeerakkoord herleidbaar: elke toezegging "
            "is een maatregel met haar letterlijke plaats in de tekst, gekoppeld aan "
            "de organisaties, wetten, wetsvoorstellen en EU-instrumenten waar zij over "
            "gaat, met haar status.</p>",
            '<h2 id="omvang">Omvang</h2>',
            table(["", "aantal"], rows, "counts", sortable=False),
        ]
        if self.check:
            body.append('<h2 id="dekking">Dekking van de tekst</h2>')
            titles = {agreement.id: agreement.agreement.title for agreement in self.model.agreements}
            for item in self.check.get("coverage", []):
                body.append(
                    f'<p class="pkb-coverage">{text(titles.get(item["agreement"], item["agreement"]))}: '
                    f"<strong>{text(format(item['percent'], '.2f').replace('.', ','))} %</strong> "
                    f"van de tekst verantwoord · "
                    f"{link('controle/', 'controle: ' + ('geslaagd' if self.check.get('ok') else 'niet geslaagd'))}</p>"
                )
        statuses = self.vocabulary.statuses
        breakdown = Counter(m.status[-1].value for _, m in self.measures if m.status)
        body += [
            '<h2 id="status">Status</h2>',
            table(
                ["status", "maatregelen"],
                ((text(statuses[key].nl), text(count)) for key, count in breakdown.most_common()),
                "status",
                sortable=False,
            ),
        ]
        built = self._built()
        body.append(f'<h2 id="bouw">Bijgewerkt</h2><p>Deze site is gemaakt op {text(built)}.</p>' if built else "")
        internals = []
        if self.provenance.get("commit"):
            internals.append(f"versie van de gegevens (git-commit): <code>{text(self.provenance['commit'])}</code>")
        for name, sha in self.provenance.get("files", []):
            internals.append(f"<code>{text(name)}</code>: sha256 <code>{text(sha)}</code>")
        if internals:
            body.append(accountability(internals))
        return page("Regeerakkoord herleidbaar", "\n".join(body))

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

    def status_nl(self, measure: Measure) -> str:
        """The current status in Dutch, with the condition when it decides the measure's fate
        (`niet begonnen; voorwaarde niet meer te vervullen`): the same words wherever it is shown."""
        shown = self.vocabulary.statuses[measure.status[-1].value].nl if measure.status else "—"
        if measure.condition is not None:
            state = evaluate(measure.condition, self.kb, self.vocabulary).state
            if state != "pending":
                shown += f"; voorwaarde {STATE_NL[state]}"
        return shown

    def measure_index(self) -> str:
        rows = []
        for agreement, measure in self.measures:
            organisations = [
                item.target for item in measure.links if item.review == "confirmed" and item.relation == "involves"
            ]
            rows.append(
                (
                    link(f"../maatregel/{measure.id}/", measure.id),
                    text(measure.title),
                    self.section_link(agreement.id, measure.section, "../"),
                    text(self.status_nl(measure)),
                    ", ".join(self.record_link(key, "../") for key in organisations) or "—",
                )
            )
        return page(
            "Maatregelen",
            f'<p class="pkb-download">{link("../data/maatregelen.xlsx", "Download alle maatregelen als Excel-bestand")}'
            " (met status en sinds wanneer, organisaties, instrumenten, pagina en een link naar elke maatregel)</p>"
            + filterable(
                table(["id", "titel", "onderdeel", "status", "organisaties"], rows, "measures"), "Filter maatregelen …"
            ),
        )

    def measure_page(self, agreement: AgreementData, measure: Measure) -> str:
        up = "../../"
        body = []
        crumbs: list[str] = []
        section = self.sections.get((agreement.id, measure.section))
        while section is not None:
            crumbs.insert(0, self.section_link(agreement.id, section.id, up))
            section = self.sections.get((agreement.id, section.parent)) if section.parent else None
        body.append(f'<p class="pkb-breadcrumb">{text(agreement.agreement.title)} › {" › ".join(crumbs)}</p>')
        source = measure.source
        body.append(f'<blockquote class="pkb-quote">{text(measure.text)}</blockquote>')
        if source is not None:
            where = f"pagina {source.page} · " if source.page else ""
            body.append(
                f'<p class="pkb-source">{text(where)}'
                f"{link(f'{up}tekst/{agreement.id}/#m-{measure.id}', 'bekijk in de volledige tekst')}</p>"
            )
        confirmed = [item for item in measure.links if item.review == "confirmed" and item.target in self.kb]
        body.append('<h2 id="koppelingen">Koppelingen</h2>')
        if confirmed:
            rows = [
                (
                    text(self.relation_nl(item.relation)),
                    self.record_link(item.target, up),
                    text(self.vocabulary.kinds[self.kb[item.target].kind].nl),
                    text(item.justification),
                )
                for item in confirmed
            ]
            body.append(table(["relatie", "met", "soort", "toelichting"], rows, "links"))
        else:
            body.append("<p>Geen bevestigde koppelingen.</p>")
        if measure.no_organisation:
            body.append(f'<p class="pkb-note">Geen organisatie: {text(measure.no_organisation)}</p>')
        if measure.themes:
            body.append("<p>Thema's: " + ", ".join(self.record_link(theme, up) for theme in measure.themes) + "</p>")
        if measure.condition is not None:
            stages = self.vocabulary.stages
            mode = "een van" if measure.condition.any is not None else "alle"
            items = "".join(
                f"<li>{self.record_link(w.bill, up)}: {text(stages[w.stage].nl)}</li>"
                for w in measure.condition.waits_for()
            )
            state = condition_nl(evaluate(measure.condition, self.kb, self.vocabulary))
            body.append(
                f'<h2 id="voorwaarde">Voorwaarde</h2><p>Geldt zodra {mode} deze stappen gezet zijn:</p><ul>{items}</ul>'
                f'<p class="pkb-condition">Stand volgens de vastgelegde stadia: <strong>{text(state)}</strong>.</p>'
            )
        body.append(
            '<h2 id="status">Status</h2>'
            f'<p class="pkb-status-now">Nu: <strong>{text(self.status_nl(measure))}</strong></p>'
        )
        statuses = self.vocabulary.statuses
        status_rows: list[tuple[str, ...]] = []
        for assessment in measure.status:
            evidence = ", ".join(self._evidence(agreement, item, up) for item in assessment.evidence)
            status_rows.append(
                (
                    text(dutch_date(assessment.date)),
                    text(statuses[assessment.value].nl),
                    text(assessment.assessor or "onbekend"),
                    evidence,
                    text(assessment.note or ""),
                )
            )
        body.append(
            table(
                ["datum", "status", "beoordeeld door", "bewijs", "toelichting"], status_rows, "status", sortable=False
            )
            if status_rows
            else "<p>Nog geen status.</p>"
        )
        body.append(self._timeline([entry for entry in self.log if measure.id in entry.measures], up))
        body.append('<h2 id="omgeving">Omgeving</h2>' + self._mermaid(measure, confirmed))
        iri = f"{self.base}id/measure/{measure.id}"
        page_url = (
            f"{self.site_url.rstrip('/')}/maatregel/{measure.id}/" if self.site_url else f"maatregel/{measure.id}/"
        )
        body.append(
            f'<h2 id="citeren">Citeren</h2><p class="pkb-cite">{text(agreement.agreement.title)}, '
            f"maatregel {text(measure.id)}: “{text(measure.title)}”. Pagina: <code>{text(page_url)}</code>.</p>"
        )
        internals = [f"IRI (linked data): <code>{text(iri)}</code>"]
        if source is not None:
            digest = agreement.agreement.sha256.text if agreement.agreement.sha256 else "onbekend"
            internals.insert(
                0,
                f"plaats in de tekst: tekens {source.start}–{source.end} van <code>policy/{text(agreement.id)}/"
                f"text.txt</code> (sha256 <code>{text(digest)}</code>)",
            )
        body.append(accountability(internals))
        body.append(_rdf_links())
        return page(f"{measure.id}: {measure.title}", "\n".join(body), measure.text[:160], rdf=True)

    def _evidence(self, agreement: AgreementData, item: EvidenceItem, up: str) -> str:
        if isinstance(item, Evidence):
            kind = self.vocabulary.evidence[item.type]
            label = item.title or kind.nl
            dated = f", {item.date.strftime('%d-%m-%Y')}" if item.date else ""
            news = " (nieuws, geen officiële bron)" if kind.news else ""
            return f"{text(kind.nl)}: {link(item.url, label)}{text(dated)}{text(news)}"
        if item == "agreement":
            return link(f"{up}tekst/{agreement.id}/", "het akkoord")
        return self.record_link(item, up)

    def _mermaid(self, measure: Measure, confirmed: list) -> str:
        described = "; ".join(f"{self.relation_nl(item.relation)} {self.kb[item.target].name.nl}" for item in confirmed)
        lines = [
            "graph LR",
            f"  accTitle: {mermaid_text('Koppelingen van de maatregel')}",
            f"  accDescr: {mermaid_text(f'De maatregel {measure.title}' + (f': {described}' if described else '.'))}",
            f'  m["{mermaid_label(measure.id + ": " + measure.title)}"]',
        ]
        for index, item in enumerate(confirmed):
            record = self.kb[item.target]
            lines.append(f'  n{index}["{mermaid_label(record.name.nl)}"]')
            lines.append(f'  m -- "{mermaid_label(self.relation_nl(item.relation))}" --> n{index}')
        return '<pre class="pkb-mermaid">' + text("\n".join(lines)).replace("\n", "&#10;") + "</pre>"

    # --- kb records ------------------------------------------------------------------------------------

    def record_page(self, record: KbRecord) -> str:
        up = "../../"
        body = [
            f'<p class="pkb-kind">{text(self.vocabulary.kinds[record.kind].nl)} · Engelse naam: '
            f"{text(record.name.en)}</p>"
        ]
        aliases = [alias.text for alias in record.alias_forms()]
        if aliases:
            body.append("<p>Ook genoemd: " + ", ".join(f"<q>{text(alias)}</q>" for alias in aliases) + "</p>")
        if record.parent and record.parent in self.kb:
            body.append(f"<p>Onderdeel van: {self.record_link(record.parent, up)}</p>")
        if record.parts:
            body.append("<p>Bestaat uit: " + ", ".join(self.record_link(part, up) for part in record.parts) + "</p>")
        if record.identifiers:
            body.append('<h2 id="identificaties">Identificaties</h2>')
            rows = []
            for scheme, identifier in sorted(record.identifiers.items()):
                definition = self.vocabulary.schemes[scheme]
                official = definition.url(definition.lookup, identifier.value)
                value = link(official, identifier.value) if official else text(identifier.value)
                source = link(identifier.source, "bron") if identifier.source else text("afgeleid")
                state = {"verified": "geverifieerd", "derived": "afgeleid", "unverified": "niet geverifieerd"}[
                    identifier.status
                ]
                rows.append(
                    (
                        text(scheme),
                        value,
                        source,
                        text(state + (f" ({identifier.confidence})" if identifier.confidence else "")),
                    )
                )
            body.append(table(["schema", "waarde", "bron", "zekerheid"], rows, "identifiers", sortable=False))
        if record.events:
            stages = self.vocabulary.stages
            body.append('<h2 id="stadia">Stadia</h2>')
            rows = [
                (
                    text(event.date.isoformat()),
                    text(stages[event.stage].nl),
                    link(event.source, "bron"),
                    text(event.note or ""),
                )
                for event in sorted(record.events, key=lambda e: e.date)
            ]
            body.append(table(["datum", "stadium", "bron", "toelichting"], rows, "events", sortable=False))
        linked = self.by_target.get(record.id, [])
        if self.vocabulary.target_class(record.kind) == "organisation":
            body.append('<h2 id="gevraagd">Wat het akkoord vraagt</h2>')
            by_section: dict[str, list[str]] = defaultdict(list)
            for measure, _ in linked:
                agreement = self.agreement_of[measure.id]
                by_section[self.section_link(agreement.id, measure.section, up)].append(
                    f"<li>{self.measure_link(measure, up)}</li>"
                )
            body += [f"<h3>{section}</h3><ul>{''.join(items)}</ul>" for section, items in by_section.items()] or [
                "<p>Geen maatregelen.</p>"
            ]
        else:
            body.append('<h2 id="maatregelen">Maatregelen</h2>')
            linked_rows = [
                (
                    self.measure_link(measure, up),
                    text(self.relation_nl(relation) if relation in self.vocabulary.relations else "thema"),
                )
                for measure, relation in linked
            ]
            body.append(
                table(["maatregel", "relatie"], linked_rows, "measures") if linked_rows else "<p>Geen maatregelen.</p>"
            )
        if self.vocabulary.target_class(record.kind) != "theme":
            body.append(self._timeline([entry for entry in self.log if record.id in entry.concerns], up))
            feed = link(up + feed_path(self.record_path(record)), "Volg deze veranderingen in een feedlezer (Atom)")
            body.append(f'<p class="pkb-feed">{feed}</p>')
        if record.sources:
            body.append(
                '<h2 id="bronnen">Bronnen</h2><ul>'
                + "".join(f"<li>{link(source, source)}</li>" for source in record.sources)
                + "</ul>"
            )
        if record.notes:
            body.append(f'<p class="pkb-note">{text(record.notes)}</p>')
        body.append(_rdf_links())
        return page(self.record_title(record), "\n".join(body), boost=2, rdf=True)

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

    def organisation_index(self) -> str:
        rows = [
            (
                link(f"../{self.record_path(r)}", r.name.nl),
                text(self.vocabulary.kinds[r.kind].nl),
                text(len({m.id for m, _ in self.by_target.get(r.id, [])})),
            )
            for r in sorted(self.kb.values(), key=lambda r: r.name.nl.casefold())
            if self.vocabulary.target_class(r.kind) == "organisation"
        ]
        return page(
            "Organisaties",
            filterable(table(["organisatie", "soort", "maatregelen"], rows, "organisations"), "Filter organisaties …"),
        )

    def instrument_index(self) -> str:
        rows = [
            (
                link(f"../{self.record_path(r)}", r.name.nl),
                text(self.vocabulary.kinds[r.kind].nl),
                text(
                    ", ".join(
                        f"{s}: {i.value}"
                        for s, i in sorted(r.identifiers.items())
                        if self.vocabulary.schemes[s].local_id or self.vocabulary.schemes[s].process_id
                    )
                ),
                text(len({m.id for m, _ in self.by_target.get(r.id, [])})),
            )
            for r in sorted(self.kb.values(), key=lambda r: r.name.nl.casefold())
            if self.vocabulary.target_class(r.kind) in ("instrument", "document")
        ]
        return page(
            "Wetten, wetsvoorstellen, EU-handelingen en documenten",
            filterable(table(["naam", "soort", "identificatie", "maatregelen"], rows, "instruments"), "Filter …"),
        )

    def theme_index(self) -> str:
        rows = [
            (
                link(f"../{self.record_path(r)}", r.name.nl),
                text(r.name.en),
                text(len({m.id for m, _ in self.by_target.get(r.id, [])})),
            )
            for r in sorted(self.kb.values(), key=lambda r: r.name.nl.casefold())
            if r.kind == "theme"
        ]
        return page("Thema's", table(["thema", "Engelse naam", "maatregelen"], rows, "themes"))

    def section_index(self) -> str:
        body = []
        for agreement in self.model.agreements:
            counts = Counter(m.section for a, m in self.measures if a.id == agreement.id)
            rows = [
                (text(section.level), self.section_link(agreement.id, section.id, "../"), text(counts[section.id]))
                for section in agreement.structure.sections
            ]
            body += [
                f"<h2>{text(agreement.agreement.title)}</h2>",
                f"<p>{link(f'../tekst/{agreement.id}/', 'volledige tekst')}</p>",
                table(["niveau", "onderdeel", "maatregelen"], rows, "sections", sortable=False),
            ]
        return page("Onderdelen", "\n".join(body))

    def section_page(self, agreement: AgreementData, section: Any) -> str:
        up = "../../../"
        body = []
        if section.parent:
            body.append(f"<p>Onderdeel van: {self.section_link(agreement.id, section.parent, up)}</p>")
        for preamble in self.preambles_of[(agreement.id, section.id)]:
            body.append(f'<p class="pkb-preamble">{text(agreement.text[preamble.start : preamble.end])}</p>')
        items = [f"<li>{self.measure_link(m, up)}</li>" for m in self.in_section[(agreement.id, section.id)]]
        body.append("<ul>" + "".join(items) + "</ul>" if items else "<p>Geen maatregelen in dit onderdeel.</p>")
        return page(section.title or agreement.agreement.title, "\n".join(body))

    # --- the full text ----------------------------------------------------------------------------------

    def text_page(self, agreement: AgreementData) -> str:
        """The text with every measure's span marked (`#m-<id>`) and linked; offsets are code points
        and the slicing is done here, in Python, so a character outside the BMP is one character."""
        source = agreement.text
        spans = sorted(
            (m.source.start, m.source.end, m.id)
            for a, m in self.measures
            if a.id == agreement.id and m.source is not None
        )
        parts, position = [], 0
        for start, end, key in spans:
            if start < position:
                continue  # an overlap is the check's to report; the text is shown once
            parts.append(_plain(source[position:start]))
            parts.append(
                f'<mark class="pkb-span" id="m-{text(key)}" data-start="{start}" data-end="{end}"><a '
                f'class="pkb-span-link" href="../../maatregel/{text(key)}/" title="{text(key)}">{text(key)}</a> '
                f"{_plain(source[start:end])}</mark>"
            )
            position = end
        parts.append(_plain(source[position:]))
        return page(f"Volledige tekst: {agreement.agreement.title}", f'<div class="pkb-text">{"".join(parts)}</div>')

    # --- matrices, check, queries, data -------------------------------------------------------------------

    def matrix(self, cls: str) -> str:
        wanted = ("organisation",) if cls == "organisation" else ("instrument", "document")
        columns = sorted(
            (
                r
                for r in self.kb.values()
                if self.vocabulary.target_class(r.kind) in wanted and self.by_target.get(r.id)
            ),
            key=lambda r: r.name.nl.casefold(),
        )
        header = ["maatregel"] + [r.name.nl for r in columns]
        rows = []
        for _, measure in self.measures:
            relations = {item.target: item.relation for item in measure.links if item.review == "confirmed"}
            cells = [text(self.relation_nl(relations[r.id])) if r.id in relations else "" for r in columns]
            rows.append([link(f"../maatregel/{measure.id}/", measure.id)] + cells)
        title = "Matrix: maatregelen × organisaties" if cls == "organisation" else "Matrix: maatregelen × instrumenten"
        return page(title, filterable(table(header, rows, f"matrix-{cls}"), "Filter maatregelen …"))

    def changes_page(self) -> str:
        up = "../"
        body = [
            "<p>Nieuwste eerst: elke beoordeling van een maatregel en elk stadium van een wetsvoorstel, "
            "een EU-procedure of een wet, met de bron. Nieuws staat als nieuws vermeld.</p>",
            f'<p class="pkb-feed">{link(up + feed_path(None), "Volg alle veranderingen in een feedlezer (Atom)")}. '
            "Elke organisatie en elk instrument heeft een eigen feed, op zijn pagina.</p>",
        ]
        days: dict[str, list[str]] = {}
        for entry in self.log:
            days.setdefault(dutch_date(entry.date), []).append(f"<li>{self._entry(entry, up)}</li>")
        for day, items in days.items():
            body.append(f'<h2>{text(day)}</h2><ul class="pkb-changes">{"".join(items)}</ul>')
        if not self.log:
            body.append("<p>Nog geen gedateerde veranderingen.</p>")
        return page("Wat is er veranderd", "\n".join(body), "Beoordelingen en stadia, nieuwste eerst.")

    def _entry(self, entry: Entry, up: str) -> str:
        parts = [link(up + entry.page, entry.title)]
        if entry.summary:
            parts.append(f'<span class="pkb-summary">{text(entry.summary)}</span>')
        if entry.sources:
            parts.append("Bron: " + ", ".join(self._source(source, up) for source in entry.sources))
        return " — ".join(parts)

    def _source(self, source: Source, up: str) -> str:
        if source.record is not None:
            return self.record_link(source.record, up)
        label = link(source.url, source.label) if source.url else text(source.label)
        if source.news:
            label += " (nieuws)"
        if source.unverified:
            label += " (niet geverifieerd)"
        return label

    def _timeline(self, entries: list[Entry], up: str) -> str:
        if not entries:
            return '<h2 id="tijdlijn">Tijdlijn</h2><p>Nog geen gedateerde veranderingen.</p>'
        rows = [
            (
                text(dutch_date(entry.date)),
                link(up + entry.page, entry.title) + (f"<br>{text(entry.summary)}" if entry.summary else ""),
                ", ".join(self._source(source, up) for source in entry.sources),
            )
            for entry in entries
        ]
        return '<h2 id="tijdlijn">Tijdlijn</h2>' + table(["datum", "wat", "bron"], rows, "timeline", sortable=False)

    def check_page(self) -> str:
        if not self.check:
            return page("Controle", "<p>Er is geen controlerapport; draai <code>policykb check --report</code>.</p>")
        labels = {"passed": "geslaagd", "failed": "mislukt", "warning": "waarschuwing"}
        rows = [
            (
                text(rule["code"]),
                text(rule["title"]),
                text(rule["severity"]),
                f'<span class="pkb-{text(rule["status"])}">{text(labels[rule["status"]])}</span>',
                text(len(rule["problems"])),
            )
            for rule in self.check["rules"]
        ]
        body = [
            f"<p>Uitkomst: <strong>{'geslaagd' if self.check['ok'] else 'niet geslaagd'}</strong> "
            f"({text(self.check['generated'])}).</p>",
            table(["code", "regel", "ernst", "uitkomst", "problemen"], rows, "rules"),
        ]
        reasons = {"page-number": "paginanummer", "page-header": "kopregel", "page-footer": "voetregel"}
        removed_lines = {agreement.id: agreement.structure.page_map.removed for agreement in self.model.agreements}
        for item in self.check.get("coverage", []):
            body.append(f"<h2>Dekking: {text(item['agreement'])}</h2>")
            body.append(
                table(
                    ["onderdeel", "tekens", "verantwoord", "%"],
                    (
                        (text(s["title"]), text(s["characters"]), text(s["covered"]), text(format(s["percent"], ".2f")))
                        for s in item["sections"]
                    ),
                    "coverage",
                    sortable=False,
                )
            )
            removed = item.get("removed")
            if removed:
                body.append(
                    f"<p>Als paginaopmaak uit de tekst gehaald: {text(removed['lines'])} regel(s), "
                    f"{text(removed['characters'])} tekens "
                    f"({text(format(removed['percent'], '.2f'))} % van de tekst; de grens is "
                    f"{text(format(removed['limit'], 'g'))} %). Controleer of het echt paginanummers, "
                    "kop- en voetregels zijn:</p>"
                )
                removed_rows = (
                    (text(line.text), text(reasons.get(line.reason, line.reason)))
                    for line in removed_lines.get(item["agreement"], [])
                )
                body.append(table(["verwijderde regel", "soort"], removed_rows, "removed", sortable=False))
        for rule in self.check["rules"]:
            if rule["problems"]:
                items = "".join(
                    f"<li><code>{text(p['file'])}{':' + str(p['line']) if p['line'] else ''}</code> "
                    f"{text(p['message'])}</li>"
                    for p in rule["problems"]
                )
                body.append(
                    f'<h2 id="{text(rule["code"].lower())}">{text(rule["code"])} {text(rule["title"])}</h2>'
                    f"<p>{text(rule['why'])}</p><ul>{items}</ul>"
                )
        return page("Controle", "\n".join(body))

    def query_page(self) -> str:
        body = [
            "<p>Onderzoekers kunnen de kennisbank met SPARQL bevragen: in het programma "
            "(<code>policykb query BESTAND.rq</code>), of door de downloads op de pagina "
            "Data in een triple store te laden. Hieronder elke voorbeeldvraag met haar "
            "antwoord, berekend bij de bouw van deze site.</p>"
        ]
        first = next(
            (item["text"] for item in self.cookbook if not item.get("federated")),
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        )
        body.append(
            '<h2 id="zelf">Zelf een vraag stellen</h2>'
            "<p>Typ een SPARQL-vraag, of kies hieronder een voorbeeld met <em>Probeer</em>. De vraag wordt in "
            "uw browser beantwoord, zonder internet, over de gegevens van deze site.</p>"
            '<form id="pkb-sparql" class="pkb-sparql"><label for="pkb-sparql-text">SPARQL-vraag</label>'
            f'<textarea id="pkb-sparql-text" rows="10" spellcheck="false">{text(first)}</textarea>'
            '<button type="submit">Uitvoeren</button> <span class="pkb-sparql-state" role="status"></span>'
            '<div class="pkb-sparql-result"></div></form>'
            '<script type="module" src="../assets/sparql.js"></script>'
        )
        for item in self.cookbook:
            body.append(f'<h2 id="{text(item["name"])}">{text(item["title"])}</h2><p>{text(item["description"])}</p>')
            body.append(
                f'<pre class="pkb-query"><code id="q-{text(item["name"])}">'
                f"{text(item['text']).replace(chr(10), '&#10;')}</code></pre>"
            )
            if not item.get("federated"):
                body.append(f'<p><button type="button" data-pkb-example="q-{text(item["name"])}">Probeer</button></p>')
            if item.get("federated"):
                body.append(
                    "<p><em>Gefedereerd: deze vraag gebruikt een openbaar eindpunt via internet "
                    "en wordt bij de bouw niet uitgevoerd.</em></p>"
                )
            else:
                body.append(table(item["variables"], ([text(cell) for cell in row] for row in item["rows"]), "query"))
        return page("Vragen (SPARQL)", "\n".join(body))

    def data_page(self) -> str:
        rows = [(link(f"../data/{name}", name), text(f"{size / 1024:.0f} kB")) for name, size in self.downloads]
        body = [
            f"<p>Voor een spreadsheet: {link('../data/maatregelen.xlsx', 'alle maatregelen als Excel-bestand')} "
            "(Nederlandse kolomnamen, namen in plaats van codes). De CSV-bestanden hieronder zijn voor "
            "programma's.</p>",
            "<p>De kennisbank als open data: de graaf in Turtle, N-Triples en JSON-LD "
            "(met context), de NetworkX-projectie als GraphML, een CSV per soort, het "
            "vocabulaire en de SHACL-vormen.</p>",
            table(["bestand", "grootte"], rows, "downloads", sortable=False),
            "<h2>Licentie</h2><p>De gecureerde gegevens (maatregelen, koppelingen, "
            "kennisbank) vallen onder CC0 1.0. De tekst van het akkoord is het werk "
            "van de opstellers en is opgenomen om de citaten controleerbaar te maken.</p>",
            "<h2>Citeren</h2><p>policykb, kennisbank regeerakkoord, versie van "
            f"{text(self._built() or 'onbekende datum')}.</p>",
            accountability(
                [
                    "versie van de gegevens (git-commit): "
                    f"<code>{text(self.provenance.get('commit') or 'onbekend')}</code>",
                    f"elke maatregel heeft een IRI onder <code>{text(self.base)}id/</code>",
                ]
            ),
        ]
        return page("Data", "\n".join(body))


def _rdf_links() -> str:
    """The entity's RDF beside its page, for researchers (site/entity_rdf.py writes it)."""
    return (
        '<p class="pkb-rdf">Deze gegevens als linked data: '
        f"{link('index.ttl', 'Turtle')} · {link('index.jsonld', 'JSON-LD')}.</p>"
    )


def _plain(value: str) -> str:
    """Text for the full-text page: escaped, line breaks kept without blank lines in the HTML."""
    return text(value).replace("\n", "&#10;")


def provenance_of(model: Model, commit: str | None, when: str) -> dict[str, Any]:
    from policykb.model import sha256_bytes

    files = []
    for agreement in model.agreements:
        for name in (agreement.agreement.source_file, "text.txt"):
            path: Path = agreement.folder / name
            if path.is_file():
                files.append((f"policy/{agreement.id}/{name}", sha256_bytes(path.read_bytes())))
    return {"time": when, "commit": commit, "files": files}
