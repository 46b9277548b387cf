"""`policykb link`: what the matcher finds in tricky text, and how suggestions merge with decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import parse_into
from policykb import yamlio
from policykb.cli import main
from policykb.link.matcher import Matcher
from policykb.load import load_model
from policykb.model import KbRecord, fingerprint
from policykb.problems import DataError
from policykb.repo import Repo

KB = {
    "ind": ("organisation", ["IND", "Immigratie- en Naturalisatiedienst"]),
    "coa": ("organisation", ["COA", "Centraal Orgaan opvang asielzoekers"]),
    "ser": ("organisation", ["SER"]),
    "politie": ("organisation", ["politie"]),
    "dtv": ("organisation", ["Dienst Terugkeer en Vertrek"]),
    "commissie-roemer": ("organisation", ["Commissie-Roemer"]),
    "ser-advies": ("document", ["SER-advies"]),
    "eu-migratiepact": ("eu-package", ["EU-migratiepact", "het Pact"]),
    "rijkswet-op-het-nederlanderschap": ("law", ["Rijkswet op het Nederlanderschap", "nationaliteitswet"]),
    "kst-36703": ("bill", ["Wet invoering tweestatusstelsel"]),
    "eu-2025-0059-cod": ("eu-procedure", [{"text": "terugkeerverordening", "ambiguous": True}]),
    "eu-2024-1349": ("eu-regulation", [{"text": "terugkeerverordening", "ambiguous": True}]),
    "opvang": ("theme", ["opvang"]),
}
FOLDERS = {
    "organisation": "organisations",
    "document": "documents",
    "eu-package": "eu-acts",
    "law": "laws",
    "bill": "bills",
    "eu-procedure": "eu-procedures",
    "eu-regulation": "eu-acts",
    "theme": "themes",
}


def records() -> dict[str, KbRecord]:
    return {
        key: KbRecord.model_validate({"id": key, "kind": kind, "name": {"nl": key, "en": key}, "aliases": aliases})
        for key, (kind, aliases) in KB.items()
    }


def found(*texts: str) -> list[list[tuple[str, str]]]:
    """(target, matched text) per text."""
    results = Matcher(records()).find(list(texts))
    return [
        [(m.target, text[m.start : m.end]) for m in mentions] for text, mentions in zip(texts, results, strict=True)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De IND beslist.", [("ind", "IND")]),
        ("Wat we vinden, indien nodig: de Ind en ind.", []),
        ("Alternatieve huisvesting tussen COA-locaties en een woning.", [("coa", "COA")]),
        ("Het SER-advies volgen we.", [("ser", "SER"), ("ser-advies", "SER-advies")]),
        ("Hogere politie-inzet bij aanmeldcentra.", [("politie", "politie")]),
        ("De IND's besluiten.", [("ind", "IND")]),
        ("Het Centraal orgaan Opvang Asielzoekers.", [("coa", "Centraal orgaan Opvang Asielzoekers")]),
        (
            "De Commissie Roemer en de commissie-roemer en CommissieRoemer.",
            [
                ("commissie-roemer", "Commissie Roemer"),
                ("commissie-roemer", "commissie-roemer"),
                ("commissie-roemer", "CommissieRoemer"),
            ],
        ),
        ("Het EU‑migratiepact en het Pact.", [("eu-migratiepact", "EU‑migratiepact"), ("eu-migratiepact", "het Pact")]),
        ("Door de nationaliteitswet te moderniseren.", [("rijkswet-op-het-nederlanderschap", "nationaliteitswet")]),
        ("De Wet Invoering Tweestatusstelsel.", [("kst-36703", "Wet Invoering Tweestatusstelsel")]),
        (
            "De Immigratie- en Naturalisatiedienst (IND) beslist.",
            [("ind", "Immigratie- en Naturalisatiedienst"), ("ind", "IND")],
        ),
        ("Opvang en terugkeer zijn thema's.", []),
    ],
    ids=[
        "abbreviation",
        "not-inside-words-or-other-case",
        "compound",
        "compound-and-document",
        "compound-first-part",
        "genitive",
        "case-variant",
        "hyphen-variants",
        "typographic-hyphen-and-generic",
        "generic-reference",
        "capitalised-title",
        "name-and-abbreviation",
        "themes-are-not-matched",
    ],
)
def test_the_matcher_finds_each_form(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == [expected]


def test_an_abbreviation_defined_in_parentheses_is_learned_for_the_whole_agreement() -> None:
    first, second = "De Dienst Terugkeer en Vertrek (DT&V) voert uit.", "Later doet DT&V dit opnieuw; dtv niet."
    assert found(first, second) == [
        [("dtv", "Dienst Terugkeer en Vertrek"), ("dtv", "DT&V")],
        [("dtv", "DT&V")],
    ]
    mention = Matcher(records()).find([first, second])[1][0]
    assert "in de tekst ingevoerd als afkorting van 'Dienst Terugkeer en Vertrek'" in mention.justification


def test_an_ambiguous_alias_gives_one_suggestion_per_candidate() -> None:
    mentions = Matcher(records()).find(["We steunen de terugkeerverordening."])[0]
    assert sorted(m.target for m in mentions) == ["eu-2024-1349", "eu-2025-0059-cod"]
    assert all(m.confidence < 0.5 and "dubbelzinnig" in m.justification for m in mentions)


def test_organisations_are_involved_and_instruments_concerned() -> None:
    mentions = Matcher(records()).find(["De IND voert de nationaliteitswet uit."])[0]
    assert [(m.target, m.relation) for m in mentions] == [
        ("ind", "involves"),
        ("rijkswet-op-het-nederlanderschap", "concerns"),
    ]


# --- the stage on a repository ---------------------------------------------------------------

SOURCE = """Asiel

• De IND moet sneller beslissen; de IND krijgt ruimte.

• Het COA en de politie werken samen.

• We moderniseren de nationaliteitswet.

De Immigratie- en Naturalisatiedienst en het Pact komen ook hier voor. Dit willen we doen:

• Niets om te linken.
"""


@pytest.fixture
def repo(root: Path) -> Repo:
    for key, (kind, aliases) in KB.items():
        path = root / "kb" / FOLDERS[kind] / f"{key}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yamlio.dumps({"id": key, "kind": kind, "name": {"nl": key, "en": key}, "aliases": aliases}),
            encoding="utf-8",
        )
    source = root / "in.txt"
    source.write_text(SOURCE, encoding="utf-8")
    parse_into(root, source, "xx")
    return Repo(root)


def run(repo: Repo, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["link", "--root", str(repo.root), *args])
    return result.exit_code, result.output


def measure_file(repo: Repo, text_start: str) -> Path:
    for path in (repo.policy / "xx" / "measures").glob("*.yaml"):
        if yamlio.load(path)["text"].startswith(text_start):
            return path
    raise AssertionError(text_start)


def links_of(path: Path) -> list[dict]:
    return [dict(link) for link in yamlio.load(path).get("links", [])]


def decide(path: Path, target: str, **fields: str) -> None:
    raw = yamlio.load(path)
    for link in raw["links"]:
        if link["target"] == target:
            link.update(fields)
    path.write_text(yamlio.dumps(raw), encoding="utf-8")


def test_link_writes_suggestions_into_measures_and_the_preambles_file_only(repo: Repo) -> None:
    structure = (repo.policy / "xx" / "structure.yaml").read_bytes()
    code, output = run(repo)
    assert code == 0, output
    ind = measure_file(repo, "De IND")
    [link] = links_of(ind)
    assert link["target"] == "ind" and link["relation"] == "involves" and link["review"] == "suggested"
    assert link["span"] == {"start": 3, "end": 6} and link["also"] == [{"start": 34, "end": 37}]
    assert link["alias"] == "IND" and 0 < link["confidence"] <= 1 and "IND" in link["justification"]
    assert [entry["target"] for entry in links_of(measure_file(repo, "Het COA"))] == ["coa", "politie"]
    assert "links" not in yamlio.load(measure_file(repo, "Niets"))
    mentions = yamlio.load(repo.policy / "xx" / "mentions.yaml")
    assert [link["target"] for links in mentions["preambles"].values() for link in links] == ["ind", "eu-migratiepact"]
    assert (repo.policy / "xx" / "structure.yaml").read_bytes() == structure
    assert run(repo)[1].endswith("nothing to change\n")


def test_decisions_survive_a_rerun_and_rejections_are_never_resuggested(repo: Repo) -> None:
    run(repo)
    coa = measure_file(repo, "Het COA")
    text = coa.read_text(encoding="utf-8").replace("links:", "# curator: checked with the team\nlinks:")
    coa.write_text(text, encoding="utf-8")
    decide(coa, "coa", review="confirmed", relation="involves")
    decide(coa, "politie", review="rejected", reason="Named as a partner only.")
    run(repo)
    links = {link["target"]: link for link in links_of(coa)}
    current = fingerprint(yamlio.load(coa)["text"])
    assert links["coa"]["review"] == "confirmed" and links["coa"]["reviewed"] == current
    assert links["politie"]["review"] == "rejected" and links["politie"]["reason"] == "Named as a partner only."
    assert "# curator: checked with the team" in coa.read_text(encoding="utf-8")
    code, output = run(repo, "--check")
    assert code == 1 and "suggestion(s) not reviewed" in output  # the other measures are still open


def test_an_edited_text_moves_decided_spans_keeps_their_fingerprint_and_drops_stale_suggestions(repo: Repo) -> None:
    run(repo)
    ind = measure_file(repo, "De IND")
    decide(ind, "ind", review="confirmed")
    run(repo)
    reviewed = links_of(ind)[0]["reviewed"]
    source = repo.root / "in.txt"
    source.write_text(
        SOURCE.replace("• De IND moet", "• Voortaan moet de IND").replace(
            "• Het COA en de politie", "• Het COA en de brandweer"
        ),
        encoding="utf-8",
    )
    parse_into(repo.root, source, "xx")
    run(repo)
    [link] = links_of(ind)
    text = yamlio.load(ind)["text"]
    assert text[link["span"]["start"] : link["span"]["end"]] == "IND"
    assert link["reviewed"] == reviewed != fingerprint(text)  # check reports it as stale; link never re-stamps
    assert [entry["target"] for entry in links_of(measure_file(repo, "Het COA"))] == ["coa"]


def test_a_link_added_by_hand_is_kept_and_covers_its_target(repo: Repo) -> None:
    path = measure_file(repo, "We moderniseren")
    raw = yamlio.load(path)
    raw["links"] = [
        {
            "target": "rijkswet-op-het-nederlanderschap",
            "relation": "amends",
            "justification": "'moderniseren'",
            "added": "curator",
            "review": "confirmed",
        }
    ]
    path.write_text(yamlio.dumps(raw), encoding="utf-8")
    run(repo)
    [link] = links_of(path)
    assert link["added"] == "curator" and link["relation"] == "amends" and link["reviewed"] == fingerprint(raw["text"])


def test_report_and_check_pass_once_every_suggestion_is_decided(repo: Repo) -> None:
    run(repo)
    code, output = run(repo, "--report")
    assert code == 0 and "? involves ind 'IND'  [unreviewed" in output
    for path in (repo.policy / "xx" / "measures").glob("*.yaml"):
        raw = yamlio.load(path)
        for link in raw.get("links", []):
            link["review"] = "confirmed"
        path.write_text(yamlio.dumps(raw), encoding="utf-8")
    mentions = repo.policy / "xx" / "mentions.yaml"
    raw = yamlio.load(mentions)
    for links in raw["preambles"].values():
        for link in links:
            link.update(review="rejected", reason="A preamble states context, not a task.")
    mentions.write_text(yamlio.dumps(raw), encoding="utf-8")
    assert run(repo, "--check")[0] == 1  # decided, but not yet stamped with the reviewed text
    run(repo)
    code, output = run(repo, "--check")
    assert code == 0, output
    assert "+ involves ind 'IND'" in run(repo, "--report")[1]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("{target: ind, relation: involves, justification: x, added: curator, review: confirmed}", None),
        (
            "{target: ind, relation: involves, span: {start: 3, end: 6}, alias: IND, "
            "justification: x, review: rejected}",
            "links.0: a rejected link needs a `reason`",
        ),
        (
            "{target: nobody, relation: involves, justification: x, added: curator, review: confirmed}",
            "links.0.target: unknown kb id 'nobody'",
        ),
        (
            "{target: ind, relation: amends, justification: x, added: curator, review: confirmed}",
            "links.0.relation: 'amends' cannot point at a organisation",
        ),
        (
            "{target: ind, relation: runs, justification: x, added: curator, review: confirmed}",
            "links.0: unknown relation 'runs'",
        ),
        (
            "{target: ind, relation: involves, span: {start: 3, end: 600}, alias: IND, justification: x}",
            "links.0.span: beyond the end of the text",
        ),
        (
            "{target: ind, relation: involves, justification: x}",
            "links.0: a link added by the linker has a `span` and an `alias`",
        ),
    ],
    ids=[
        "valid",
        "rejected-without-reason",
        "unknown-target",
        "wrong-kind",
        "unknown-relation",
        "span-outside",
        "linker-without-span",
    ],
)
def test_bad_links_are_refused_with_their_location(repo: Repo, link: str, expected: str | None) -> None:
    path = measure_file(repo, "De IND")
    path.write_text(path.read_text(encoding="utf-8") + f"links:\n  - {link}\n", encoding="utf-8")
    if expected is None:
        assert load_model(repo).measures()
        return
    with pytest.raises(DataError) as error:
        load_model(repo)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert f"{path}:{line}: {expected}" in str(error.value)


def test_themes_must_be_themes(repo: Repo) -> None:
    path = measure_file(repo, "De IND")
    path.write_text(path.read_text(encoding="utf-8") + "themes: [opvang, ind]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"themes.1: 'ind' is not a theme in kb/themes/"):
        load_model(repo)
