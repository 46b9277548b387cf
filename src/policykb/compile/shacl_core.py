"""A SHACL Core engine for the shapes policykb writes: the shapes graph read once into plain
Python objects, the data graph indexed once by the predicates the shapes name, then every
constraint a dictionary look-up (issue 16: pySHACL took 30 s on the graph of 5,000 measures).

Reads a shapes graph and a data graph (rdflib); returns the validation results as
`(source shape, focus node, path, message, severity)` tuples, the shape being the shape that
holds the failed constraint, as pySHACL reports it. Writes nothing. Implements the targets, the
value-type, cardinality, value-range, string, property-pair-free logical and shape-based
components of SHACL Core (https://www.w3.org/TR/shacl/#core-components) over predicate and
inverse paths; a shapes graph that uses anything else (SPARQL constraints, constraint components
of its own, complex paths, `sh:closed`, `sh:qualifiedValueShapesDisjoint true`, a shape that
needs itself on the same node) raises `Unsupported`, and `policykb.compile.shacl` runs pySHACL instead. The
tests run both engines on every shape's passing and failing graphs and require the same results.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from policykb.compile.triples import Triples

Result = tuple[Node, Node, str, str, str]
"""One validation result: source shape, focus node, path, message, severity (a local name)."""
Checker = Callable[[list[Node]], list[str]]
"""A constraint made ready: the value nodes of one focus node → one message per failure."""

TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
PARAMETERS = {
    *TARGETS,
    SH.path,
    SH.property,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.flags,
    SH.languageIn,
    SH.uniqueLang,
    SH["in"],
    SH.hasValue,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
    SH.node,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
}
"""The shape parameters this engine knows; any other `sh:` predicate on a shape is `Unsupported`."""

NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass(frozen=True)
class Path:
    """A predicate path, or the inverse of one (`sh:inversePath`)."""

    predicate: URIRef
    inverse: bool = False

    def __str__(self) -> str:
        return f"^{self.predicate}" if self.inverse else str(self.predicate)


@dataclass
class Shape:
    """One shape of the shapes graph, its parameters read into fields."""

    node: Node
    path: Path | None = None
    targets: dict[Node, list[Node]] = field(default_factory=dict)
    constraints: list[tuple[Node, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    message: str = ""
    severity: str = "Violation"
    deactivated: bool = False
    qualified: tuple[int | None, int | None] = (None, None)
    """`sh:qualifiedMinCount` and `sh:qualifiedMaxCount`, for its `sh:qualifiedValueShape`."""

    @property
    def path_text(self) -> str:
        return "" if self.path is None else str(self.path)


def validate(shapes_graph: Graph, data: Graph | Triples) -> list[Result]:
    """Every result of validating `data` against the shapes of `shapes_graph` (no inference)."""
    shapes = Shapes(shapes_graph)
    return Validator(shapes, data).run()


class Shapes:
    """The shapes of a shapes graph: each read once; the top-level ones are those with targets."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.by_node: dict[Node, Shape] = {}
        if any(graph.subjects(RDF.type, SH.ConstraintComponent)) or any(graph.subjects(SH.parameter, None)):
            raise Unsupported("constraint components of the shapes' own (sh:ConstraintComponent)")
        roots = {node for target in TARGETS for node in graph.subjects(target, None)}
        self.classes = self._classes()
        roots |= self.classes  # a shape that is also a class targets its instances (implicit class target)
        self.roots = [self.shape(node) for node in sorted(roots, key=str)]

    def _classes(self) -> set[Node]:
        """The shapes that are also classes: typed rdfs:Class or owl:Class (or a subclass of
        either, said in the shapes graph), and a shape by their type or by a shape's parameter."""
        kinds: set[Node] = {RDFS.Class, OWL.Class}
        todo: list[Node] = [RDFS.Class, OWL.Class]
        while todo:
            for narrower in self.graph.subjects(RDFS.subClassOf, todo.pop()):
                if narrower not in kinds:
                    kinds.add(narrower)
                    todo.append(narrower)
        shapes = {node for kind in (SH.NodeShape, SH.PropertyShape) for node in self.graph.subjects(RDF.type, kind)}
        found = set()
        for kind in kinds:
            for node in self.graph.subjects(RDF.type, kind):
                parameters = {p for p in self.graph.predicates(node) if p in PARAMETERS and p not in TARGETS}
                if node in shapes or parameters:
                    found.add(node)
        return found

    def shape(self, node: Node) -> Shape:
        if node in self.by_node:
            return self.by_node[node]
        shape = Shape(node)
        self.by_node[node] = shape  # before the parameters: shapes may refer to each other
        graph = self.graph
        for predicate, value in sorted(graph.predicate_objects(node), key=lambda pair: (str(pair[0]), str(pair[1]))):
            if not str(predicate).startswith(str(SH)) or predicate in (SH.name, SH.description, SH.order, SH.group):
                continue
            if predicate not in PARAMETERS:
                raise Unsupported(f"{predicate} on shape {node}")
            if predicate == SH.qualifiedValueShapesDisjoint and getattr(value, "value", value) is not False:
                raise Unsupported(f"sh:qualifiedValueShapesDisjoint true on shape {node}")
            if predicate in TARGETS:
                shape.targets.setdefault(predicate, []).append(value)
            elif predicate == SH.path:
                shape.path = self._path(value)
            elif predicate == SH.property:
                shape.properties.append(self.shape(value))
            elif predicate == SH.message:
                shape.message = str(value)
            elif predicate == SH.severity:
                shape.severity = str(value).rsplit("#", 1)[-1]
            elif predicate == SH.deactivated:
                shape.deactivated = bool(getattr(value, "value", False))
            elif predicate in (SH["or"], SH["and"], SH.xone):
                shape.constraints.append((predicate, [self.shape(item) for item in Collection(graph, value)]))
            elif predicate in (SH["not"], SH.node):
                shape.constraints.append((predicate, self.shape(value)))
            elif predicate in (SH["in"], SH.languageIn):
                shape.constraints.append((predicate, list(Collection(graph, value))))
            elif predicate == SH.qualifiedValueShape:
                shape.constraints.append((predicate, self.shape(value)))
                low, high = graph.value(node, SH.qualifiedMinCount), graph.value(node, SH.qualifiedMaxCount)
                shape.qualified = (_number(low), _number(high))
            elif predicate == SH.pattern:
                flags = graph.value(node, SH.flags)
                shape.constraints.append((predicate, _regex(str(value), str(flags or ""))))
            elif predicate not in (
                SH.flags,
                SH.defaultValue,
                SH.qualifiedMinCount,
                SH.qualifiedMaxCount,
                SH.qualifiedValueShapesDisjoint,  # false: nothing to do (true is refused above)
            ):
                shape.constraints.append((predicate, value))
        return shape

    def _path(self, value: Node) -> Path:
        if isinstance(value, URIRef):
            return Path(value)
        inverse = self.graph.value(value, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(self.graph.predicate_objects(value))) == 1:
            return Path(inverse, inverse=True)
        raise Unsupported(f"the path {value} (only a predicate or sh:inversePath of one)")

    def predicates(self) -> set[Path]:
        """Every path any shape follows."""
        return {shape.path for shape in self.by_node.values() if shape.path is not None}


class Validator:
    """The shapes run on one data graph, indexed once by the paths they follow."""

    def __init__(self, shapes: Shapes, data: Graph | Triples) -> None:
        self.shapes = shapes
        self.data = data
        self.index: dict[Path, dict[Node, list[Node]]] = {}
        for path in shapes.predicates() | {Path(RDF.type), Path(RDFS.subClassOf)}:
            values: dict[Node, list[Node]] = defaultdict(list)
            for subject, value in data.subject_objects(path.predicate):
                if path.inverse:
                    subject, value = value, subject
                values[subject].append(value)
            self.index[path] = values
        self.instances: dict[Node, set[Node]] = defaultdict(set)  # class → its SHACL instances
        for node, classes in self.index[Path(RDF.type)].items():
            for kind in classes:
                for ancestor in self._superclasses(kind):
                    self.instances[ancestor].add(node)
        self.memo: dict[tuple[Node, Node], bool] = {}
        self.checkers: dict[Node, list[Checker]] = {}
        self.checking: set[tuple[Node, Node]] = set()

    def _superclasses(self, kind: Node) -> set[Node]:
        seen, todo = {kind}, [kind]
        while todo:
            for parent in self.index[Path(RDFS.subClassOf)].get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def run(self) -> list[Result]:
        results: list[Result] = []
        for shape in self.shapes.roots:
            for focus in sorted(self._focus_nodes(shape), key=str):
                results.extend(self.check(shape, focus))
        return results

    def _focus_nodes(self, shape: Shape) -> set[Node]:
        nodes: set[Node] = set()
        for kind, values in shape.targets.items():
            for value in values:
                if kind == SH.targetClass:
                    nodes |= self.instances.get(value, set())
                elif kind == SH.targetNode:
                    nodes.add(value)
                elif kind == SH.targetObjectsOf:
                    nodes.update(self.data.objects(None, value))
                else:
                    nodes.update(self.data.subjects(value, None))
        if shape.node in self.shapes.classes:
            nodes |= self.instances.get(shape.node, set())
        return nodes

    def conforms(self, shape: Shape, focus: Node) -> bool:
        key = (shape.node, focus)
        if key not in self.memo:
            if key in self.checking:  # a shape that needs itself on the same node: pySHACL's to answer
                raise Unsupported(f"the recursive shape {shape.node}")
            self.checking.add(key)
            self.memo[key] = next(iter(self.check(shape, focus)), None) is None
            self.checking.discard(key)
        return self.memo[key]

    def check(self, shape: Shape, focus: Node) -> Iterator[Result]:
        """The results of `shape` on one focus node (its property shapes included)."""
        if shape.deactivated:
            return
        values = [focus] if shape.path is None else self.index[shape.path].get(focus, [])
        for checker in self._checkers(shape):
            for message in checker(values):
                yield (shape.node, focus, shape.path_text, shape.message or message, shape.severity)
        for child in shape.properties:
            for value in values:
                yield from self.check(child, value)

    def _checkers(self, shape: Shape) -> list[Checker]:
        """The shape's constraints, each made once into a function of the value nodes."""
        if shape.node not in self.checkers:
            self.checkers[shape.node] = [self._checker(shape, *constraint) for constraint in shape.constraints]
        return self.checkers[shape.node]

    def _checker(self, shape: Shape, component: Node, parameter: object) -> Checker:
        """One constraint component as a function: the value nodes → one message per failure."""
        if component in (SH.minCount, SH.maxCount):
            bound, fewer = _count(parameter), component == SH.minCount
            word = "Less" if fewer else "More"
            return lambda values: (
                [f"{word} than {bound} values"] if (len(values) < bound if fewer else len(values) > bound) else []
            )
        if component == SH.hasValue:
            return lambda values: [] if parameter in values else [f"Missing expected value {parameter}"]
        if component == SH.uniqueLang:
            if not getattr(parameter, "value", False):
                return lambda values: []
            return _unique_languages
        if component == SH.qualifiedValueShape:
            assert isinstance(parameter, Shape)
            low, high = shape.qualified

            def qualified(values: list[Node]) -> list[str]:
                count = sum(1 for value in values if self.conforms(parameter, value))
                messages = (
                    [f"Fewer than {low} values conform to {parameter.node}"] if low is not None and count < low else []
                )
                if high is not None and count > high:
                    messages.append(f"More than {high} values conform to {parameter.node}")
                return messages

            return qualified
        test = self._test(component, parameter)
        name = f"{str(component).rsplit('#', 1)[-1]} {_show(parameter)}"
        return lambda values: [f"{value} does not satisfy {name}" for value in values if not test(value)]

    def _test(self, component: Node, parameter: object):  # noqa: ANN202 - a predicate on one value node
        """The test a value node must pass for a component that looks at one value at a time."""
        if component == SH["class"]:
            members = self.instances.get(parameter, set())  # type: ignore[call-overload]
            return lambda value: value in members
        if component == SH.datatype:
            return lambda value: _has_datatype(value, parameter)
        if component == SH.nodeKind:
            kinds = NODE_KINDS.get(parameter)  # type: ignore[call-overload]
            if kinds is None:
                raise Unsupported(f"sh:nodeKind {parameter}")
            return lambda value: isinstance(value, kinds)
        if component == SH["in"]:
            allowed = list(parameter)  # type: ignore[call-overload]
            return lambda value: value in allowed  # rdflib's term equality, as pySHACL's
        if component == SH.languageIn:
            ranges = [str(item).lower() for item in parameter]  # type: ignore[attr-defined]
            return lambda value: isinstance(value, Literal) and _language_in(value.language, ranges)
        if component == SH.pattern:
            return lambda value: not isinstance(value, BNode) and parameter.search(str(value)) is not None  # type: ignore[attr-defined]
        if component in (SH.minLength, SH.maxLength):
            bound = _count(parameter)
            longer = component == SH.minLength
            return lambda value: (
                not isinstance(value, BNode) and (len(str(value)) >= bound if longer else len(str(value)) <= bound)
            )
        if component in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            return lambda value: _in_range(component, value, parameter)
        if component == SH["or"]:
            return lambda value: any(self.conforms(item, value) for item in parameter)  # type: ignore[attr-defined]
        if component == SH["and"]:
            return lambda value: all(self.conforms(item, value) for item in parameter)  # type: ignore[attr-defined]
        if component == SH.xone:
            return lambda value: sum(self.conforms(item, value) for item in parameter) == 1  # type: ignore[attr-defined]
        if component == SH["not"]:
            return lambda value: not self.conforms(parameter, value)  # type: ignore[arg-type]
        if component == SH.node:
            return lambda value: self.conforms(parameter, value)  # type: ignore[arg-type]
        raise Unsupported(str(component))


def _unique_languages(values: list[Node]) -> list[str]:
    tags = [value.language.lower() for value in values if isinstance(value, Literal) and value.language]
    return [f"More than one value with the language {tag}" for tag in sorted({t for t in tags if tags.count(t) > 1})]


def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    value = 0
    for letter in flags:
        value |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(letter, 0)
    return re.compile(pattern, value)


def _count(value: object) -> int:
    return int(getattr(value, "value", value))  # type: ignore[call-overload]


def _number(value: Node | None) -> int | None:
    return None if value is None else _count(value)


def _show(parameter: object) -> str:
    if isinstance(parameter, Shape):
        return str(parameter.node)
    if isinstance(parameter, list):
        return "(" + " ".join(_show(item) for item in parameter) + ")"
    return str(getattr(parameter, "pattern", parameter))


def _has_datatype(value: Node, datatype: object) -> bool:
    if not isinstance(value, Literal):
        return False
    actual = value.datatype or (RDF.langString if value.language else XSD.string)
    return actual == datatype and not getattr(value, "ill_typed", False)


def _language_in(tag: str | None, ranges: list[str]) -> bool:
    if not tag:
        return False
    tag = tag.lower()
    return any(wanted == "*" or tag == wanted or tag.startswith(wanted + "-") for wanted in ranges)


def _in_range(component: Node, value: Node, bound: object) -> bool:
    if not isinstance(value, Literal) or not isinstance(bound, Literal) or getattr(value, "ill_typed", False):
        return False
    if isinstance(value.value, bool) != isinstance(bound.value, bool):  # SPARQL compares no boolean with a number
        return False
    try:
        if component == SH.minInclusive:
            return bool(value.value >= bound.value)
        if component == SH.maxInclusive:
            return bool(value.value <= bound.value)
        if component == SH.minExclusive:
            return bool(value.value > bound.value)
        return bool(value.value < bound.value)
    except TypeError:  # incomparable values fail the constraint
        return False
