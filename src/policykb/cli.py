"""The `policykb` command: a thin layer over the stage modules (one verb per stage).

Every command takes `--root DIR` (default: the repository this is run in). Bad input ends with a
located message on stderr and exit code 2, never a traceback; `parse --check` exits 1 when the
committed files are out of step with their source.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from policykb import __version__, yamlio
from policykb.language import codes as language_codes
from policykb.problems import DataError, Problem, os_problem
from policykb.query import FORMATS, Limits
from policykb.repo import Repo, default_root

EXIT_OUT_OF_STEP = 1
EXIT_BAD_INPUT = 2


def with_root(
    writes: Callable[[dict[str, Any]], bool] = lambda options: False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add `--root DIR` and pass a `Repo` as `repo`. A command that `writes` (given its options)
    holds the repository's writer lock for its whole run and first clears what an interrupted
    run left behind. Bad input, a busy repository and an operating-system error each end in one
    located message per problem on stderr and exit code 2, never a traceback."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @click.option(
            "--root",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Repository root holding policy/ and kb/ (default: this repository).",
        )
        @functools.wraps(command)
        def wrapper(root: Path | None, **kwargs: Any) -> Any:
            from policykb.writing import Busy, clean_temporaries, repository_lock

            shown_root = (root or default_root()).resolve()
            try:
                repo = Repo.open(shown_root)
                if not writes(kwargs):
                    return command(repo=repo, **kwargs)
                with repository_lock(repo.root, click.get_current_context().info_name or command.__name__):
                    removed = clean_temporaries(repo)
                    if removed:
                        click.echo(f"removed {len(removed)} temporary file(s) an interrupted run left behind")
                    return command(repo=repo, **kwargs)
            except DataError as error:
                count = f"{len(error.problems)} problem(s)"
                _fail([problem.shown(shown_root) for problem in error.problems], f"{count}; stopped.")
            except Busy as error:
                _fail([f"busy: {error}"], "nothing was written.")
            except OSError as error:
                _fail([os_problem(error).shown(shown_root)], "stopped; every file is as it was or wholly written.")

        return wrapper

    return decorate


def _port_option(default: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--port` of a command that serves on 127.0.0.1."""
    return click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=default,
        show_default=True,
        help="Port on 127.0.0.1 (0: any free one).",
    )


def _build_option(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--build`: the compile output a command reads (default: build/ of the repository)."""
    return click.option(
        "--build",
        "build_folder",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"The compile output to {verb} (default: build/ of the repository).",
    )


def _fail(lines: list[str], closing: str) -> None:
    for line in lines:
        click.echo(line, err=True)
    click.echo(closing, err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykb")
@click.pass_context
def main(context: click.Context) -> None:
    """policykb: coalition-agreement measures, traceable to the text, the law and the organisations."""
    from policykb.collector import settled

    context.with_resource(settled())  # what a command's phases leave alive is not scanned again


@main.command()
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agreement", "agreement_id", help="Agreement id (folder under policy/). Required with SOURCE.")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the committed files are out of step with the source."
)
@click.option(
    "--max-mb", type=click.IntRange(1, 1024), default=10, show_default=True, help="Refuse sources larger than this."
)
@click.option(
    "--accept-source",
    is_flag=True,
    help="Put back the source's value where a curator edited a field parse owns "
    "(text, source, section, lifecycle) instead of stopping.",
)
@click.option(
    "--max-removed",
    type=click.FloatRange(0, 100, min_open=True),
    default=None,
    metavar="PERCENT",
    help="The share of the text page furniture may take (default: the agreement's max_removed_percent, else 5).",
)
@click.option(
    "--unit",
    type=click.Choice(["bullet", "paragraph"]),
    default=None,
    help="A new agreement's unit of commitment: every bullet is a measure (default), or every body paragraph.",
)
@click.option(
    "--language",
    type=click.Choice(language_codes()),
    default=None,
    help="A new agreement's language (default: detected from its text).",
)
@click.option("--explain", is_flag=True, help="Print every block: what it is, its page, and the cues that decided it.")
@with_root(writes=lambda options: not options["check"])
def parse(
    repo: Repo,
    source: Path | None,
    agreement_id: str | None,
    check: bool,
    max_mb: int,
    accept_source: bool,
    max_removed: float | None,
    unit: str | None,
    language: str | None,
    explain: bool,
) -> None:
    """Parse SOURCE (text or PDF) into policy/AGREEMENT/, or re-parse every agreement from its source.

    Writes text.txt, structure.yaml, the sha256 of agreement.yaml and the parse-owned fields of
    measures; every other field is the curator's and is kept, comments included. A curator's edit
    of a field parse owns stops the parse (a conflict), unless --accept-source.
    """
    from policykb.parse import apply, plan
    from policykb.terminal import steps

    if source is not None and not agreement_id:
        raise click.UsageError("SOURCE needs --agreement ID (the folder to create or update under policy/).")
    if source is not None and check:
        raise click.UsageError("--check compares committed files with their committed source: give no SOURCE.")
    agreement_ids = [agreement_id] if agreement_id else repo.agreement_ids()
    if not agreement_ids:
        raise click.UsageError(f"no agreement under {repo.policy}: give SOURCE and --agreement ID")
    out_of_step = False
    # Every agreement is planned before any is written: a problem in one writes none.
    plans = []
    several = len(agreement_ids) > 1  # one agreement: the bar is its PDF's pages (policykb.parse.pdf)
    with steps("inlezen", len(agreement_ids)) if several else nullcontext(lambda _: None) as advance:
        for current in agreement_ids:
            advance(current)
            plans.append(
                plan(
                    repo,
                    current,
                    source,
                    max_bytes=max_mb * 1024 * 1024,
                    accept_source=accept_source,
                    max_removed=max_removed,
                    unit=unit,
                    language=language,
                )
            )
    for current, parse_plan in zip(agreement_ids, plans, strict=True):
        click.echo(f"{current}: {parse_plan.summary}")
        for line in parse_plan.explanation if explain else []:
            click.echo(f"  {line}")
        for line in parse_plan.log:
            click.echo(f"  {line}")
        if check:
            changes = parse_plan.changes()
            for path in changes:
                click.echo(f"  out of step: {repo.relative(path)}")
            out_of_step = out_of_step or bool(changes)
            continue
        written = apply(parse_plan)
        click.echo(f"  wrote {len(written)} file(s)" if written else "  nothing to change")
    if check:
        click.echo("parse --check: out of step, run `make parse`" if out_of_step else "parse --check: in step")
        sys.exit(EXIT_OUT_OF_STEP if out_of_step else 0)


@main.command()
@with_root()
def validate(repo: Repo) -> None:
    """Load and validate every curated file (policy/ and kb/); report every problem with its location."""
    from policykb.load import load_model

    model = load_model(repo)
    measures = model.measures()
    active = sum(1 for record in measures if record.measure.lifecycle == "active")
    click.echo(
        f"valid: {len(model.agreements)} agreement(s), {active} active measure(s), "
        f"{len(measures) - active} retired, {len(model.kb)} kb record(s)"
    )


@main.command()
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if a generated schema file is out of step with the code."
)
@with_root(writes=lambda options: not options["check"])
def schema(repo: Repo, check: bool) -> None:
    """Write the files generated from the code: JSON Schemas (schema/json/) and vocabulary SHACL shapes."""
    from policykb.schema import generated_files
    from policykb.writing import write_bytes_atomic

    if not check and not repo.schema.is_relative_to(repo.root):
        raise DataError(
            Problem(
                repo.schema,
                None,
                None,
                "this repository uses policykb's own vocabulary, which is not "
                "its to write: to change it, copy it to schema/ in the repository first",
            )
        )
    stale = []
    for path, content in generated_files(repo.vocabulary).items():
        if path.is_file() and path.read_text(encoding="utf-8") == content:
            continue
        stale.append(path)
        if not check:
            write_bytes_atomic(path, content.encode("utf-8"))
            click.echo(f"wrote {repo.relative(path)}")
    if check:
        for path in stale:
            click.echo(f"out of step: {repo.relative(path)} (run `policykb schema`)")
        sys.exit(EXIT_OUT_OF_STEP if stale else 0)


@main.command()
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if link would change a file or a suggestion is unreviewed."
)
@click.option(
    "--report",
    "show_report",
    is_flag=True,
    help="Write nothing; print each measure's confirmed links and unreviewed suggestions.",
)
@with_root(writes=lambda options: not options["check"] and not options["show_report"])
def link(repo: Repo, check: bool, show_report: bool) -> None:
    """Suggest links from measures and preambles to kb/; keep every curator decision.

    Writes only the `links` of measure files and policy/AGREEMENT/mentions.yaml (the preambles'
    links). A curator then sets `review: confirmed` or `rejected` (with a `reason`) on each.
    """
    from policykb.link import apply, plan, report
    from policykb.load import load_model

    model = load_model(repo)
    if show_report:
        lines, counts = report(model)
        click.echo("\n".join(lines))
        click.echo(_link_counts(counts))
        return
    link_plan = plan(repo, model)
    for line in link_plan.log:
        click.echo(line)
    click.echo(_link_counts(link_plan.counts))
    unreviewed = link_plan.counts["suggested"]
    if check:
        for path in link_plan.changes():
            click.echo(f"out of step: {repo.relative(path)} (run `policykb link`)")
        if unreviewed:
            click.echo(f"{unreviewed} suggestion(s) not reviewed: see `policykb link --report`")
        ok = not link_plan.changes() and not unreviewed
        click.echo("link --check: in step, every suggestion reviewed" if ok else "link --check: failed")
        sys.exit(0 if ok else EXIT_OUT_OF_STEP)
    written = apply(link_plan)
    click.echo(f"wrote {len(written)} file(s)" if written else "nothing to change")


def _base(given: str | None) -> str:
    """The base IRI: `--base`, else `$POLICYKB_BASE`, else the default; a bad one is a usage error."""
    import os

    from policykb.compile.terms import DEFAULT_BASE, iris

    base = given or os.environ.get("POLICYKB_BASE") or DEFAULT_BASE
    try:
        iris(base)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base" if given else "$POLICYKB_BASE") from error
    return base


def _link_counts(counts: Any) -> str:
    names = ("confirmed", "rejected", "added by hand", "suggested")
    return "links: " + ", ".join(f"{counts[name]} {name}" for name in names)


@main.command(name="compile")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: build/ of the root).",
)
@click.option("--base", default=None, help="Base IRI (default: $POLICYKB_BASE or https://w3id.org/policykb/).")
@with_root(writes=lambda options: True)
def compile_command(repo: Repo, out: Path | None, base: str | None) -> None:
    """Compile policy/ and kb/ into RDF (Turtle, N-Triples, JSON-LD), GraphML, CSV tables and analyses."""
    from policykb.compile import compile_model, write
    from policykb.load import load_model
    from policykb.writing import claim_output

    base = _base(base)
    folder = claim_output(repo, out, "compile")
    model = load_model(repo)
    compiled = compile_model(repo, model, base)
    written = write(compiled, folder)
    analysis = compiled.analysis
    click.echo(
        f"compiled {len(compiled.triples)} triples, {compiled.projection.number_of_nodes()} "
        f"nodes, {compiled.projection.number_of_edges()} edges into {repo.relative(folder)}"
    )
    releases = sorted(
        {path.relative_to(folder).parts[1] for path in written if path.relative_to(folder).parts[0] == "release"}
    )
    click.echo(
        f"  {len(written)} files (release {', '.join(releases)} among them); {len(analysis['waiting'])} measure(s) "
        f"waiting, {len(analysis['groups'])} group(s) of measures sharing an instrument"
    )
    from policykb.compile.dataset import DATASET_FILE, dataset_info, missing

    lacking = missing(dataset_info(repo.root))
    if lacking:
        click.echo(
            f"  dataset.ttl: not yet registrable on data.overheid.nl (DCAT-AP-NL): {DATASET_FILE} gives no "
            + " and no ".join(lacking)
        )


@main.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-e", "--expression", help="The query text (instead of FILE).")
@click.option(
    "--format",
    "output",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Result format (csv, tsv and json as SPARQL 1.1 Query Results).",
)
@click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True, help="SPARQL engine."
)
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Query this RDF file (.ttl, .nt, .jsonld) instead of compiling policy/ and kb/ in memory.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=Limits.seconds,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query that runs longer.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=Limits.max_rows,
    show_default=True,
    help="Stop a query that returns more rows (an error, never a cut table).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE: send parts of the query to the endpoints it names, over the network.",
)
@with_root()
def query(
    repo: Repo,
    file: Path | None,
    expression: str | None,
    output: str,
    engine: str,
    data: Path | None,
    timeout: float,
    max_rows: int,
    allow_service: bool,
) -> None:
    """Run a SPARQL query (FILE.rq or -e 'SELECT …') on the knowledge base, locally and bounded:
    SERVICE and FROM are refused (SERVICE unless --allow-service), and the query stops at the
    time and row limits."""
    from policykb.compile.terms import iris
    from policykb.query import QueryError, load_graph, render, run
    from policykb.yamlio import read_text

    if (file is None) == (expression is None):
        raise click.UsageError("give a query FILE or -e 'QUERY' (one of them)")
    text = read_text(file) if file is not None else expression or ""
    names = iris(_base(None))
    try:
        if data is not None:
            graph = load_graph(data)
        else:
            from policykb.compile.rdf import build_graph
            from policykb.load import load_model

            graph = build_graph(load_model(repo), names.base)
        results = run(engine, graph, text, Limits(seconds=timeout, max_rows=max_rows, allow_service=allow_service))  # type: ignore[arg-type]
    except QueryError as error:  # located in the query: name the query's file
        raise DataError(
            [
                replace(problem, file=file) if file is not None and problem.file == "query" else problem
                for problem in error.problems
            ]
        ) from None
    click.echo(render(results, output, names), nl=False)


@main.command()
@click.argument("measure", required=False)
@click.argument("status", required=False)
@click.option(
    "--evidence",
    "evidence",
    multiple=True,
    help="`agreement`, a kb record id, or TYPE=URL (`kamerstuk=https://…`, `news=https://…`; "
    "types in schema/evidence.yaml). Repeat for more.",
)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day assessed (default: today).")
@click.option("--assessor", help="Who assessed it (a person or a team).")
@click.option("--note", help="Why, in Dutch: what the sources show and where they stop.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML file mapping measure ids to assessments ({date, value, assessor, evidence, note}).",
)
@with_root(writes=lambda options: True)
def assess(
    repo: Repo,
    measure: str | None,
    status: str | None,
    evidence: tuple[str, ...],
    day: dt.datetime | None,
    assessor: str | None,
    note: str | None,
    from_file: Path | None,
) -> None:
    """Record progress: append a dated assessment to MEASURE's status log, with its evidence, or
    every assessment of a --from file. Refused, writing nothing, when it cites no evidence, names
    no assessor, is dated after today or not after the measure's latest assessment."""
    from policykb import assess as assessing

    if from_file is not None:
        if measure or status:
            raise click.UsageError("give MEASURE STATUS or --from FILE, not both")
        entries = yamlio.load(from_file)
        if not isinstance(entries, dict):
            raise DataError(Problem(from_file, 1, None, "expected a mapping of measure ids to assessments"))
        where: Path | str = from_file
    else:
        if not (measure and status):
            raise click.UsageError("give MEASURE and STATUS (or --from FILE)")
        entry = {
            "date": (day.date() if day else dt.date.today()),
            "value": status,
            "assessor": assessor,
            "evidence": assessing.parse_evidence(list(evidence)),
            "note": note,
        }
        entries = {measure: {key: value for key, value in entry.items() if value is not None}}
        where = "command line"
    planned = assessing.plan(repo, entries, where)
    written = assessing.changes(planned).apply()
    for item in planned:
        click.echo(f"{item.record.measure.id}: {item.assessment.value} on {item.assessment.date}")
    click.echo(f"wrote {len(written)} file(s)")


@main.command(name="diff")
@click.argument("old", required=False, default="HEAD")
@click.argument("new", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for a pull request, or JSON.",
)
@with_root()
def diff_command(repo: Repo, old: str, new: str | None, output_format: str) -> None:
    """What changed from git revision OLD (default HEAD) to NEW (default: the working tree), in
    the data's terms: measures, links, statuses, conditions and kb records (stages, identifiers)."""
    from policykb import diff

    with diff.snapshot(repo.root, old) as before, diff.snapshot(repo.root, new) as after:
        changes = diff.compare(before, after)
    shown_new = new or diff.WORKING_TREE
    render = diff.markdown if output_format == "markdown" else diff.as_json
    click.echo(render(changes, old, shown_new), nl=False)


@main.command()
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to answer for (default: today): only what was assessed and recorded by then counts.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
)
@with_root()
def status(repo: Repo, as_of: dt.datetime | None, output_format: str) -> None:
    """Where each measure stood on a day: its status from the latest assessment dated on or before
    it, and its condition's state from the events recorded by then."""
    import csv
    import io
    import json

    from policykb.changes import status_as_of
    from policykb.load import load_model

    day = as_of.date() if as_of else dt.date.today()
    rows = [
        {
            "measure": standing.measure,
            "status": standing.status or "",
            "assessed": standing.assessed.isoformat() if standing.assessed else "",
            "condition": standing.condition.state if standing.condition else "",
        }
        for standing in status_as_of(load_model(repo), day)
    ]
    if output_format == "json":
        click.echo(json.dumps({"as_of": day.isoformat(), "measures": rows}, indent=2))
    elif output_format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["measure", "status", "assessed", "condition"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(f"as of {day.isoformat()}")
        for row in rows:
            condition = f"  condition {row['condition']}" if row["condition"] else ""
            shown = row["status"] or "(not yet assessed)"
            click.echo(f"  {row['measure']:<24} {shown:<18} {row['assessed']:<10}{condition}")


@main.command()
@_build_option("serve")
@_port_option(7878)
@click.option(
    "--timeout", type=click.IntRange(1, 3600), default=30, show_default=True, help="Time limit per query, in seconds."
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=Limits().max_rows,
    show_default=True,
    help="Most rows (or triples) an answer may have; more is an error naming the cap, never a cut answer.",
)
@with_root()
def serve(repo: Repo, build_folder: Path | None, port: int, timeout: int, max_rows: int) -> None:
    """Serve the current build as a read-only SPARQL 1.1 endpoint on 127.0.0.1 (the Oxigraph
    server behind a small front), until interrupted: GET and POST queries, results by Accept
    header, UPDATE refused, CORS allowed, a time limit and a row cap per query (docs/query.md)."""
    import signal

    from policykb.serve import running
    from policykb.writing import default_output

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a TERM or HUP stops the server and removes its store, as Ctrl-C does

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    build = build_folder or default_output(repo, "compile")
    with running(build, port or None, timeout, max_rows) as endpoint:
        click.echo(f"SPARQL endpoint: {endpoint.url} ({endpoint.triples} triples from {repo.relative(build)})")
        click.echo(
            f"read-only (UPDATE refused); CORS allowed; at most {endpoint.max_rows} rows per answer (more: "
            f"HTTP 400, never a cut answer); time limit {endpoint.timeout} s per query (past it: HTTP 503). "
            "Loaded once: after `policykb compile`, start again. Ctrl-C stops it."
        )
        try:
            code = endpoint.process.wait()
        except KeyboardInterrupt:
            code = 0
    if code:
        raise DataError(Problem("oxigraph", None, None, f"the server stopped with exit code {code}"))


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="The store's SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://host:7878/store; "
    "Virtuoso: http://host:8890/sparql-graph-crud-auth).",
)
@_build_option("publish")
@click.option(
    "--update",
    "update_url",
    default=None,
    help="The store's SPARQL 1.1 Update URL (Oxigraph: /update; Virtuoso: /sparql-auth): the graphs "
    "are then replaced in one transaction.",
)
@click.option("--user", default=None, help="User for the store (its password from $POLICYKB_STORE_PASSWORD).")
@click.option("--latest/--no-latest", default=True, show_default=True, help="Also replace the release/latest graph.")
@with_root()
def publish(
    repo: Repo, endpoint: str, build_folder: Path | None, update_url: str | None, user: str | None, latest: bool
) -> None:
    """Load the last compile's release into an existing triple store: the data, the vocabulary,
    the provenance and the dataset description replace the named graph of this release (and the
    latest), through the Graph Store Protocol; atomically with --update (docs/query.md)."""
    import os

    from policykb.publish import PASSWORD_VARIABLE
    from policykb.publish import publish as publish_build
    from policykb.writing import default_output

    build = build_folder or default_output(repo, "compile")
    release = publish_build(build, endpoint, user, os.environ.get(PASSWORD_VARIABLE), latest, update_url)
    for graph in release.graphs:
        click.echo(f"published {release.triples} triples of release {release.version} to <{graph}>")
    if not release.atomic:
        click.echo("replaced graph by graph (give --update for one transaction)")


EXIT_CHECK_FAILED = 1
EXIT_CHECK_COULD_NOT_RUN = 2


@main.command()
@click.option(
    "--report",
    "report_mode",
    is_flag=True,
    help="Report mode: write the reports and exit 0 even when a rule fails (for the site).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the reports (default: build/reports/).",
)
@with_root(writes=lambda options: True)
def check(repo: Repo, report_mode: bool, out: Path | None) -> None:
    """Check traceability: every character accounted for, quotes exact, links reviewed, identifiers
    sourced, SHACL-valid. Exit 0 when clean, 1 when an error-severity rule fails, 2 when the check
    could not run. Writes build/reports/{check.json,junit.xml,check.md}."""
    from policykb.check import run_checks
    from policykb.check.report import summary, write_reports
    from policykb.check.rules import RULES
    from policykb.load import load
    from policykb.terminal import steps
    from policykb.writing import claim_output

    folder = claim_output(repo, out, "reports")
    try:
        loaded = load(repo)  # before the rules' bar: loading shows its own (policykb.terminal)
        with steps("controle", len(RULES)) as advance:
            report = run_checks(repo, loaded=loaded, on_rule=advance)
    except (DataError, OSError):
        raise
    except Exception as error:  # a bug: the check could not run (bad data is a located problem instead)
        click.echo(f"check could not run: {type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_CHECK_COULD_NOT_RUN)
    click.echo(summary(report, repo.root), nl=False)
    write_reports(report, folder, repo.root)
    click.echo(f"reports in {repo.relative(folder)}")
    if not report.ok and not report_mode:
        sys.exit(EXIT_CHECK_FAILED)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the site (default: build/site/ of the root); MkDocs empties it first, "
    "so it must be new, empty or an earlier site.",
)
@click.option(
    "--site-url",
    default=None,
    metavar="URL",
    help="Where the site is published (default: $POLICYKB_SITE_URL): citations then give absolute page URLs.",
)
@with_root(writes=lambda options: True)
def site(repo: Repo, out: Path | None, site_url: str | None) -> None:
    """Build the static site: compile, check in report mode, then `mkdocs build --strict` (in
    this process, on the model and graph just compiled).

    The data pages are generated during the build from policy/ and kb/ (of --root), with the
    site template shipped with policykb; the build fails on any MkDocs warning.
    """
    from policykb.check import run_checks
    from policykb.check.report import write_reports
    from policykb.check.rules import RULES
    from policykb.collector import release
    from policykb.compile import compile_model, write
    from policykb.compile.triples import Triples
    from policykb.load import load
    from policykb.problems import DataError
    from policykb.site.build import Handoff, SiteError, build_site
    from policykb.terminal import steps
    from policykb.writing import claim_output

    target = claim_output(repo, out, "site")
    model, problems = load(repo)
    if problems:
        raise DataError(problems)
    compiled = compile_model(repo, model)
    write(compiled, claim_output(repo, None, "compile"))
    with steps("controle", len(RULES)) as advance:  # the same model and graph
        report = run_checks(repo, loaded=(model, problems), compiled=compiled, on_rule=advance)
    write_reports(report, claim_output(repo, None, "reports"), repo.root)
    click.echo(f"check: {'passed' if report.ok else 'FAILED (the site shows the problems)'}")
    handoff = Handoff(model, compiled.builder, compiled.files["kb.nt"])
    del compiled, report  # the site reads the N-Triples: the graph's memory goes back before MkDocs
    handoff.builder.triples = Triples()
    release()  # the graph was settled: its cycles are collected now (policykb.collector)
    try:  # in this process: the hooks take the model and IRIs made above (policykb.site.build)
        build_site(repo.root, repo.build, target, site_url, handoff)
    except SiteError as error:
        click.echo(f"mkdocs build failed (warnings are errors in --strict mode): {error}", err=True)
        sys.exit(1)
    click.echo(f"site in {repo.relative(target)}")


@main.command()
@click.option(
    "--site",
    "site_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built site to show (default: build/site/ of the root).",
)
@_port_option(8000)
@with_root()
def preview(repo: Repo, site_folder: Path | None, port: int) -> None:
    """Show the built site in a browser: serve it on 127.0.0.1 and print its address, until
    Ctrl-C (`policykb site` builds it; `make preview` does both). Opened from disk the site half
    works: folder links show listings and search needs HTTP."""
    import signal
    import threading

    from policykb.preview import SiteServer
    from policykb.writing import default_output

    server = SiteServer(site_folder or default_output(repo, "site"), port)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: stopped.set())
    click.echo(f"De site: {server.url} (open dit adres in uw browser; Ctrl-C stopt)")
    stopped.wait()
    server.stop()
