"""The traceability rules of `policykb check`, each with a stable code, a severity and a reason.

A rule is a function of the `Context` (the model as loaded, with the problems loading found, the
profile, and the graph compiled in memory) that returns its problems and, where it measures
something, its figures. Rules read the curated files through the context and write nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

from policykb import yamlio
from policykb.check.profile import Profile
from policykb.compile.triples import Triples
from policykb.load import AgreementData, Model
from policykb.model import fingerprint, sha256_bytes
from policykb.problems import Concern, DataError, Problem
from policykb.repo import Repo
from policykb.text import furniture_share


@dataclass
class Context:
    """What every rule may look at."""

    repo: Repo
    model: Model
    load_problems: list[Problem]
    profile: Profile
    profile_path: Path
    compiled: Any = None
    """The graph this run already compiled from the same model (`policykb site`), if any."""

    @cached_property
    def builder(self):
        from policykb.compile.rdf import Builder

        return self.compiled.builder if self.compiled is not None else Builder(self.model)

    @cached_property
    def graph(self) -> Triples:
        """The model compiled in memory (never read from build/): once per run."""
        return self.compiled.triples if self.compiled is not None else self.builder.build()

    @cached_property
    def ntriples(self) -> bytes | None:
        """The graph's N-Triples when this run already wrote them (`policykb site`)."""
        return self.compiled.files.get("kb.nt") if self.compiled is not None else None

    def loaded(self, concern: Concern) -> list[Problem]:
        """The problems loading found that concern one rule (`Problem.concern`)."""
        return [problem for problem in self.load_problems if problem.concern == concern]

    @cached_property
    def _measure_paths(self) -> dict[str, Path]:
        return {record.measure.id: record.path for record in self.model.measures()}

    def measure_path(self, measure_id: str) -> Path | None:
        return self._measure_paths.get(measure_id)


@dataclass
class Outcome:
    """What one rule found."""

    problems: list[Problem] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    run: Callable[[Context], Outcome]
    titel: str
    """The title in Dutch."""

    @property
    def why(self) -> str:
        return " ".join((self.run.__doc__ or "").split())


RULES: list[Rule] = []


def rule(
    code: str, severity: str, title: str, titel: str
) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    """Register a rule: its code, default severity, title, and the title in Dutch (`titel`, for
    the site's Controle page)."""

    def register(function: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        RULES.append(Rule(code, severity, title, function, titel))
        return function

    return register


def _text_line(text: str, offset: int, newlines: list[int] | None = None) -> int:
    newlines = newlines if newlines is not None else [m.start() for m in re.finditer("\n", text)]
    return bisect.bisect_left(newlines, offset) + 1


# --- PK100 ------------------------------------------------------------------------------------------


@rule(
    "PK100",
    "error",
    "every curated file loads and validates",
    "elk gecureerd bestand is te lezen en klopt met het schema",
)
def files_load(context: Context) -> Outcome:
    """A file that cannot be read (YAML syntax, a duplicate key, an alias or tag, invalid UTF-8) or
    breaks the schema is data nobody can trust; every other file is still checked."""
    return Outcome(context.loaded("file"))


# --- PK101 ------------------------------------------------------------------------------------------


@rule(
    "PK101",
    "error",
    "every character of the text is accounted for, once",
    "elk teken van de tekst is precies één keer verantwoord",
)
def source_coverage(context: Context) -> Outcome:
    """Independent of how parse found the bullets: every non-whitespace character of `text.txt` lies
    in exactly one heading, intro paragraph, measure or excluded block (a measure promoted from
    prose lies inside its intro paragraph). A character in none is a commitment nobody tracks; a
    character in two is counted twice. Text parse removed as page furniture (listed in the page
    map, for a person to review) is counted too, and may not exceed the agreement's limit."""
    outcome = Outcome()
    threshold = context.profile.thresholds.source_coverage
    agreements = []
    for agreement in context.model.agreements:
        figures, problems = _coverage(agreement)
        outcome.problems += problems
        agreements.append(figures)
        if figures["percent"] < threshold:
            outcome.problems.append(
                Problem(
                    agreement.folder / "text.txt",
                    None,
                    None,
                    f"{figures['percent']:.2f} % of {figures['characters']} characters accounted "
                    f"for; the profile asks {threshold:g} %",
                )
            )
    outcome.metrics["agreements"] = agreements
    return outcome


def _coverage(agreement: AgreementData) -> tuple[dict[str, Any], list[Problem]]:
    text, structure = agreement.text, agreement.structure
    n = len(text)
    spans: dict[str, list[tuple[int, int, str]]] = {
        "heading": [],
        "preamble": [],
        "measure": [],
        "excluded": [],
        "prose": [],
    }
    for section in structure.sections:
        if section.heading is not None:
            spans["heading"].append((section.heading.start, section.heading.end, f"heading of {section.id}"))
    for preamble in structure.preambles:
        spans["preamble"].append((preamble.start, preamble.end, f"preamble {preamble.id}"))
    for block in structure.excluded:
        spans["excluded"].append((block.start, block.end, f"excluded {block.reason}"))
    for record in agreement.measures:
        measure = record.measure
        if measure.lifecycle == "active" and measure.source is not None:
            kind = "prose" if measure.origin == "prose" else "measure"
            spans[kind].append((measure.source.start, measure.source.end, f"measure {measure.id}"))
    counts = {kind: _counts(n, items) for kind, items in spans.items()}
    newlines = [m.start() for m in re.finditer("\n", text)]
    path = agreement.folder / "text.txt"
    problems = []
    for items in spans.values():
        ordered = sorted(items)
        for (start_a, end_a, name_a), (start_b, end_b, name_b) in pairwise(ordered):
            if start_b < end_a:
                problems.append(
                    Problem(
                        path,
                        _text_line(text, start_b, newlines),
                        None,
                        f"{name_b} [{start_b}:{end_b}] overlaps {name_a} [{start_a}:{end_a}]",
                    )
                )
    blocks = ("heading", "preamble", "measure", "excluded")
    status = []  # per character: "ok", "none", "many"
    for index in range(n):
        if text[index].isspace():
            status.append("space")
            continue
        total = sum(counts[kind][index] for kind in blocks)
        prose = counts["prose"][index]
        if total == 0 and prose == 0:
            status.append("none")
        elif total > 1 or prose > 1 or (prose and not counts["preamble"][index]) or (prose and total != 1):
            status.append("many")
        else:
            status.append("ok")
    index = 0
    while index < n:
        if status[index] in ("none", "many"):
            end = index
            while end < n and status[end] in (status[index], "space"):
                end += 1
            while end > index and status[end - 1] == "space":
                end -= 1
            excerpt = " ".join(text[index:end].split())
            excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "…"
            what = (
                "not in any heading, intro, measure or excluded block"
                if status[index] == "none"
                else "in more than one block"
            )
            problems.append(
                Problem(path, _text_line(text, index, newlines), None, f"[{index}:{end}] {what}: '{excerpt}'")
            )
            index = end
        else:
            index += 1
    sections = []
    starts = sorted((s.heading.start, s.id, s.title) for s in structure.sections if s.heading is not None)
    bounds: list[tuple[int, int, str | None, str]] = (
        [(0, starts[0][0], None, "(before the first heading)")] if starts and starts[0][0] > 0 else []
    )
    bounds += [
        (start, starts[i + 1][0] if i + 1 < len(starts) else n, key, title)
        for i, (start, key, title) in enumerate(starts)
    ]
    for start, end, key, title in bounds:
        characters = sum(1 for i in range(start, end) if status[i] != "space")
        covered = sum(1 for i in range(start, end) if status[i] == "ok")
        if characters:
            sections.append(
                {
                    "section": key,
                    "title": title,
                    "characters": characters,
                    "covered": covered,
                    "percent": round(100 * covered / characters, 2),
                }
            )
    characters = sum(1 for value in status if value != "space")
    covered = sum(1 for value in status if value == "ok")
    removed = structure.page_map.removed
    removed_characters, share = furniture_share(text, (item.text for item in removed))
    limit = agreement.agreement.max_removed_percent
    if share > limit:
        problems.append(
            Problem(
                agreement.folder / "structure.yaml",
                None,
                "page_map.removed",
                f"{len(removed)} lines ({share:.2f} % of the text) removed as page furniture, "
                f"more than the agreement's max_removed_percent ({limit:g} %)",
            )
        )
    figures = {
        "agreement": agreement.id,
        "characters": characters,
        "covered": covered,
        "percent": round(100 * covered / characters, 2) if characters else 100.0,
        "sections": sections,
        "removed": {
            "lines": len(removed),
            "characters": removed_characters,
            "percent": round(share, 2),
            "limit": limit,
        },
    }
    return figures, problems


def _counts(n: int, items: list[tuple[int, int, str]]) -> list[int]:
    """How many of `items` cover each offset (a difference array, linear in n + len(items))."""
    delta = [0] * (n + 1)
    for start, end, _ in items:
        delta[max(0, min(start, n))] += 1
        delta[max(0, min(end, n))] -= 1
    running, out = 0, []
    for index in range(n):
        running += delta[index]
        out.append(running)
    return out


# --- PK102 ------------------------------------------------------------------------------------------


@rule(
    "PK102",
    "error",
    "every quote is exact and every source is the one parsed",
    "elk citaat is letterlijk en elke bron is de geparste",
)
def quote_integrity(context: Context) -> Outcome:
    """A measure's text must be the very characters of `text.txt` at its offsets, with a matching
    fingerprint, and `source.txt` and `text.txt` must be the files parse read and wrote (their
    sha256 in `agreement.yaml`): otherwise a quote no longer proves what the agreement says."""
    problems = context.loaded("quote")
    for agreement in context.model.agreements:
        hashes = agreement.agreement.sha256
        if hashes is None:
            continue
        path = agreement.folder / "agreement.yaml"
        source = agreement.folder / agreement.agreement.source_file
        for name, file, expected in (
            ("sha256.source", source, hashes.source),
            ("sha256.text", agreement.folder / "text.txt", hashes.text),
        ):
            if not file.is_file():
                problems.append(Problem(path, None, name, f"{file.name} is missing"))
            elif sha256_bytes(file.read_bytes()) != expected:
                problems.append(
                    Problem(
                        path,
                        None,
                        name,
                        f"{file.name} changed since it was parsed (sha256 differs): run `policykb parse`",
                    )
                )
    return Outcome(problems)


# --- PK103 ------------------------------------------------------------------------------------------


@rule("PK103", "error", "parse is in step with the source", "de tekstindeling loopt gelijk met de bron")
def parse_in_step(context: Context) -> Outcome:
    """Re-parsing the committed source must change nothing: otherwise the measures describe a text
    that is not the one in the repository."""
    from policykb.parse import plan
    from policykb.problems import DataError

    problems = []
    for agreement in context.model.agreements:
        loaded = agreement.measures if not context.load_problems else None  # as loaded, when all loaded
        try:
            changes = plan(context.repo, agreement.id, measures=loaded).changes()
        except DataError as error:
            problems.append(Problem(agreement.folder, None, None, f"cannot re-parse: {str(error).splitlines()[0]}"))
            continue
        for path in changes:
            problems.append(Problem(path, None, None, "out of step with the source: run `policykb parse`"))
    return Outcome(problems)


# --- PK104, PK105 ----------------------------------------------------------------------------------


@rule(
    "PK104",
    "error",
    "every mention is reviewed, and no review is stale",
    "elke vermelding is beoordeeld en geen beoordeling is verouderd",
)
def links_reviewed(context: Context) -> Outcome:
    """Every mention the linker finds must be confirmed or rejected by a person, and every decision
    must have been made on the text as it is now (its `reviewed` fingerprint): an unreviewed or
    stale link is a guess presented as a fact."""
    from policykb import link

    problems = []
    link_plan = link.plan(context.repo, context.model)
    for path in link_plan.changes():
        problems.append(
            Problem(
                path,
                None,
                "links",
                "link would change this file (new mentions, or decisions not yet stamped): run `policykb link`",
            )
        )
    for agreement in context.model.agreements:
        for record in agreement.measures:
            if record.measure.lifecycle != "active":
                continue
            current = fingerprint(record.measure.text)
            for index, item in enumerate(record.measure.links):
                # the line is looked up only for a problem: it needs the file's round-trip parse
                if item.review == "suggested":
                    problems.append(
                        Problem(
                            record.path,
                            yamlio.line_of(record.document, "links", index),
                            f"links.{index}",
                            f"unreviewed suggestion: {item.relation} {item.target} ('{item.alias}')",
                        )
                    )
                elif item.reviewed is not None and item.reviewed != current:
                    problems.append(
                        Problem(
                            record.path,
                            yamlio.line_of(record.document, "links", index),
                            f"links.{index}",
                            f"stale: the text changed since {item.target} was reviewed",
                        )
                    )
        if agreement.mentions is None:
            continue
        preambles = {p.id: agreement.text[p.start : p.end] for p in agreement.structure.preambles}
        path = agreement.folder / "mentions.yaml"
        for key, items in agreement.mentions.preambles.items():
            if key not in preambles:
                problems.append(
                    Problem(
                        path,
                        yamlio.line_of(agreement.mentions_raw, "preambles", key),
                        f"preambles.{key}",
                        "this preamble is no longer in the text",
                    )
                )
                continue
            current = fingerprint(preambles[key])
            for index, item in enumerate(items):
                if item.review == "suggested":
                    problems.append(
                        Problem(
                            path,
                            yamlio.line_of(agreement.mentions_raw, "preambles", key, index),
                            f"preambles.{key}.{index}",
                            f"unreviewed suggestion: {item.relation} {item.target} ('{item.alias}')",
                        )
                    )
                elif item.reviewed is not None and item.reviewed != current:
                    problems.append(
                        Problem(
                            path,
                            yamlio.line_of(agreement.mentions_raw, "preambles", key, index),
                            f"preambles.{key}.{index}",
                            f"stale: the text changed since {item.target} was reviewed",
                        )
                    )
    counts = link_plan.counts
    return Outcome(
        problems,
        {
            "confirmed": counts["confirmed"],
            "rejected": counts["rejected"],
            "added by hand": counts["added by hand"],
            "unreviewed": counts["suggested"],
        },
    )


@rule(
    "PK105",
    "error",
    "every measure names who acts, or why nobody",
    "elke maatregel noemt wie uitvoert, of waarom niemand",
)
def organisation_or_reason(context: Context) -> Outcome:
    """A measure without a responsible organisation cannot be followed up; where the text names
    none, the curator says so (`no_organisation`), so the gap is a decision, not an oversight."""
    problems = []
    kb = context.model.kb
    for record in context.model.measures():
        measure = record.measure
        if measure.lifecycle != "active" or measure.no_organisation:
            continue
        if not any(
            item.relation == "involves"
            and item.review == "confirmed"
            and item.target in kb
            and kb[item.target].record.lifecycle == "active"
            for item in measure.links
        ):
            problems.append(
                Problem(
                    record.path, 1, "links", "no confirmed organisation (`involves`) and no `no_organisation` reason"
                )
            )
    return Outcome(problems)


# --- PK106 ------------------------------------------------------------------------------------------


@rule(
    "PK106",
    "error",
    "every candidate prose commitment is decided",
    "elke mogelijke toezegging in lopende tekst is beslist",
)
def candidates_decided(context: Context) -> Outcome:
    """A sentence of an intro paragraph in which "we" commit to act may be a measure hiding in prose:
    a curator promotes it (a measure with `origin: prose`) or dismisses it with a reason in
    `agreement.yaml`. A dismissal whose sentence is gone is reported, so the list cannot rot."""
    problems = []
    for agreement in context.model.agreements:
        text = agreement.text
        newlines = [m.start() for m in re.finditer("\n", text)]
        dismissed = {" ".join(item.quote.split()): index for index, item in enumerate(agreement.agreement.dismissed)}
        prose = [
            record.measure.source
            for record in agreement.measures
            if record.measure.origin == "prose" and record.measure.lifecycle == "active" and record.measure.source
        ]
        used: set[str] = set()
        for preamble in agreement.structure.preambles:
            for candidate in preamble.candidates:
                quote = " ".join(text[candidate.start : candidate.end].split())
                if any(span.start < candidate.end and candidate.start < span.end for span in prose):
                    continue
                if quote in dismissed:
                    used.add(quote)
                    continue
                problems.append(
                    Problem(
                        agreement.folder / "text.txt",
                        _text_line(text, candidate.start, newlines),
                        None,
                        f"undecided candidate in {preamble.id}: '{quote}': promote it or dismiss it in agreement.yaml",
                    )
                )
        stale = [index for quote, index in dismissed.items() if quote not in used]
        raw = yamlio.load(agreement.folder / "agreement.yaml") if stale else None  # lines only when reported
        for index in stale:
            problems.append(
                Problem(
                    agreement.folder / "agreement.yaml",
                    yamlio.line_of(raw, "dismissed", index),
                    f"dismissed.{index}",
                    "no candidate sentence reads like this any more: remove the dismissal",
                )
            )
    return Outcome(problems)


# --- PK107, PK108 ----------------------------------------------------------------------------------


@rule(
    "PK107",
    "error",
    "every id is unique and every reference resolves to a current record",
    "elke id is uniek en elke verwijzing wijst naar een actueel record",
)
def integrity(context: Context) -> Outcome:
    """Ids are how everything is cited; a duplicate makes a citation ambiguous, a dangling reference
    or a link to a retired record points at nothing a reader can trust."""
    problems = context.loaded("reference")
    kb = context.model.kb
    retired = {key for key, entry in kb.items() if entry.record.lifecycle == "retired"}
    for record in context.model.measures():
        measure = record.measure
        if measure.lifecycle != "active":
            continue
        for index, item in enumerate(measure.links):
            if item.target in retired and item.review != "rejected":
                problems.append(
                    Problem(
                        record.path,
                        yamlio.line_of(record.document, "links", index),
                        f"links.{index}.target",
                        f"'{item.target}' is retired",
                    )
                )
        for index, theme in enumerate(measure.themes):
            if theme in retired:
                problems.append(
                    Problem(
                        record.path,
                        yamlio.line_of(record.document, "themes", index),
                        f"themes.{index}",
                        f"'{theme}' is retired",
                    )
                )
        if measure.lead is not None and measure.lead.organisation in retired:
            problems.append(
                Problem(
                    record.path,
                    yamlio.line_of(record.document, "lead", "organisation"),
                    "lead.organisation",
                    f"'{measure.lead.organisation}' is retired",
                )
            )
        for waits in measure.condition.waits_for() if measure.condition else []:
            if waits.bill in retired:
                problems.append(
                    Problem(record.path, record.line_of_condition, "condition", f"'{waits.bill}' is retired")
                )
    for entry in kb.values():
        if entry.record.lifecycle != "active":
            continue
        for target in [
            entry.record.parent,
            *entry.record.parts,
            *(relation.target for relation in entry.record.relations),
        ]:
            if target in retired:
                problems.append(Problem(entry.path, None, None, f"refers to retired record '{target}'"))
    return Outcome(problems)


@rule("PK108", "warning", "every kb record is used", "elk record van de kennisbank wordt gebruikt")
def orphans(context: Context) -> Outcome:
    """A record connected to nothing (no measure, condition, evidence or other record refers to it,
    and it refers to no record) may be a leftover or a link a curator forgot; it is reported, not
    refused."""
    used: set[str] = set()
    for record in context.model.measures():
        measure = record.measure
        used.update(item.target for item in measure.links if item.review == "confirmed")
        used.update(measure.themes)
        used.update([measure.lead.organisation] if measure.lead else [])
        used.update(waits.bill for waits in (measure.condition.waits_for() if measure.condition else []))
        used.update(item for assessment in measure.status for item in assessment.evidence if isinstance(item, str))
    for agreement in context.model.agreements:
        for items in agreement.mentions.preambles.values() if agreement.mentions else []:
            used.update(item.target for item in items if item.review == "confirmed")
    for key, entry in context.model.kb.items():
        references = list(
            filter(None, [entry.record.parent, *entry.record.parts, *(r.target for r in entry.record.relations)])
        )
        used.update(references)
        if references:
            used.add(key)  # a record tied into the graph by its own references is not an orphan
    problems = [
        Problem(entry.path, 1, None, f"'{key}' is connected to no measure or record")
        for key, entry in sorted(context.model.kb.items())
        if key not in used and entry.record.lifecycle == "active"
    ]
    return Outcome(problems, {"records": len(context.model.kb), "unused": len(problems)})


# --- PK109 ------------------------------------------------------------------------------------------


@rule(
    "PK109",
    "error",
    "every instrument has a sourced official identifier",
    "elk instrument heeft een officiële identificatie met bron",
)
def identifier_coverage(context: Context) -> Outcome:
    """An instrument without an official identifier (CELEX, ELI, BWB, kamerstuk, procedure …)
    cannot be found in the official sources; an identifier without its source cannot be checked.
    Known gaps (an announced bill without a number, a package such as the Pact) are declared with a
    reason in the profile; a declared gap that no longer occurs is reported."""
    problems = context.loaded("identifier")
    gaps = {gap.record: gap for gap in context.profile.known_gaps.identifiers}
    vocabulary = context.model.vocabulary
    official_schemes = sorted(name for name, scheme in vocabulary.schemes.items() if scheme.official)
    instruments = [
        (key, entry)
        for key, entry in sorted(context.model.kb.items())
        if vocabulary.kinds[entry.record.kind].official_identifier and entry.record.lifecycle == "active"
    ]
    with_identifier = 0
    for key, entry in instruments:
        official = [scheme for scheme in entry.record.identifiers if scheme in official_schemes]
        for scheme, identifier in entry.record.identifiers.items():
            if identifier.source is None and identifier.status != "derived":
                problems.append(Problem(entry.path, None, f"identifiers.{scheme}", "no source"))
        if official:
            with_identifier += 1
            if key in gaps:
                problems.append(
                    Problem(
                        context.profile_path,
                        None,
                        "known_gaps.identifiers",
                        f"'{key}' now has an identifier ({', '.join(official)}): remove the known gap",
                    )
                )
        elif key not in gaps:
            problems.append(
                Problem(
                    entry.path,
                    1,
                    "identifiers",
                    f"no official identifier ({', '.join(official_schemes)}); declare a known "
                    f"gap in {context.profile_path.name} if none exists",
                )
            )
    for key in gaps:
        if key not in context.model.kb:
            problems.append(
                Problem(
                    context.profile_path,
                    None,
                    "known_gaps.identifiers",
                    f"'{key}' is not a kb record: remove the known gap",
                )
            )
    total = len(instruments)
    return Outcome(
        problems,
        {
            "instruments": total,
            "with_identifier": with_identifier,
            "percent": round(100 * with_identifier / total, 2) if total else 100.0,
            "known_gaps": sorted(gaps),
        },
    )


# --- PK110 ------------------------------------------------------------------------------------------


@rule(
    "PK110",
    "error",
    "every measure has a dated, evidenced status",
    "elke maatregel heeft een gedateerde status met bewijs",
)
def status_coverage(context: Context) -> Outcome:
    """Progress is the point of tracking promises: each measure needs at least one dated assessment
    with evidence and an assessor, and a condition must name an existing bill and stage. The
    assessments are a log: in date order, none dated after today (an assessment records what the
    sources said on its day)."""
    problems = context.loaded("status")
    today = dt.date.today()
    for record in context.model.measures():
        measure = record.measure
        if measure.lifecycle == "active" and not measure.status:
            problems.append(Problem(record.path, 1, "status", "no status assessment"))
        for index, assessment in enumerate(measure.status):
            if assessment.assessor is None:
                line = yamlio.line_of(record.document, "status", index)
                problems.append(Problem(record.path, line, f"status.{index}.assessor", "say who made the assessment"))
            if assessment.date > today:
                line = yamlio.line_of(record.document, "status", index)
                problems.append(
                    Problem(record.path, line, f"status.{index}.date", f"{assessment.date} is after today ({today})")
                )
    return Outcome(problems, {"assessments": sum(len(record.measure.status) for record in context.model.measures())})


# --- PK111, PK112 ----------------------------------------------------------------------------------


@rule("PK111", "error", "the compiled graph conforms to the SHACL shapes", "de gegevens voldoen aan de SHACL-vormen")
def shacl(context: Context) -> Outcome:
    """The shapes in `schema/shapes/` are the RDF contract made executable: what researchers'
    queries rely on (one section, a span with both selectors, a status, sourced identifiers)."""
    from policykb.compile.shacl import shapes_graph, validate

    _, violations = validate(context.graph, shapes_graph(folder=context.model.vocabulary.folder))
    problems = []
    prefix = str(context.builder.id) + "measure/"
    for violation in violations:
        path = (
            context.measure_path(violation.focus.removeprefix(prefix)) if violation.focus.startswith(prefix) else None
        )
        shape = violation.shape.rsplit("#", 1)[-1]
        problems.append(
            Problem(
                path or "compiled graph",
                None,
                None,
                f"{shape}: {violation.message} "
                f"(focus {violation.focus}{', path ' + violation.path if violation.path else ''})",
            )
        )
    return Outcome(problems, {"triples": len(context.graph)})


@rule("PK112", "error", "every violation query returns no row", "geen controlevraag vindt een overtreding")
def violation_queries(context: Context) -> Outcome:
    """`queries/checks/*-violation.rq` state, as SPARQL, what must never be true of the graph; any
    row is a failure, and every file in that folder runs."""
    from policykb.query import QueryError, bounded, open_store

    folder = context.repo.queries / "checks"  # part of the software, like the shapes (or the repository's own)
    store = open_store("oxigraph", context.graph, context.ntriples)
    problems = []
    ran = 0
    for path in sorted(folder.glob("*.rq")):
        if not path.name.endswith("-violation.rq"):
            problems.append(Problem(path, None, None, "a check query must be named *-violation.rq"))
            continue
        ran += 1
        try:
            results = bounded(store, yamlio.read_text(path))  # a repository's own query too: bounded
        except QueryError as error:
            problems.append(Problem(path, error.line, None, f"cannot run: {error.message}", column=error.column))
            continue
        except DataError as error:  # not UTF-8, not a regular file: said where
            problems.extend(error.problems)
            continue
        for row in results.rows[:20]:
            values = ", ".join("" if term is None else term.value for term in row)
            problems.append(Problem(path, None, None, f"violation: {values}"))
        if len(results.rows) > 20:
            problems.append(Problem(path, None, None, f"… and {len(results.rows) - 20} more rows"))
    return Outcome(problems, {"queries": ran})


# --- PK113 ------------------------------------------------------------------------------------------


@rule(
    "PK113",
    "warning",
    "what parse could only suggest is confirmed",
    "wat de tekstindeling alleen kon voorstellen, is bevestigd",
)
def suggestions_confirmed(context: Context) -> Outcome:
    """Parse reads an agreement's title, parties and date from its front matter (the cover) and
    lists them in `agreement.yaml` as `unconfirmed` until a curator checked them; and an entry of
    the table of contents that names no heading in the text may be a heading parse missed, or a
    stale table. Both are reported, not refused."""
    problems = []
    for agreement in context.model.agreements:
        path = agreement.folder / "agreement.yaml"
        if agreement.agreement.unconfirmed:
            line = yamlio.line_of(yamlio.read(path), "unconfirmed")
            fields = ", ".join(agreement.agreement.unconfirmed)
            problems.append(
                Problem(path, line, "unconfirmed", f"parse read {fields} from the front matter: confirm and take out")
            )
        for entry in agreement.structure.contents:
            if entry.section is None:
                problems.append(
                    Problem(
                        agreement.folder / "structure.yaml",
                        None,
                        "contents",
                        f"the table of contents names '{entry.title}' (page {entry.page}), which is no heading in "
                        "the text: a stale entry, or a heading parse missed (`policykb parse --explain`)",
                    )
                )
    return Outcome(problems, {"unconfirmed": sum(len(a.agreement.unconfirmed) for a in context.model.agreements)})


# --- PK114 ------------------------------------------------------------------------------------------


@rule(
    "PK114",
    "error",
    "no status contradicts the measure's evaluated condition",
    "geen status spreekt de uitkomst van de voorwaarde tegen",
)
def status_agrees_with_condition(context: Context) -> Outcome:
    """A conditional measure cannot be carried out before its bills reach the stage it waits for,
    and one whose bills were rejected or withdrawn has nothing left to carry out. The condition is
    evaluated from the recorded events on the date of the latest assessment (`policykb.progress`):
    a status it rules out is an error in the status or in the kb's events. A status that an event
    recorded since rules out is out of date, and fails too: the measure needs a new assessment."""
    from policykb.progress import CONTRADICTIONS, STATE_NL, evaluate

    problems = []
    kb = {key: entry.record for key, entry in context.model.kb.items()}
    vocabulary = context.model.vocabulary
    for record in context.model.measures():
        measure = record.measure
        if measure.condition is None or not measure.status or measure.lifecycle != "active":
            continue
        latest = measure.status[-1]
        line = functools.partial(yamlio.line_of, record.document, "status", len(measure.status) - 1)
        where = f"status.{len(measure.status) - 1}.value"
        then = evaluate(measure.condition, kb, vocabulary, as_of=latest.date)
        now = evaluate(measure.condition, kb, vocabulary)
        if latest.value in CONTRADICTIONS[then.state]:
            problems.append(
                Problem(
                    record.path,
                    line(),
                    where,
                    f"'{latest.value}' on {latest.date}, but the condition is {then.state} "
                    f"({STATE_NL[then.state]}) on that date{_decided(then)}",
                )
            )
        elif now.state != then.state and latest.value in CONTRADICTIONS[now.state]:
            problems.append(
                Problem(
                    record.path,
                    line(),
                    where,
                    f"'{latest.value}' on {latest.date} is out of date: the condition is {now.state} "
                    f"({STATE_NL[now.state]}) since{_decided(now)}; assess the measure again",
                )
            )
    return Outcome(problems)


def _decided(evaluation: Any) -> str:
    """` (kst-36703: aangenomen-eerste-kamer on 2026-06-02)`: the event that decided a condition."""
    decided = evaluation.decided_by
    if decided is None or decided.event is None:
        return ""
    return f" ({decided.bill}: {decided.event.stage} on {decided.event.date})"


# --- PK115, PK116 ----------------------------------------------------------------------------------


@rule(
    "PK115",
    "error",
    "every measure has a lead ministry, sourced",
    "elke maatregel heeft een eerstverantwoordelijk ministerie, met bron",
)
def lead_assigned(context: Context) -> Outcome:
    """Staff follow a measure up through the ministry that answers for it (the
    eerstverantwoordelijke); the cabinet's portfolio split is the source, and a lead that rests on
    news or on nothing said for this cabinet is marked so (`news`, `status: unverified`)."""
    problems = [
        Problem(record.path, 1, "lead", "no lead ministry (`lead`: organisation, source, toelichting)")
        for record in context.model.measures()
        if record.measure.lifecycle == "active" and record.measure.lead is None
    ]
    leads = [record.measure.lead for record in context.model.measures() if record.measure.lead]
    return Outcome(
        problems,
        {
            "with_lead": len(leads),
            "verified": sum(1 for lead in leads if lead.status == "verified" and not lead.news),
            "news": sum(1 for lead in leads if lead.news),
            "unverified": sum(1 for lead in leads if lead.status == "unverified"),
        },
    )


@rule("PK116", "warning", "every note has its Dutch toelichting", "elke notitie heeft haar Nederlandse toelichting")
def notes_in_dutch(context: Context) -> Outcome:
    """The site speaks Dutch: a curator's English note (`notes`, `note`, kept for RDF `@en`) has its
    Dutch `toelichting`, which the site shows where it shows the note (a record's and a measure's on
    their pages, an event's in its stages, an identifier's under Verantwoording) and the graph
    carries as `@nl`; without one the site shows nothing for it."""
    problems: list[Problem] = []
    for _, entry in sorted(context.model.kb.items()):
        record = entry.record
        if record.lifecycle != "active":
            continue
        missing = ["notes"] if record.notes and not record.toelichting else []
        missing += [
            f"identifiers.{scheme}.note"
            for scheme, identifier in sorted(record.identifiers.items())
            if identifier.note and not identifier.toelichting
        ]
        missing += [f"events.{i}.note" for i, event in enumerate(record.events) if event.note and not event.toelichting]
        missing += [
            f"relations.{i}.note"
            for i, relation in enumerate(record.relations)
            if relation.note and not relation.toelichting
        ]
        problems += [
            Problem(entry.path, None, field_name, "a note without its Dutch `toelichting`") for field_name in missing
        ]
    for measure in context.model.measures():
        if measure.measure.notes and not measure.measure.toelichting:
            problems.append(Problem(measure.path, 1, "notes", "a note without its Dutch `toelichting`"))
    return Outcome(problems)
