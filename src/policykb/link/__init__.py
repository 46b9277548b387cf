"""`policykb link`: suggest links from the text to the knowledge base; keep every human decision.

Reads the validated model (`policy/` and `kb/`), finds mentions of kb records in every active
measure and every preamble (`matcher`), and merges them into the `links` of each measure file and
into `policy/<agreement>/mentions.yaml` (the preambles' links; the parse-owned `structure.yaml` is
never touched). Nothing else in a measure file changes, comments included; only files whose
content changes are written, each atomically. Merge rules (`merge_links`), per text and target:

- a suggestion (`review: suggested`) is the linker's: refreshed from the current text, dropped
  when the text no longer names its target;
- a decision (`confirmed` / `rejected`) is the curator's: kept as it is, its span moved with the
  mention, never re-suggested; `reviewed` is stamped with the text's fingerprint when missing;
- a link added by hand (`added: curator`) is kept as it is and covers its target.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policykb import yamlio
from policykb.link.matcher import Matcher, Mention
from policykb.load import AgreementData, MeasureRecord, Model, load_model
from policykb.model import Link, fingerprint
from policykb.repo import Repo
from policykb.terminal import steps
from policykb.writing import Changes, digest_of
from policykb.yamlio import plain_data

MENTIONS_FILE = "mentions.yaml"
MENTIONS_HEADER = (
    "# Links from the preambles (intro paragraphs) of this agreement to kb/, written by\n"
    "# `policykb link`. Decide each one as in a measure file: see docs/link.md.\n"
)
_LINKS_BEFORE = ("no_organisation", "notes")


@dataclass
class LinkPlan:
    """What one run of link would write (each file with the state it was read in), and what it found."""

    pending: Changes = field(default_factory=Changes)
    counts: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)

    @property
    def files(self) -> dict[Path, bytes]:
        return self.pending.files

    def changes(self) -> list[Path]:
        return sorted(self.pending.files)


def plan(repo: Repo, model: Model | None = None) -> LinkPlan:
    """Match and merge in memory; raises `DataError` on invalid data; writes nothing."""
    model = model or load_model(repo)
    matcher = Matcher({key: entry.record for key, entry in model.kb.items()}, model.vocabulary)
    result = LinkPlan()
    for agreement in model.agreements:
        _plan_agreement(agreement, matcher, result)
    return result


def apply(link_plan: LinkPlan) -> list[Path]:
    """Write every changed file (`Changes.apply`: all to temporaries first, then renamed; refused,
    with nothing written, when a file changed since link read it); returns the paths written."""
    return link_plan.pending.apply()


def _plan_agreement(agreement: AgreementData, matcher: Matcher, result: LinkPlan) -> None:
    active = [record for record in agreement.measures if record.measure.lifecycle == "active"]
    preambles = agreement.structure.preambles
    texts = [record.measure.text for record in active] + [agreement.text[p.start : p.end] for p in preambles]
    with steps(f"koppelen {agreement.id}", 1 + len(active)) as advance:  # on a terminal only
        advance("namen zoeken")
        found = matcher.find(texts)
        for record, mentions in zip(active, found[: len(active)], strict=True):
            advance(record.measure.id)
            _merge_measure(record, mentions, result)
    path = agreement.folder / MENTIONS_FILE
    raw_mentions = copy.deepcopy(agreement.mentions_raw.rt) if agreement.mentions_raw is not None else yamlio.mapping()
    old = raw_mentions.get("preambles") or yamlio.mapping()
    decided = agreement.mentions.preambles if agreement.mentions is not None else {}
    merged = yamlio.mapping()
    for preamble, mentions in zip(preambles, found[len(active) :], strict=True):
        text = agreement.text[preamble.start : preamble.end]
        links = merge_links(
            old.get(preamble.id), decided.get(preamble.id, []), mentions, fingerprint(text), result.counts
        )
        if links:
            merged[preamble.id] = links
    for gone in [key for key in old if key not in merged and any(link.decided for link in decided.get(key, []))]:
        merged[gone] = old[gone]  # a decision is never dropped; `check` reports the preamble as gone
        result.log.append(f"{path.name}: preamble '{gone}' is no longer in the text; its decisions are kept")
    if not merged and agreement.mentions_raw is None:
        return
    raw_mentions["agreement"] = agreement.id
    raw_mentions["preambles"] = merged
    content = (MENTIONS_HEADER if agreement.mentions_raw is None else "") + yamlio.dumps(raw_mentions)
    _stage(result, path, content, agreement.mentions_raw.digest if agreement.mentions_raw is not None else None)


def _merge_measure(record: MeasureRecord, mentions: list[Mention], result: LinkPlan) -> None:
    """Stage the measure's file with its links merged, unless they stay as they are."""
    stamp = fingerprint(record.measure.text)
    before = record.document.data.get("links") or []
    # First on the plain data (cheap); only a measure whose links change is read round-trip.
    if (
        plain_data(merge_links(yamlio.round_trip(before), record.measure.links, mentions, stamp, result.counts))
        == before
    ):
        return  # the links are as they were: the file is left exactly as the curator wrote it
    raw = copy.deepcopy(record.document.rt)  # the model stays as loaded (check reads its line numbers)
    yamlio.insert_before(
        raw, "links", merge_links(raw.get("links"), record.measure.links, mentions, stamp, Counter()), _LINKS_BEFORE
    )
    _stage(result, record.path, yamlio.dumps(raw), record.document.digest)


def _stage(result: LinkPlan, path: Path, content: str, read: str | None) -> None:
    """Put `content` in the plan when it differs from the file as it was read (`read`: its sha256)."""
    data = content.encode("utf-8")
    if digest_of(data) != read:
        result.pending.put(path, data, read)


def merge_links(
    raw_links: Sequence[yamlio.Map] | None,
    links: Sequence[Link],
    mentions: Sequence[Mention],
    text_fingerprint: str,
    counts: Counter[str],
) -> yamlio.Seq:
    """The links of one text after a run: human decisions kept, suggestions refreshed.

    `raw_links` and `links` are the same links on disk (round-trip and validated); `mentions` are
    what the matcher finds in the text now. See the module docstring for the rules.
    """
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.target, []).append(mention)
    kept: list[yamlio.Map] = []
    covered: set[str] = set()
    for raw, link in zip(raw_links or [], links, strict=True):
        if not (link.added == "curator" or link.decided):
            continue  # the linker's own: regenerated below from the current text
        if link.added == "linker" and link.target in groups:
            _move(raw, groups[link.target])
        if link.reviewed is None:
            yamlio.set_key(raw, "reviewed", text_fingerprint, "reason" if "reason" in raw else "review")
        kept.append(raw)
        covered.add(link.target)
        counts["added by hand" if link.added == "curator" else link.review] += 1
    suggested_before = {link.target for link in links if not (link.added == "curator" or link.decided)}
    for target, group in groups.items():
        if target not in covered:
            kept.append(_suggestion(group))
            counts["suggested"] += 1
            counts["new"] += target not in suggested_before
    counts["dropped"] += len(suggested_before - groups.keys())
    kept.sort(key=lambda raw: (raw["span"]["start"] if raw.get("span") else float("inf"), raw["target"]))
    return yamlio.sequence(kept)


def _suggestion(group: Sequence[Mention]) -> yamlio.Map:
    first = group[0]
    raw = yamlio.mapping(target=first.target, relation=first.relation)
    _set_spans(raw, group)
    raw.update(alias=first.alias, confidence=first.confidence, justification=first.justification, review="suggested")
    return raw


def _set_spans(raw: yamlio.Map, group: Sequence[Mention]) -> None:
    raw["span"] = yamlio.mapping(start=group[0].start, end=group[0].end, flow=True)
    if len(group) > 1:
        also = yamlio.sequence((yamlio.mapping(start=m.start, end=m.end, flow=True) for m in group[1:]), flow=True)
        raw.pop("also", None)
        yamlio.set_key(raw, "also", also, "span")
    elif "also" in raw:
        del raw["also"]


def _move(raw: yamlio.Map, group: Sequence[Mention]) -> None:
    """Point a decided link at where its target is named now (the decision itself is untouched)."""
    where = [(m.start, m.end) for m in group]
    now = [(raw["span"]["start"], raw["span"]["end"])] + [(s["start"], s["end"]) for s in raw.get("also", [])]
    if where != now:
        _set_spans(raw, group)


def report(model: Model) -> tuple[list[str], Counter[str]]:
    """Per measure (and preamble) its confirmed links and every unreviewed suggestion."""
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for agreement in model.agreements:
        lines.append(agreement.id)
        texts = [
            (r.measure.id, r.measure.title, r.measure.links, r.measure.no_organisation)
            for r in agreement.measures
            if r.measure.lifecycle == "active"
        ]
        preambles = agreement.mentions.preambles if agreement.mentions else {}
        texts += [(key, "(preamble)", links, None) for key, links in sorted(preambles.items())]
        for key, title, links, no_organisation in texts:
            lines.append(f"  {key}  {title}")
            for link in links:
                kind = "added by hand" if link.added == "curator" else link.review
                counts[kind] += 1
                if link.review == "rejected":
                    continue
                mark = "?" if link.review == "suggested" else "+"
                quote = f" '{link.alias}'" if link.alias else " (by hand)"
                tail = f"  [unreviewed, confidence {link.confidence}]" if link.review == "suggested" else ""
                lines.append(f"    {mark} {link.relation} {link.target}{quote}{tail}")
            if no_organisation:
                lines.append(f"    - no organisation: {no_organisation}")
    return lines, counts
