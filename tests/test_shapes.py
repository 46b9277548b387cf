"""The SHACL shapes of schema/shapes/: each passes a valid graph and catches its own defect, with
either engine (`shacl_core` and pySHACL), and both engines give the same results."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from policykb.compile import shacl_core
from policykb.compile.shacl import Violation, shapes_graph, validate
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


ENGINES = ("core", "pyshacl")


def same(violations: list[Violation], shapes: Graph) -> list[tuple[str, str, str, str]]:
    """What both engines must agree on: shape, focus, path, severity, and the message where the
    shape words it (an engine's own wording of a failure may differ)."""
    worded = {str(shape) for shape in shapes.subjects(SH.message, None)}
    return sorted(
        (v.shape, v.focus, v.path, v.severity + (" " + v.message if v.shape in worded else "")) for v in violations
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_the_valid_graph_conforms(engine: str) -> None:
    conforms, violations = validate(valid(), SHAPES, engine)
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
def test_each_shape_catches_its_defect_and_both_engines_agree(defect: str) -> None:
    shape, update = DEFECTS[defect]
    graph = valid()
    before = len(graph)
    graph.update(PREFIXES + update)
    assert len(graph) != before or "INSERT" in update, "the defect must change the graph"
    found = {}
    for engine in ENGINES:
        conforms, violations = validate(graph, SHAPES, engine)
        assert not conforms, engine
        assert {violation.shape for violation in violations} == {SHAPE + shape}, (engine, violations)
        found[engine] = same(violations, SHAPES)
    assert found["core"] == found["pyshacl"]


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
        for engine in ENGINES:
            assert validate(graph, SHAPES, engine)[0], (engine, scheme, example)
        graph.update(
            PREFIXES
            + "DELETE { ?i rdf:value ?v } "
            + f'INSERT {{ ?i rdf:value "x {example}" }} WHERE {{ ?i kb:scheme "{scheme}" ; rdf:value ?v }}'
        )
        for engine in ENGINES:
            conforms, violations = validate(graph, SHAPES, engine)
            assert not conforms and {v.shape for v in violations} == {f"{SHAPE}Identifier-{scheme}"}, violations


# Every component shacl_core claims, on shapes and data written for it: a node that passes and a
# node that fails each one, so that an engine that ignored a component would miss a result.
COMPONENT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:count ; sh:minInclusive 1 ; sh:maxInclusive 9 ; sh:datatype xsd:integer ] ,
    [ sh:path ex:ratio ; sh:minExclusive 0 ; sh:maxExclusive 1 ] ,
    [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 5 ; sh:uniqueLang true ; sh:languageIn ( "nl" "en" ) ] ,
    [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ; sh:nodeKind sh:Literal ] ,
    [ sh:path ex:part ; sh:node ex:Part ; sh:severity sh:Warning ] ,
    [ sh:path ex:kind ; sh:xone ( [ sh:hasValue ex:a ] [ sh:in ( ex:a ex:b ) ] ) ] ,
    [ sh:path [ sh:inversePath ex:holds ] ; sh:maxCount 1 ; sh:class ex:Holder ] ,
    [ sh:path ex:tag ; sh:deactivated true ; sh:minCount 5 ] ,
    [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Big ] ; sh:qualifiedMaxCount 1 ] .
ex:Part a sh:NodeShape ; sh:not [ sh:class ex:Broken ] ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:class ex:Piece ] ) .
ex:Named a sh:NodeShape ; sh:targetNode ex:n1, ex:n2 ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Linked a sh:NodeShape ; sh:targetSubjectsOf ex:link ;
  sh:property [ sh:path ex:link ; sh:nodeKind sh:BlankNodeOrIRI ] .
ex:Kind a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:size ; sh:minCount 1 ; sh:message "A kind has a size." ] .
"""
COMPONENT_DATA = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Special rdfs:subClassOf ex:Thing . ex:Sub rdfs:subClassOf ex:Kind .
ex:good a ex:Thing ; ex:count 5 ; ex:ratio 0.5 ; ex:name "goed"@nl, "good"@en ; ex:code "ABc" ;
  ex:part ex:p1 ; ex:kind ex:b .
ex:p1 a ex:Piece . ex:p2 a ex:Piece, ex:Broken, ex:Big . ex:p3 a ex:Big, ex:Piece .
ex:h1 a ex:Holder ; ex:holds ex:good . ex:h2 ex:holds ex:bad . ex:h3 a ex:Holder ; ex:holds ex:bad .
ex:bad a ex:Special ; ex:count 12, "7" ; ex:ratio 1 ; ex:name "x"@nl, "langer dan vijf"@de, "ja"@nl ;
  ex:code "cab", ex:ab ; ex:part ex:p2, ex:p3, "los" ; ex:kind ex:a .
ex:n1 ex:name "een" . ex:s1 ex:link "tekst" . ex:s2 ex:link ex:n1 .
ex:k1 a ex:Sub . ex:k2 a ex:Kind ; ex:size 3 .
"""


def test_both_engines_agree_on_every_component() -> None:
    shapes = Graph().parse(data=COMPONENT_SHAPES, format="turtle")
    data = Graph().parse(data=COMPONENT_DATA, format="turtle")
    core = validate(data, shapes, "core")
    reference = validate(data, shapes, "pyshacl")
    assert core[0] is reference[0] is False
    assert same(core[1], shapes) == same(reference[1], shapes)
    failed = {(v.focus.removeprefix("http://example.org/"), v.path.replace("http://example.org/", "")) for v in core[1]}
    assert failed == {
        ("bad", "count"), ("bad", "ratio"), ("bad", "name"), ("bad", "code"), ("bad", "part"),
        ("bad", "kind"), ("bad", "^holds"), ("n2", "name"), ("s1", "link"), ("k1", "size"),
    }  # fmt: skip
    assert not any("good" in v.focus for v in core[1])
    assert {v.severity for v in core[1] if v.path.endswith("part") and "Part" in v.message} <= {"Warning"}


def test_shapes_beyond_the_core_engine_are_run_by_pyshacl() -> None:
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:closed true ; sh:property [ sh:path ex:p ] .",
        format="turtle",
    )
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:x a ex:T ; ex:p 1 ; ex:q 2 .", format="turtle")
    with pytest.raises(shacl_core.Unsupported, match="closed"):
        shacl_core.validate(shapes, data)
    disjoint = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:p ; "
        "sh:qualifiedValueShape [ sh:datatype ex:d ] ; sh:qualifiedMinCount 1 ; "
        "sh:qualifiedValueShapesDisjoint true ] .",
        format="turtle",
    )
    with pytest.raises(shacl_core.Unsupported, match="Disjoint"):  # accepted only where it changes nothing
        shacl_core.validate(disjoint, data)
    conforms, violations = validate(data, shapes)
    assert not conforms and "http://example.org/q" in {v.path for v in violations}  # closed: ex:q is not allowed
    assert "http://example.org/p" not in {v.path for v in violations}


EDGE_CASES = {  # shapes, data: where a first version of shacl_core and pySHACL disagreed (a review)
    "owl-class-target": (
        "ex:C a owl:Class, sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:a a ex:C .",
    ),
    "class-target-by-parameters": (
        "ex:C a rdfs:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:a a ex:C .",
    ),
    "recursive-shape": ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:S ] .", "ex:a ex:p ex:a ."),
    "own-constraint-component": (
        "ex:Forbid a sh:ConstraintComponent ; sh:parameter [ sh:path ex:forbid ] ; sh:propertyValidator [ "
        'a sh:SPARQLSelectValidator ; sh:select "SELECT $this ?value WHERE { $this $PATH ?value . '
        'FILTER (?value = $forbid) }" ] . ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; ex:forbid 1 ] .',
        "ex:a ex:p 1 .",
    ),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_the_core_engine_or_its_fallback_agrees_with_pyshacl(case: str) -> None:
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
    )
    shapes_text, data_text = EDGE_CASES[case]
    shapes = Graph().parse(data=prefixes + shapes_text, format="turtle")
    data = Graph().parse(data=prefixes + data_text, format="turtle")
    core, reference = validate(data, shapes), validate(data, shapes, "pyshacl")
    assert core[0] == reference[0] and same(core[1], shapes) == same(reference[1], shapes)


def test_a_boolean_is_not_comparable_with_a_number() -> None:
    # SHACL 4.3 (value range): a value node that cannot be compared with the bound is a result.
    # pySHACL 0.40 lets `true` pass `sh:maxInclusive 1` (and even `sh:maxInclusive 0`) but refuses
    # `1` against `sh:maxInclusive true`; shacl_core refuses both, as the specification says.
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
    for bound, value in (("1", "true"), ("true", "1")):
        shapes = Graph().parse(
            data=prefixes + f"ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxInclusive {bound} ] .",
            format="turtle",
        )
        data = Graph().parse(data=prefixes + f"ex:a ex:p {value} .", format="turtle")
        assert not validate(data, shapes)[0], (bound, value)
