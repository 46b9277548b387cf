"""What changed between two states of the repository, in the data's own terms (`policykb diff`).

Reads two snapshots — a git revision (read with dulwich, never by parsing `git` output: the
revision's `policy/`, `kb/` and `schema/` are written to a temporary folder and loaded like a
working tree) or the working tree itself — and compares the loaded models, not the text of the
files: measures (added, retired, text, section, title, themes, condition), their links (added,
removed, review decided), their status log (assessments added, removed or changed), the
evaluated state of every condition, and kb records (added, retired, names, events, identifiers).
Writes nothing; the caller prints `markdown(...)` (for a pull request) or `as_json(...)`.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from policykb.load import Model, load_model
from policykb.model import Evidence, KbRecord, Measure, StatusAssessment
from policykb.problems import DataError, Problem
from policykb.progress import evaluate
from policykb.repo import Repo
from policykb.vocab import FAMILIES, PACKAGE_SCHEMA

Action = Literal["added", "removed", "changed"]
SNAPSHOT_FOLDERS = ("policy", "kb", "schema")
"""What a snapshot of a revision holds: the data and a repository's own vocabulary."""
WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Change:
    """One change: what kind of thing, which one, what happened, and the details."""

    kind: Literal["measure", "link", "status", "condition", "record", "event", "identifier"]
    subject: str
    action: Action
    detail: str
    date: str | None = None
    """The date the change is about (an assessment's, an event's), when it has one."""


@contextmanager
def snapshot(root: Path, revision: str | None) -> Iterator[Model]:
    """The model of `revision` (None: the working tree at `root`)."""
    if revision is None:
        yield load_model(Repo.open(root))
        return
    from dulwich import objectspec
    from dulwich.objects import Commit, Tag
    from dulwich.repo import NotGitRepository
    from dulwich.repo import Repo as GitRepo

    try:
        git = GitRepo.discover(str(root))
    except NotGitRepository:
        raise DataError(Problem(root, None, None, "not a git repository: give no revisions to compare")) from None
    with git:
        try:
            target = _resolve(git, revision)
            while isinstance(target, Tag):
                target = git[target.object[1]]
        except (KeyError, ValueError, objectspec.AmbiguousShortId):
            raise DataError(Problem(root, None, None, f"no revision '{revision}' in {git.path}")) from None
        if not isinstance(target, Commit):
            raise DataError(Problem(root, None, None, f"'{revision}' is not a commit"))
        prefix = Path(root).resolve().relative_to(Path(git.path).resolve()).parts
        tree = _tree(git, target.tree)
        for part in prefix:  # the repository may sit in a folder of the git work tree
            if part.encode() not in tree:
                raise DataError(Problem(root, None, None, f"revision '{revision}' has no folder {'/'.join(prefix)}"))
            tree = _tree(git, tree[part.encode()][1])
        with tempfile.TemporaryDirectory(prefix="policykb-diff-") as folder:
            for name in SNAPSHOT_FOLDERS:
                if name.encode() in tree:
                    _write_tree(git, _tree(git, tree[name.encode()][1]), Path(folder) / name)
            if not any((Path(folder) / name).is_dir() for name in ("policy", "kb")):
                raise DataError(Problem(root, None, None, f"revision '{revision}' has no policy/ or kb/ folder"))
            _complete_vocabulary(Path(folder) / "schema")
            try:
                model = load_model(Repo.open(Path(folder)))
            except DataError as error:  # said in the revision's terms, not the temporary folder's
                raise DataError(
                    [
                        replace(problem, file=f"{revision}:{Path(problem.file).relative_to(folder)}")
                        if Path(problem.file).is_relative_to(folder)
                        else problem
                        for problem in error.problems
                    ]
                ) from None
            yield model


def _complete_vocabulary(folder: Path) -> None:
    """A revision's own vocabulary from before a family existed (kinds of evidence, say) is read
    with that family as policykb ships it, so older revisions stay comparable."""
    if not (folder / "kinds.yaml").is_file():
        return
    for family in FAMILIES:
        if not (folder / f"{family}.yaml").is_file():
            shutil.copyfile(PACKAGE_SCHEMA / f"{family}.yaml", folder / f"{family}.yaml")


def _resolve(git: Any, revision: str) -> Any:
    """A branch, tag, `HEAD~1`, a full or an abbreviated commit id."""
    from dulwich import objectspec
    from dulwich.objects import Commit

    try:
        return objectspec.parse_object(git, revision.encode())
    except KeyError:
        if re.fullmatch(r"[0-9a-f]{4,39}", revision):
            return objectspec.scan_for_short_id(git.object_store, revision.encode(), Commit)
        raise


def _tree(git: Any, sha: bytes) -> Any:
    from dulwich.objects import Tree

    tree = git[sha]
    if not isinstance(tree, Tree):
        raise DataError(Problem(git.path, None, None, f"{sha.decode()} is not a folder in git"))
    return tree


def _write_tree(git: Any, tree: Any, folder: Path) -> None:
    from dulwich.objects import Tree

    folder.mkdir(parents=True, exist_ok=True)
    for entry in tree.items():
        target = folder / entry.path.decode()
        obj = git[entry.sha]
        if isinstance(obj, Tree):
            _write_tree(git, obj, target)
        elif entry.mode & 0o170000 == 0o100000:  # regular files only (no links, no submodules)
            target.write_bytes(obj.as_raw_string())


def compare(old: Model, new: Model) -> list[Change]:
    """Every change from `old` to `new`, measures first, then kb records."""
    changes: list[Change] = []
    old_measures = {record.measure.id: record.measure for record in old.measures()}
    new_measures = {record.measure.id: record.measure for record in new.measures()}
    for key in sorted(new_measures.keys() - old_measures.keys()):
        measure = new_measures[key]
        changes.append(Change("measure", key, "added", f"new measure: {measure.title}"))
    for key in sorted(old_measures.keys() - new_measures.keys()):
        changes.append(Change("measure", key, "removed", "measure file removed"))
    for key in sorted(old_measures.keys() & new_measures.keys()):
        changes += _measure(key, old_measures[key], new_measures[key])
    changes += _conditions(old, new, old_measures.keys() & new_measures.keys())
    old_kb = {key: entry.record for key, entry in old.kb.items()}
    new_kb = {key: entry.record for key, entry in new.kb.items()}
    for key in sorted(new_kb.keys() - old_kb.keys()):
        changes.append(Change("record", key, "added", f"new {new_kb[key].kind}: {new_kb[key].name.nl}"))
        changes += [
            Change("event", key, "added", f"{event.stage} ({event.status})", event.date.isoformat())
            for event in new_kb[key].events
        ]
    for key in sorted(old_kb.keys() - new_kb.keys()):
        changes.append(Change("record", key, "removed", "record file removed"))
    for key in sorted(old_kb.keys() & new_kb.keys()):
        changes += _record(key, old_kb[key], new_kb[key])
    return changes


def _measure(key: str, old: Measure, new: Measure) -> list[Change]:
    changes = []
    if old.lifecycle != new.lifecycle:
        reason = f": {new.retired.reason}" if new.retired else ""
        changes.append(Change("measure", key, "changed", f"{old.lifecycle} → {new.lifecycle}{reason}"))
    for name in ("text", "title", "section", "themes"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change("measure", key, "changed", f"{name}: {_short(before)} → {_short(after)}"))
    if old.condition != new.condition:
        changes.append(Change("condition", key, "changed", f"condition: {_condition(old)} → {_condition(new)}"))
    old_links = {(link.target, link.relation): link for link in old.links}
    new_links = {(link.target, link.relation): link for link in new.links}
    for target, relation in sorted(new_links.keys() - old_links.keys()):
        review = new_links[(target, relation)].review
        changes.append(Change("link", key, "added", f"{relation} {target} ({review})"))
    for target, relation in sorted(old_links.keys() - new_links.keys()):
        changes.append(Change("link", key, "removed", f"{relation} {target}"))
    for pair in sorted(old_links.keys() & new_links.keys()):
        before, after = old_links[pair].review, new_links[pair].review
        if before != after:
            changes.append(Change("link", key, "changed", f"{pair[1]} {pair[0]}: {before} → {after}"))
    old_log = {(a.date, a.value): a for a in old.status}
    new_log = {(a.date, a.value): a for a in new.status}
    previous = old.status[-1].value if old.status else None
    for day, value in sorted(new_log.keys() - old_log.keys()):
        assessment = new_log[(day, value)]
        changes.append(
            Change(
                "status",
                key,
                "added",
                f"{previous or '—'} → {value} ({assessment.assessor}; {_evidence(assessment)})",
                day.isoformat(),
            )
        )
        previous = value
    for day, value in sorted(old_log.keys() - new_log.keys()):
        changes.append(Change("status", key, "removed", f"assessment {value} removed", day.isoformat()))
    for day, value in sorted(old_log.keys() & new_log.keys()):
        if old_log[(day, value)] != new_log[(day, value)]:
            changes.append(
                Change("status", key, "changed", f"assessment {value}: evidence or note edited", day.isoformat())
            )
    return changes


def _conditions(old: Model, new: Model, keys: set[str]) -> list[Change]:
    """A condition whose evaluated state changed (a bill reached its stage, or was rejected)."""
    before = _states(old)
    after = _states(new)
    return [
        Change("condition", key, "changed", f"condition {before[key]} → {after[key]}")
        for key in sorted(keys & before.keys() & after.keys())
        if before[key] != after[key]
    ]


def _states(model: Model) -> dict[str, str]:
    kb = {key: entry.record for key, entry in model.kb.items()}
    return {
        record.measure.id: evaluate(record.measure.condition, kb, model.vocabulary).state
        for record in model.measures()
        if record.measure.condition is not None
    }


def _record(key: str, old: KbRecord, new: KbRecord) -> list[Change]:
    changes = []
    if old.lifecycle != new.lifecycle:
        reason = f": {new.retired.reason}" if new.retired else ""
        changes.append(Change("record", key, "changed", f"{old.lifecycle} → {new.lifecycle}{reason}"))
    if old.name != new.name:
        changes.append(Change("record", key, "changed", f"name: {old.name.nl} → {new.name.nl}"))
    old_events = {(e.stage, e.date, e.source): e for e in old.events}
    new_events = {(e.stage, e.date, e.source): e for e in new.events}
    for stage, day, source in sorted(new_events.keys() - old_events.keys()):
        event = new_events[(stage, day, source)]
        changes.append(Change("event", key, "added", f"{stage} ({event.status}; {source})", day.isoformat()))
    for stage, day, source in sorted(old_events.keys() - new_events.keys()):
        changes.append(Change("event", key, "removed", f"{stage} ({source})", day.isoformat()))
    for triple in sorted(old_events.keys() & new_events.keys()):
        if old_events[triple] != new_events[triple]:
            before, after = old_events[triple], new_events[triple]
            what = f"{before.status} → {after.status}" if before.status != after.status else "note edited"
            changes.append(Change("event", key, "changed", f"{triple[0]}: {what}", triple[1].isoformat()))
    for scheme in sorted(set(old.identifiers) | set(new.identifiers)):
        was, now = old.identifiers.get(scheme), new.identifiers.get(scheme)
        if was == now:
            continue
        if was is None:
            assert now is not None
            changes.append(Change("identifier", key, "added", f"{scheme} {now.value} ({now.status})"))
        elif now is None:
            changes.append(Change("identifier", key, "removed", f"{scheme} {was.value}"))
        elif (was.value, was.status) != (now.value, now.status):
            changes.append(
                Change(
                    "identifier", key, "changed", f"{scheme}: {was.value} ({was.status}) → {now.value} ({now.status})"
                )
            )
        else:
            changes.append(Change("identifier", key, "changed", f"{scheme}: source or note edited"))
    return changes


def _short(value: Any, limit: int = 60) -> str:
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _condition(measure: Measure) -> str:
    if measure.condition is None:
        return "none"
    combination = "any" if measure.condition.any is not None else "all"
    return f"{combination} of " + ", ".join(f"{w.bill} {w.stage}" for w in measure.condition.waits_for())


def _evidence(assessment: StatusAssessment) -> str:
    return ", ".join(f"{item.type} {item.url}" if isinstance(item, Evidence) else item for item in assessment.evidence)


SECTIONS = (
    ("status", "Statuses"),
    ("condition", "Conditions"),
    ("measure", "Measures"),
    ("link", "Links"),
    ("record", "Knowledge base records"),
    ("event", "Stages of bills, procedures and acts"),
    ("identifier", "Identifiers"),
)


def markdown(changes: list[Change], old: str, new: str) -> str:
    """The changes as Markdown for a pull request, grouped by kind."""
    lines = [f"## policykb diff: {old} → {new}", ""]
    if not changes:
        return "\n".join([*lines, "No change to measures, links, statuses, conditions or kb records.", ""])
    counts = ", ".join(
        f"{sum(1 for c in changes if c.kind == kind)} {title.lower()}"
        for kind, title in SECTIONS
        if any(c.kind == kind for c in changes)
    )
    lines += [f"{len(changes)} change(s): {counts}.", ""]
    for kind, title in SECTIONS:
        items = [change for change in changes if change.kind == kind]
        if not items:
            continue
        lines += [f"### {title}", ""]
        for change in items:
            dated = f" ({change.date})" if change.date else ""
            lines.append(f"- **{change.subject}** {change.action}{dated}: {change.detail}")
        lines.append("")
    return "\n".join(lines)


def as_json(changes: list[Change], old: str, new: str) -> str:
    return (
        json.dumps(
            {"old": old, "new": new, "changes": [asdict(change) for change in changes]}, ensure_ascii=False, indent=2
        )
        + "\n"
    )
