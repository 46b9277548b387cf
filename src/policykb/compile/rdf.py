"""The loaded model as one RDF graph in public vocabularies (docs/rdf-contract.md).

Reads a validated `Model` and its vocabulary (`policykb.vocab`: the RDF types and IRI path of
each kind, the properties of relations, identifier schemes and stages); returns an rdflib `Graph`,
writes nothing. Every node has an IRI (no blank nodes), built from ids
under one base, so the same input gives the same graph. Only confirmed links become triples; a
typed link (`kb:implements`) also states its super-property (`kb:concerns`). Retired measures and
records are left out of the graph (their ids stay reserved in `policy/` and `kb/`).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from policykb.collector import settle
from policykb.compile.terms import DEFAULT_BASE, ELI, ELI_DL, OA, ORG, PREFIXES, iris
from policykb.compile.triples import Triples
from policykb.load import AgreementData, Model
from policykb.model import Evidence, EvidenceItem, Identifier, KbRecord, Measure
from policykb.parse.outline import slug
from policykb.problems import DataError
from policykb.progress import CONDITION_STATES, evaluate
from policykb.vocab import JURISDICTIONS, Scheme

CONTEXT_CHARACTERS = 32
"""Length of the `oa:prefix` and `oa:suffix` of a quote selector."""


class Builder:
    """Adds the model to a graph, one entity at a time; `iri_of` names every kb record."""

    def __init__(self, model: Model, base: str = DEFAULT_BASE) -> None:
        self.model = model
        self.base = base
        self.vocabulary = vocabulary = model.vocabulary
        self.names = iris(base, vocabulary.folder)
        self.kb, self.id = self.names.kb, self.names.id
        self.resolved = self._resolved()
        self.types = {name: [self.resolved[curie] for curie in kind.rdf] for name, kind in vocabulary.kinds.items()}
        self.eli_dates = {
            name: self.resolved[stage.eli_date] for name, stage in vocabulary.stages.items() if stage.eli_date
        }
        self.record_properties = {
            name: self.resolved[relation.rdf] for name, relation in vocabulary.record_relations.items()
        }
        self.records = {key: entry.record for key, entry in model.kb.items()}
        self.triples = Triples(
            {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
            | {"kb": str(self.kb), "id": str(self.id)}
        )
        """The graph being built (`compile/triples.py`: no rdflib store; `to_graph` makes one)."""

    def _resolved(self) -> dict[str, URIRef]:
        """Every CURIE of the vocabulary and the `kb:` property of every relation, resolved; one
        that names nothing is a problem located in the vocabulary file that names it."""
        resolved, problems = {}, []
        wanted = self.vocabulary.curies() + [
            ("relations.yaml", name, f"kb:{self.vocabulary.property_of(name)}") for name in self.vocabulary.relations
        ]
        for file, entry, curie in wanted:
            try:
                resolved[curie] = self.names.resolve(curie)
            except KeyError as error:
                problems.append(self.vocabulary.located(file, entry, str(error.args[0])))
        if problems:
            raise DataError(problems)
        return resolved

    # --- helpers ---------------------------------------------------------------------------------

    def add(self, subject: URIRef | None, predicate: URIRef, value: URIRef | Literal | None) -> None:
        """Add a triple; a missing subject or value (an unknown reference, which `check` reports)
        adds nothing."""
        if subject is not None and value is not None:
            self.triples.add((subject, predicate, value))

    def labels(self, subject: URIRef, predicate: URIRef, nl: str, en: str | None = None) -> None:
        self.add(subject, predicate, Literal(nl, lang="nl"))
        if en:
            self.add(subject, predicate, Literal(en, lang="en"))

    def comment(self, subject: URIRef, en: str | None, nl: str | None) -> None:
        """A curator's note as `rdfs:comment`: the English note and its Dutch `toelichting`."""
        self.add(subject, RDFS.comment, Literal(en, lang="en") if en else None)
        self.add(subject, RDFS.comment, Literal(nl, lang="nl") if nl else None)

    def iri_of(self, key: str) -> URIRef:
        """A record's own public IRI where an identifier is one (an EU act's ELI), else ours."""
        record = self.model.kb[key].record
        for scheme, identifier in sorted(record.identifiers.items()):
            prefix = self.vocabulary.schemes[scheme].iri_prefix
            if prefix and identifier.value.startswith(prefix):
                return URIRef(identifier.value)
        return self.id[f"{self.vocabulary.kinds[record.kind].path}/{key}"]

    def ref(self, key: str) -> URIRef | None:
        """The IRI of an active kb record, or None for an unknown or retired id."""
        entry = self.model.kb.get(key)
        return self.iri_of(key) if entry is not None and entry.record.lifecycle == "active" else None

    def concept(self, scheme: str, key: str) -> URIRef:
        return self.id[f"{scheme}/{key}"]

    # --- the whole graph ---------------------------------------------------------------------------

    def build(self) -> Triples:
        self.schemes()
        self.hierarchy()
        for key in sorted(self.model.kb):
            record = self.model.kb[key].record
            if record.lifecycle == "active":
                self.record(record)
        for agreement in self.model.agreements:
            self.agreement(agreement)
            settle()  # the graph lives on for the run (policykb.collector)
        return self.triples

    def hierarchy(self) -> None:
        """The link relations' `rdfs:subPropertyOf` (kb:implements of kb:concerns, …), in the data
        itself, so a query over a relation and its sub-relations works on any dump alone."""
        for name, relation in self.vocabulary.relations.items():
            if relation.parent is not None:
                self.add(
                    self.kb[self.vocabulary.property_of(name)],
                    RDFS.subPropertyOf,
                    self.kb[self.vocabulary.property_of(relation.parent)],
                )

    def schemes(self) -> None:
        """The status, stage and theme schemes (SKOS), from `schema/` and `kb/themes/`."""
        titles = {
            "status": ("Statussen van maatregelen", "Statuses of measures"),
            "stage": ("Stadia van wetgeving", "Stages of legislation"),
            "theme": ("Thema's", "Themes"),
            "evidence": ("Soorten bewijs", "Kinds of evidence"),
            "condition-state": ("Stand van voorwaarden", "States of conditions"),
            "jurisdiction": ("Rechtsordes", "Jurisdictions"),
        }
        for scheme, (nl, en) in titles.items():
            iri = self.id[f"scheme/{scheme}"]
            self.add(iri, RDF.type, SKOS.ConceptScheme)
            self.labels(iri, SKOS.prefLabel, nl, en)
        for key, status in self.vocabulary.statuses.items():
            iri = self.top_concept("status", key, status.nl, status.en)
            self.add(iri, SKOS.definition, Literal(status.definition, lang="en"))
            self.add(iri, SKOS.definition, Literal(status.definitie, lang="nl"))
            scales = [
                f"{name}: {value}"
                for name, value in (("politifact", status.politifact), ("polimetre", status.polimetre))
                if value
            ]
            if scales:
                self.add(iri, SKOS.scopeNote, Literal("; ".join(scales), lang="en"))
        for key, stage in self.vocabulary.stages.items():
            iri = self.top_concept("stage", key, stage.nl, stage.en)
            self.add(iri, RDF.type, ELI_DL.ProcessStage)
            if stage.description:
                self.add(iri, SKOS.definition, Literal(stage.description, lang="en"))
        for key, kind in self.vocabulary.evidence.items():
            iri = self.top_concept("evidence", key, kind.nl, kind.en)
            self.add(iri, SKOS.definition, Literal(kind.definition, lang="en"))
            self.add(iri, self.kb.official, Literal(kind.official))
            self.add(iri, self.kb.news, Literal(kind.news))
        for key, (nl, en) in JURISDICTIONS.items():
            self.top_concept("jurisdiction", key, nl, en)
        for key, (nl, en) in CONDITION_STATES.items():
            self.top_concept("condition-state", key, nl, en)

    def top_concept(self, scheme: str, key: str, nl: str, en: str) -> URIRef:
        """A concept at the top of one of the schemes above: its notation (the YAML id) and labels."""
        iri = self.concept(scheme, key)
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.inScheme, self.id[f"scheme/{scheme}"])
        self.add(iri, SKOS.topConceptOf, self.id[f"scheme/{scheme}"])
        self.add(iri, SKOS.notation, Literal(key))
        self.labels(iri, SKOS.prefLabel, nl, en)
        return iri

    # --- kb records ----------------------------------------------------------------------------------

    def record(self, record: KbRecord) -> None:
        iri = self.iri_of(record.id)
        kind = self.vocabulary.kinds[record.kind]
        for cls in self.types[record.kind]:
            self.add(iri, RDF.type, cls)
        self.add(iri, DCTERMS.identifier, Literal(record.id))
        self.labels(iri, SKOS.prefLabel, record.name.nl, record.name.en)
        if kind.titled:
            self.labels(iri, DCTERMS.title, record.name.nl, record.name.en)
        for alias in record.alias_forms():
            if alias.text not in (record.name.nl, record.name.en):
                self.add(iri, SKOS.altLabel, Literal(alias.text))
        if kind.target_class == "theme":
            scheme = self.id["scheme/theme"]
            self.add(iri, SKOS.inScheme, scheme)
            self.add(iri, SKOS.notation, Literal(record.id))  # as every concept of the contract has
            if record.parent:
                self.add(iri, SKOS.broader, self.ref(record.parent))
                self.add(self.ref(record.parent), SKOS.narrower, iri)
            else:
                self.add(iri, SKOS.topConceptOf, scheme)
        elif record.parent:
            self.add(iri, ORG.subOrganizationOf, self.ref(record.parent))
        if kind.jurisdiction:
            self.add(iri, self.kb.jurisdiction, self.concept("jurisdiction", kind.jurisdiction))
            if kind.legal:
                self.add(iri, ELI.jurisdiction, self.concept("jurisdiction", kind.jurisdiction))
        for part in record.parts:
            self.add(iri, DCTERMS.hasPart, self.ref(part))
            self.add(self.ref(part), DCTERMS.isPartOf, iri)
        if kind.process:
            self.draft(record)
        for relation in record.relations:
            self.relation(iri, record, relation.relation, relation.target)
        self.identifiers(iri, record)
        self.events(iri, record)
        for source in record.sources:
            self.add(iri, DCTERMS.source, URIRef(source))
        self.comment(iri, record.notes, record.toelichting)

    def relation(self, iri: URIRef, record: KbRecord, name: str, target_key: str) -> None:
        """One relation between records. A bill's or procedure's relation that its draft carries
        (`draft` in record-relations.yaml: amends, as eli-dl:foresees_change_of) is stated on the
        draft, and to the target's draft when the target is a bill too (a novelle)."""
        target, definition = self.ref(target_key), self.vocabulary.record_relations[name]
        if definition.draft and self.vocabulary.kinds[record.kind].process:
            if target is not None and self.vocabulary.kinds[self.records[target_key].kind].process:
                target = self.draft(self.records[target_key])
            self.add(self.draft(record), self.resolved[definition.draft], target)
        else:
            self.add(iri, self.record_properties[name], target)

    def draft(self, record: KbRecord) -> URIRef:
        """The draft legislation a bill or EU procedure works on (`id/draft/{id}`), described once."""
        node = self.id[f"draft/{record.id}"]
        if (node, RDF.type, None) not in self.triples:
            self.add(node, RDF.type, ELI_DL.DraftLegislationWork)
            self.add(self.iri_of(record.id), self.kb.draft, node)
            self.labels(node, DCTERMS.title, record.name.nl, record.name.en)
        return node

    def identifiers(self, iri: URIRef, record: KbRecord) -> None:
        kind = self.vocabulary.kinds[record.kind]
        for scheme in sorted(record.identifiers):
            identifier, definition = record.identifiers[scheme], self.vocabulary.schemes[scheme]
            node = self.id[f"identifier/{record.id}/{scheme}"]
            self.add(iri, self.kb.hasIdentifier, node)
            self.add(node, RDF.type, self.kb.Identifier)
            self.add(node, self.kb.scheme, Literal(scheme))
            self.add(node, RDF.value, Literal(identifier.value))
            self.add(node, DCTERMS.source, URIRef(identifier.source) if identifier.source else None)
            self.add(node, self.kb.verification, Literal(identifier.status))
            self.add(node, self.kb.verified, Literal(identifier.status == "verified"))
            self.add(node, self.kb.confidence, Literal(identifier.confidence) if identifier.confidence else None)
            self.comment(node, identifier.note, identifier.toelichting)
            if definition.local_id and kind.legal:
                self.add(iri, ELI.id_local, Literal(identifier.value))
            if definition.process_id and kind.process:
                self.add(iri, ELI_DL.process_id, Literal(identifier.value))
            if identifier.status == "verified":  # links to other datasets only where a primary source showed it
                self.links(iri, kind.process, definition, identifier)

    def links(self, iri: URIRef, process: bool, definition: Scheme, identifier: Identifier) -> None:
        """The links a verified identifier makes to another dataset: its concept (as close as the
        curator's `match` says; see `identifiers`), the same thing's IRI there (`exact_match`; a
        procedure number names the process, so on the act it made it is only `rdfs:seeAlso`), and
        where to read it (`see_also`, unless the value is the record's own IRI)."""
        value = identifier.value
        match = _iri(definition.url(definition.exact_match, value))
        self.add(iri, SKOS.exactMatch if process or not definition.process_id else RDFS.seeAlso, match)
        if definition.concept:
            self.add(iri, SKOS[f"{identifier.match or 'close'}Match"], URIRef(value))
        is_own_iri = definition.iri_prefix is not None and value.startswith(definition.iri_prefix)
        see_also = definition.url(definition.see_also, value)
        if see_also and not is_own_iri:
            self.add(iri, RDFS.seeAlso, URIRef(see_also))

    def events(self, iri: URIRef, record: KbRecord) -> None:
        kind = self.vocabulary.kinds[record.kind]
        first: dict[str, Literal] = {}
        for index, event in enumerate(record.events, start=1):
            node = self.id[f"event/{record.id}/{index}"]
            date = Literal(event.date.isoformat(), datatype=XSD.date)
            self.add(iri, self.kb.hasEvent, node)
            self.add(node, RDF.type, self.kb.Event)
            self.add(node, self.kb.stage, self.concept("stage", event.stage))
            self.add(node, DCTERMS.date, date)
            self.add(node, DCTERMS.source, URIRef(event.source))
            self.add(node, self.kb.verification, Literal(event.status))
            self.comment(node, event.note, event.toelichting)
            if kind.process:  # a step of the legislative process (ELI-DL)
                self.add(node, RDF.type, ELI_DL.LegislativeActivity)
                self.add(iri, ELI_DL.consists_of, node)
                self.add(node, ELI_DL.activity_date, date)
                self.add(node, ELI_DL.had_activity_type, self.concept("stage", event.stage))
            if event.stage not in first or event.date.isoformat() < str(first[event.stage]):
                first[event.stage] = date
        if kind.legal:
            for stage, date in sorted(first.items()):
                if stage in self.eli_dates:
                    self.add(iri, self.eli_dates[stage], date)
        if kind.process and record.events:
            latest = max(enumerate(record.events), key=lambda item: (item[1].date, item[0]))[1]
            self.add(iri, ELI_DL.current_stage, self.concept("stage", latest.stage))

    # --- agreements and measures ----------------------------------------------------------------------

    def agreement(self, data: AgreementData) -> None:
        agreement = data.agreement
        iri = self.id[f"agreement/{data.id}"]
        self.add(iri, RDF.type, ELI.Work)
        self.add(iri, DCTERMS.identifier, Literal(data.id))
        self.add(iri, DCTERMS.title, Literal(agreement.title, lang=agreement.language))
        self.add(iri, DCTERMS.language, Literal(agreement.language))
        if agreement.date.value is not None:
            self.add(iri, ELI.date_document, Literal(agreement.date.value.isoformat(), datatype=XSD.date))
        for party in agreement.parties:
            node = self.id[f"party/{slug(party, limit=80)}"]
            self.add(iri, DCTERMS.contributor, node)
            self.add(node, RDF.type, ORG.Organization)
            self.add(node, RDF.type, self.kb.PoliticalParty)
            self.labels(node, SKOS.prefLabel, party, party)  # a party's name is the same in both
        if agreement.publisher:
            self.add(iri, DCTERMS.publisher, Literal(agreement.publisher))
        if agreement.origin.url:
            self.add(iri, DCTERMS.source, URIRef(agreement.origin.url))
        text = self.id[f"text/{data.id}"]
        self.add(text, RDF.type, self.kb.SourceText)
        self.add(text, DCTERMS.isFormatOf, iri)
        self.add(text, DCTERMS.format, Literal("text/plain"))
        if agreement.sha256 is not None:
            self.add(text, self.kb.sha256, Literal(agreement.sha256.text))
        for section in data.structure.sections:
            node = self.section_iri(data.id, section.id)
            parent = self.section_iri(data.id, section.parent) if section.parent else iri
            self.add(node, RDF.type, ELI.WorkSubdivision)
            self.add(node, DCTERMS.identifier, Literal(section.id))
            self.add(node, DCTERMS.title, Literal(section.title, lang=agreement.language))
            self.add(node, self.kb.level, Literal(section.level))
            self.add(node, ELI.is_part_of, parent)
            self.add(parent, ELI.has_part, node)
        for record in data.measures:
            if record.measure.lifecycle == "active":
                self.measure(data, record.measure, iri, text)

    def section_iri(self, agreement: str, section: str) -> URIRef:
        return self.id[f"section/{agreement}/{section}"]

    def measure(self, data: AgreementData, measure: Measure, agreement: URIRef, text: URIRef) -> None:
        language = data.agreement.language
        iri = self.id[f"measure/{measure.id}"]
        self.add(iri, RDF.type, self.kb.Measure)
        self.add(iri, DCTERMS.identifier, Literal(measure.id))
        self.add(iri, SKOS.prefLabel, Literal(measure.title, lang=language))
        self.add(iri, DCTERMS.isPartOf, agreement)
        self.add(iri, self.kb.statedIn, self.section_iri(data.id, measure.section))
        if measure.source is not None:
            self.span(data, measure, iri, text)
        agreement_iri = self.id[f"agreement/{data.id}"]
        for link in measure.links:
            target = self.ref(link.target)
            if link.review != "confirmed" or target is None:
                continue
            self.add(iri, self.kb[self.vocabulary.property_of(link.relation)], target)
            parent = self.vocabulary.relations[link.relation].parent
            if parent:
                self.add(iri, self.kb[self.vocabulary.property_of(parent)], target)
        for theme in measure.themes:
            self.add(iri, DCTERMS.subject, self.ref(theme))
        self.status(measure, iri, agreement_iri)
        if measure.condition is not None:
            self.condition(measure, iri)
        if measure.lead is not None:
            self.lead(measure, iri)
        if measure.no_organisation:
            self.add(iri, self.kb.noOrganisationReason, Literal(measure.no_organisation, lang="nl"))
        self.comment(iri, measure.notes, measure.toelichting)

    def span(self, data: AgreementData, measure: Measure, iri: URIRef, text: URIRef) -> None:
        assert measure.source is not None
        start, end = measure.source.start, measure.source.end
        span = self.id[f"span/{measure.id}"]
        target, quote, position = (self.id[f"span/{measure.id}/{part}"] for part in ("target", "quote", "position"))
        self.add(iri, self.kb.hasSourceSpan, span)
        self.add(span, RDF.type, OA.Annotation)
        self.add(span, OA.motivatedBy, OA.identifying)
        self.add(span, OA.hasBody, iri)
        self.add(span, OA.hasTarget, target)
        self.add(span, self.kb.page, Literal(measure.source.page) if measure.source.page is not None else None)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, text)
        self.add(target, OA.hasSelector, quote)
        self.add(target, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(measure.text))
        prefix, suffix = (
            data.text[max(0, start - CONTEXT_CHARACTERS) : start],
            data.text[end : end + CONTEXT_CHARACTERS],
        )
        self.add(quote, OA.prefix, Literal(prefix) if prefix else None)
        self.add(quote, OA.suffix, Literal(suffix) if suffix else None)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))

    def status(self, measure: Measure, iri: URIRef, agreement: URIRef) -> None:
        from rdflib.namespace import PROV

        for index, assessment in enumerate(measure.status, start=1):
            node = self.id[f"assessment/{measure.id}/{index}"]
            self.add(node, RDF.type, self.kb.StatusAssessment)
            self.add(node, RDF.type, PROV.Entity)
            self.add(node, self.kb.assesses, iri)
            self.add(node, self.kb.status, self.concept("status", assessment.value))
            # PROV-O wants an xsd:dateTime; an assessment is dated by the day (dcterms:date).
            self.add(
                node, PROV.generatedAtTime, Literal(f"{assessment.date.isoformat()}T00:00:00", datatype=XSD.dateTime)
            )
            self.add(node, DCTERMS.date, Literal(assessment.date.isoformat(), datatype=XSD.date))
            if assessment.assessor is not None:  # else the check fails (PK110): said, not invented
                agent = self.id[f"agent/{slug(assessment.assessor, limit=80)}"]
                self.add(node, PROV.wasAttributedTo, agent)
                self.add(agent, RDF.type, PROV.Agent)
                self.add(agent, RDFS.label, Literal(assessment.assessor))
            for evidence in assessment.evidence:
                self.add(node, PROV.wasDerivedFrom, self.evidence(evidence, agreement))
            if assessment.note:
                self.add(node, self.kb.evidenceNote, Literal(assessment.note, lang="nl"))
        if measure.status:
            self.add(iri, self.kb.status, self.concept("status", measure.status[-1].value))

    def evidence(self, evidence: EvidenceItem, agreement: URIRef) -> URIRef | None:
        """The evidence's IRI; a typed source is described where it is cited (its kind, title, date)."""
        if isinstance(evidence, Evidence):
            source = URIRef(evidence.url)
            if (source, DCTERMS.type, None) not in self.triples:  # cited twice: described once, as first cited
                self.add(source, DCTERMS.type, self.concept("evidence", evidence.type))
                self.add(source, DCTERMS.title, Literal(evidence.title) if evidence.title else None)
                if evidence.date is not None:
                    self.add(source, DCTERMS.date, Literal(evidence.date.isoformat(), datatype=XSD.date))
            return source
        if evidence == "agreement":
            return agreement
        return self.ref(evidence)

    def lead(self, measure: Measure, iri: URIRef) -> None:
        """The lead ministry: `kb:lead` to it, and the assignment with its source and certainty."""
        assert measure.lead is not None
        lead, node = measure.lead, self.id[f"lead/{measure.id}"]
        entry = self.model.kb.get(lead.organisation)
        if (
            entry is None
            or self.ref(lead.organisation) is None
            or self.vocabulary.target_class(entry.record.kind) != "organisation"
        ):
            return  # a retired or unknown record, or no organisation: check reports it (PK107)
        self.add(iri, self.kb.lead, self.ref(lead.organisation))
        self.add(iri, self.kb.hasLead, node)
        self.add(node, RDF.type, self.kb.LeadAssignment)
        self.add(node, self.kb.ministry, self.ref(lead.organisation))
        self.add(node, self.kb.minister, Literal(lead.minister, lang="nl") if lead.minister else None)
        self.add(node, DCTERMS.source, URIRef(lead.source))
        self.add(node, self.kb.verification, Literal(lead.status))
        self.add(node, self.kb.news, Literal(lead.news))
        self.add(node, RDFS.comment, Literal(lead.toelichting, lang="nl"))

    def condition(self, measure: Measure, iri: URIRef) -> None:
        assert measure.condition is not None
        node = self.id[f"condition/{measure.id}"]
        self.add(iri, self.kb.condition, node)
        self.add(node, RDF.type, self.kb.Condition)
        self.add(node, self.kb.combination, Literal("any" if measure.condition.any is not None else "all"))
        for index, waits in enumerate(measure.condition.waits_for(), start=1):
            requirement = self.id[f"condition/{measure.id}/{index}"]
            self.add(node, self.kb.requires, requirement)
            self.add(requirement, RDF.type, self.kb.Requirement)
            self.add(requirement, self.kb.process, self.ref(waits.bill))
            self.add(requirement, self.kb.stage, self.concept("stage", waits.stage))
            self.add(iri, self.kb.waitsOn, self.ref(waits.bill))
        evaluation = evaluate(measure.condition, self.records, self.vocabulary)
        self.add(node, self.kb.conditionState, self.concept("condition-state", evaluation.state))
        decided = evaluation.decided_by
        if decided is not None and decided.event is not None:
            record = self.records[decided.bill]
            position = next(n for n, event in enumerate(record.events, start=1) if event is decided.event)
            self.add(node, self.kb.decidedBy, self.id[f"event/{record.id}/{position}"])


def _iri(value: str | None) -> URIRef | None:
    return URIRef(value) if value else None


def build_graph(model: Model, base: str = DEFAULT_BASE) -> Graph:
    """The graph of `model` under `base`, as an rdflib graph."""
    return Builder(model, base).build().to_graph()
