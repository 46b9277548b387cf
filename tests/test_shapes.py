"""The SHACL shapes of schema/shapes/: each passes a valid graph and catches its own defect."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from policykb.compile.shacl import shapes_graph, validate
from policykb.vocab import default_vocabulary

HERE = Path(__file__).parent
SHAPES = shapes_graph()
PREFIXES = """
PREFIX kb: <https://w3id.org/policykb/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
SHAPE = "https://w3id.org/policykb/def/shapes#"


def valid() -> Graph:
    return Graph().parse(HERE / "shapes" / "valid.ttl")


def test_the_valid_graph_conforms() -> None:
    conforms, violations = validate(valid(), SHAPES)
    assert conforms, violations


DEFECTS = {
    "Measure/no-section": ("Measure", "DELETE WHERE { ?m kb:statedIn ?s }"),
    "Measure/two-sections": (
        "Measure",
        "INSERT DATA { <https://w3id.org/policykb/id/measure/m> kb:statedIn <https://w3id.org/policykb/id/section/a/t> "
        ". <https://w3id.org/policykb/id/section/a/t> a <http://data.europa.eu/eli/ontology#WorkSubdivision> "
        "}",
    ),
    "Measure/no-span": ("Measure", "DELETE WHERE { ?m kb:hasSourceSpan ?s }"),
    "Measure/no-label": ("Measure", "DELETE { ?m skos:prefLabel ?l } WHERE { ?m a kb:Measure ; skos:prefLabel ?l }"),
    "Measure/untagged-label": (
        "Measure",
        'DELETE { ?m skos:prefLabel ?l } INSERT { ?m skos:prefLabel "zonder taal" '
        "} WHERE { ?m a kb:Measure ; skos:prefLabel ?l }",
    ),
    "Measure/no-status": ("Measure", "DELETE { ?m kb:status ?s } WHERE { ?m a kb:Measure ; kb:status ?s }"),
    "Measure/involves-a-law": (
        "Measure",
        "DELETE WHERE { <https://w3id.org/policykb/id/organisation/ind> a <http://www.w3.org/ns/org#Organization> }",
    ),
    "Measure/two-leads": (
        "Measure",
        "INSERT DATA { <https://w3id.org/policykb/id/measure/m> "
        "kb:lead <https://w3id.org/policykb/id/organisation/ind> }",
    ),
    "LeadAssignment/no-source": (
        "LeadAssignment",
        "DELETE { ?l dcterms:source ?s } WHERE { ?l a kb:LeadAssignment ; dcterms:source ?s }",
    ),
    "LeadAssignment/no-ministry": (
        "LeadAssignment",
        "DELETE { ?l kb:ministry ?o } WHERE { ?l a kb:LeadAssignment ; kb:ministry ?o }",
    ),
    "LeadAssignment/english-reason": (
        "LeadAssignment",
        'DELETE { ?l rdfs:comment ?c } INSERT { ?l rdfs:comment "Per the news."@en } '
        "WHERE { ?l a kb:LeadAssignment ; rdfs:comment ?c }",
    ),
    "LeadAssignment/unknown-verification": (
        "LeadAssignment",
        'DELETE { ?l kb:verification ?v } INSERT { ?l kb:verification "probably" } '
        "WHERE { ?l a kb:LeadAssignment ; kb:verification ?v }",
    ),
    "SourceSpan/no-target": ("SourceSpan", "DELETE WHERE { ?s oa:hasTarget ?t }"),
    "SpanTarget/no-quote": (
        "SpanTarget",
        "DELETE WHERE { ?t oa:hasSelector <https://w3id.org/policykb/id/span/m/quote> }",
    ),
    "SpanTarget/no-position": (
        "SpanTarget",
        "DELETE WHERE { ?t oa:hasSelector <https://w3id.org/policykb/id/span/m/position> }",
    ),
    "SpanTarget/empty-quote": (
        "SpanTarget",
        'DELETE { ?q oa:exact ?e } INSERT { ?q oa:exact "" } WHERE { ?q oa:exact ?e }',
    ),
    "SpanTarget/negative-start": (
        "SpanTarget",
        'DELETE { ?p oa:start ?s } INSERT { ?p oa:start "-1"^^xsd:integer } WHERE { ?p oa:start ?s }',
    ),
    "StatusAssessment/undated": ("StatusAssessment", "DELETE WHERE { ?a prov:generatedAtTime ?d }"),
    "StatusAssessment/a-date-not-a-datetime": (
        "StatusAssessment",
        'DELETE { ?a prov:generatedAtTime ?d } INSERT { ?a prov:generatedAtTime "2026-11-29"^^xsd:date } '
        "WHERE { ?a prov:generatedAtTime ?d }",
    ),
    "StatusAssessment/by-nobody": ("StatusAssessment", "DELETE WHERE { ?a prov:wasAttributedTo ?agent }"),
    "Condition/not-evaluated": ("Condition", "DELETE WHERE { ?c kb:conditionState ?state }"),
    "IdentifierVerified/unsaid": ("IdentifierVerified", "DELETE WHERE { ?i kb:verified ?v }"),
    "IdentifierVerified/contradicts-verification": (
        "IdentifierVerified",
        "DELETE { ?i kb:verified ?v } INSERT { ?i kb:verified false } WHERE { ?i kb:verified ?v }",
    ),
    "LegislativeActivity/undated": ("LegislativeActivity", "DELETE WHERE { ?a eli-dl:activity_date ?d }"),
    "LegislativeActivity/of-no-process": ("LegislativeActivity", "DELETE WHERE { ?p eli-dl:consists_of ?a }"),
    "Draft/of-no-process": ("Draft", "DELETE WHERE { ?p kb:draft ?d }"),
    "StatusAssessment/no-evidence": ("StatusAssessment", "DELETE WHERE { ?a prov:wasDerivedFrom ?e }"),
    "Labelled/no-english": (
        "Labelled",
        "DELETE WHERE { <https://w3id.org/policykb/id/organisation/ind> skos:prefLabel "
        '"Immigration and Naturalisation Service"@en }',
    ),
    "Identifier/unsourced": (
        "Identifier",
        "DELETE WHERE { <https://w3id.org/policykb/id/identifier/ind/website> dcterms:source ?s }",
    ),
    "Event/unsourced": ("Event", "DELETE { ?e dcterms:source ?s } WHERE { ?e a kb:Event ; dcterms:source ?s }"),
    "Requirement/not-a-process": (
        "Requirement",
        "DELETE { ?r kb:process ?b } INSERT { ?r kb:process <https://w3id.org/policykb/id/organisation/ind> } "
        "WHERE { ?r kb:process ?b }",
    ),
    "StatusValue/unknown": (
        "StatusValue",
        "DELETE { ?m kb:status ?s } INSERT { ?m kb:status <https://w3id.org/policykb/id/status/started> "
        "} WHERE { ?m a kb:Measure ; kb:status ?s }",
    ),
    "StageValue/unknown": (
        "StageValue",
        "DELETE { ?r kb:stage ?s } INSERT { ?r kb:stage <https://w3id.org/policykb/id/stage/passed> "
        ". <https://w3id.org/policykb/id/stage/passed> "
        "a <http://data.europa.eu/eli/eli-draft-legislation-ontology#ProcessStage> "
        "} WHERE { ?r a kb:Requirement ; kb:stage ?s }",
    ),
    "IdentifierScheme/unknown": (
        "IdentifierScheme",
        'DELETE { ?i kb:scheme "website" } INSERT { ?i kb:scheme "homepage" } WHERE { ?i kb:scheme "website" }',
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_shape_catches_its_defect(defect: str) -> None:
    shape, update = DEFECTS[defect]
    graph = valid()
    before = len(graph)
    graph.update(PREFIXES + update)
    assert len(graph) != before or "INSERT" in update, "the defect must change the graph"
    conforms, violations = validate(graph, SHAPES)
    assert not conforms
    assert {violation.shape for violation in violations} == {SHAPE + shape}, violations


@pytest.mark.parametrize("scheme", sorted(default_vocabulary().schemes))
def test_identifier_patterns_pass_their_examples_and_refuse_others(scheme: str) -> None:
    for example in default_vocabulary().schemes[scheme].examples:
        graph = valid()
        graph.update(
            PREFIXES
            + 'DELETE { ?i kb:scheme "website" ; rdf:value ?v } '
            + f'INSERT {{ ?i kb:scheme "{scheme}" ; rdf:value "{example}" }} '
            + 'WHERE { ?i kb:scheme "website" ; rdf:value ?v }'
        )
        assert validate(graph, SHAPES)[0], (scheme, example)
        graph.update(
            PREFIXES
            + "DELETE { ?i rdf:value ?v } "
            + f'INSERT {{ ?i rdf:value "x {example}" }} WHERE {{ ?i kb:scheme "{scheme}" ; rdf:value ?v }}'
        )
        conforms, violations = validate(graph, SHAPES)
        assert not conforms and {v.shape for v in violations} == {f"{SHAPE}Identifier-{scheme}"}, violations
