"""The synthetic corpus the tests and benchmarks use: a complete repository root, deterministic
for a seed and a text.

`generate(root, measures=N, words=TEXT, records=M, seed=S)` writes below `root`:

- `kb/<folder>/<id>.yaml`: M records (organisations with abbreviations, laws, bills, EU
  regulations, themes), each with aliases and identifiers of the real shapes, sourced to
  `https://example.org/synthetic/…` (the data is made up, and says so);
- `policy/synthetic/source.txt`: an extraction shaped like the first corpus (double-spaced lines,
  headings, intro paragraphs ending in "Dit willen we doen:", bullets, a page number every ~50
  lines) in Dutch drawn from the word sequences of `words` (the tests and benchmarks give the first
  corpus's text), each bullet naming one to three kb records; then the real `parse` writes
  `text.txt`, `structure.yaml` and N measures;
- with `per_agreement=P`, the measures in agreements of at most P each (`policy/synthetic/`,
  `policy/synthetic-2/`, …, each parsed as a new agreement of the repository, so its ids get a
  prefix of their own), as a repository of many agreements holds them;
- unless `curated=False`: the real `link`, then every suggestion confirmed and stamped, a theme, a
  status and (where no organisation is named) a `no_organisation` reason per measure — the state of
  a fully curated agreement, so compile, check and the site run on it with `--root`.

From the command line: `scripts/synth.py ROOT [--measures N] [--records M] [--seed S]
[--per-agreement P] [--raw]`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

from policykb import yamlio
from policykb.model import fingerprint
from policykb.repo import Repo
from policykb.writing import write_bytes_atomic

AGREEMENT = "synthetic"
TODAY = dt.date(2026, 11, 29)
SOURCE = "https://example.org/synthetic"
KINDS = (("organisation", 0.4), ("law", 0.2), ("bill", 0.15), ("eu-regulation", 0.15), ("theme", 0.1))
"""The kinds the corpus draws its records from, with their shares."""


@lru_cache(maxsize=4)
def chain(text: str) -> dict[str, list[str]]:
    """Which word follows which in `text` (a first-order Markov chain of its words)."""
    words = re.findall(r"[A-Za-zÀ-ÿ][\wÀ-ÿ'’-]*", text)
    following: dict[str, list[str]] = {}
    for word, after in zip(words, words[1:], strict=False):
        following.setdefault(word.lower(), []).append(after)
    return following


def sentence(rng: random.Random, names: list[str], following: dict[str, list[str]]) -> str:
    """8-22 words in the text's word order, naming `names` along the way."""
    word = rng.choice(sorted(following))
    words = [word]
    for _ in range(rng.randint(7, 21)):
        word = rng.choice(following.get(word.lower()) or sorted(following))
        words.append(word)
    for name in names:
        words.insert(rng.randint(1, len(words)), f"de {name}")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def kb_records(count: int, rng: random.Random, following: dict[str, list[str]]) -> list[dict[str, Any]]:
    """`count` records across the kinds, every alias unique, every identifier of its real shape."""
    vocabulary = sorted({word for word in following if word.isascii() and word.isalpha() and len(word) > 5})
    records = []
    for index in range(count):
        kind = rng.choices([kind for kind, _ in KINDS], [weight for _, weight in KINDS])[0]
        word = rng.choice(vocabulary)
        number = index + 1
        record: dict[str, Any]
        if kind == "organisation":
            name = f"Landelijk Bureau {word.capitalize()} {number}"
            record = {"id": f"lb-{number}", "aliases": [name, f"LB{number}"]}
        elif kind == "law":
            name = f"Wet {word} {number}"
            record = {
                "id": f"wet-{word}-{number}",
                "aliases": [name],
                "identifiers": {"bwb": {"value": f"BWBR{number:07d}", "source": f"{SOURCE}/bwb/{number}"}},
            }
        elif kind == "bill":
            dossier = 30000 + number
            name = f"Wetsvoorstel {word} {number}"
            record = {
                "id": f"kst-{dossier}",
                "aliases": [name],
                "identifiers": {"kamerstuk": {"value": str(dossier), "source": f"{SOURCE}/kst/{dossier}"}},
            }
        elif kind == "eu-regulation":
            year, act = 2014 + number % 12, 1000 + number
            name = f"Verordening {word} {number}"
            record = {
                "id": f"eu-{year}-{act}",
                "aliases": [name],
                "identifiers": {
                    "celex": {"value": f"3{year}R{act:04d}", "source": f"{SOURCE}/celex/{year}/{act}"},
                    "eli": {
                        "value": f"http://data.europa.eu/eli/reg/{year}/{act}/oj",
                        "source": None,
                        "status": "derived",
                    },
                },
            }
        else:
            name = f"{word.capitalize()} {number}"
            record = {"id": f"thema-{number}", "aliases": []}
        records.append(
            {
                "id": record["id"],
                "kind": kind,
                "name": {"nl": name, "en": f"{name} (en)"},
                "aliases": record["aliases"],
                **({"identifiers": record["identifiers"]} if "identifiers" in record else {}),
                "sources": [f"{SOURCE}/{record['id']}"],
                "notes": "Synthetic record for tests and benchmarks (policykb.synth).",
                "toelichting": "Synthetisch record voor tests en benchmarks (policykb.synth).",
            }
        )
    return records


def source_text(measures: int, names: list[str], words: str, seed: int = 7, title: str = "Synthetisch akkoord") -> str:
    """A double-spaced extraction with `measures` bullets in sections of 8, each naming kb records."""
    rng, following = random.Random(seed), chain(words)
    lines: list[str] = [title, " "]
    page, since_page = 1, 0
    for number in range(measures):
        if number % 8 == 0:
            intro = " ".join(sentence(rng, [], following) for _ in range(3)) + " Dit willen we doen:"
            lines += [" ", f"Sectie {number // 8 + 1} over {rng.choice(sorted(following))}", *textwrap.wrap(intro, 84)]
        mentioned = rng.sample(names, k=min(len(names), rng.randint(1, 3))) if names else []
        parts = [sentence(rng, mentioned[:1], following), *(sentence(rng, [name], following) for name in mentioned[1:])]
        wrapped = textwrap.wrap(" ".join(parts), 84)
        lines += ["• " + wrapped[0], *wrapped[1:]]
        since_page += len(wrapped)
        if since_page > 50:
            lines += ["  ", str(page), " "]
            page, since_page = page + 1, 0
    return "".join(f"{line} \n\n" for line in lines)


def generate(
    root: Path,
    measures: int,
    words: str,
    records: int = 200,
    seed: int = 1,
    curated: bool = True,
    per_agreement: int | None = None,
) -> Repo:
    """Write the corpus below `root` (see the module docstring); returns its `Repo`."""
    from policykb.parse import apply as apply_parse
    from policykb.parse import plan as plan_parse

    rng = random.Random(seed)
    repo = Repo(root)
    kb = kb_records(records, rng, chain(words))
    for record in kb:
        write_bytes_atomic(
            repo.kb / repo.vocabulary.kinds[record["kind"]].folder / f"{record['id']}.yaml",
            yamlio.dumps(record).encode("utf-8"),
        )
    names = [alias for record in kb for alias in record["aliases"][:1] if record["kind"] != "theme"]
    size = per_agreement or measures or 1
    for number, start in enumerate(range(0, measures, size), start=1):
        agreement = AGREEMENT if number == 1 else f"{AGREEMENT}-{number}"
        count = min(size, measures - start)
        title = "Synthetisch akkoord" if number == 1 else f"Synthetisch akkoord {number}"
        repo.agreement_dir(agreement).mkdir(parents=True, exist_ok=True)
        source = root / "synthetic-source.txt"
        source.write_text(source_text(count, names, words, seed + number - 1, title), encoding="utf-8")
        parsed = plan_parse(repo, agreement, source, on=TODAY)
        assert parsed.counts["measures"] == count, parsed.counts
        apply_parse(parsed)
        source.unlink()
    if curated:
        curate(repo, kb, rng)
    return repo


def curate(repo: Repo, kb: list[dict[str, Any]], rng: random.Random) -> None:
    """Run the real link, then decide as a curator would: confirm every suggestion, add a theme,
    a lead organisation (the first one involved, else any) and a first status; a re-run of link
    then finds nothing to change."""
    from policykb import link

    themes = [record["id"] for record in kb if record["kind"] == "theme"]
    organisations = [record["id"] for record in kb if record["kind"] == "organisation"]
    link.apply(link.plan(repo))
    for agreement_id in repo.agreement_ids():
        folder = repo.agreement_dir(agreement_id)
        for path in yamlio.iter_yaml_files(folder / "measures"):
            raw = yamlio.load(path)
            stamp = fingerprint(raw["text"])
            for entry in raw.get("links", []):
                entry["review"], entry["reviewed"] = "confirmed", stamp
            raw["status"] = [
                {"date": TODAY, "value": "not-started", "assessor": "synthetisch", "evidence": ["agreement"]}
            ]
            if themes:
                raw["themes"] = [rng.choice(themes)]
            involved = [entry["target"] for entry in raw.get("links", []) if entry["relation"] == "involves"]
            if not involved:
                raw["no_organisation"] = "Synthetisch: er wordt geen organisatie genoemd."
            if involved or organisations:
                raw["lead"] = {
                    "organisation": involved[0] if involved else rng.choice(organisations),
                    "source": f"{SOURCE}/portefeuilleverdeling",
                    "toelichting": "Synthetisch: de eerste betrokken organisatie.",
                }
            path.write_bytes(yamlio.dumps(raw).encode("utf-8"))
        structure = yamlio.load(folder / "structure.yaml")
        text = yamlio.read_text(folder / "text.txt")
        candidates = [
            " ".join(text[c["start"] : c["end"]].split())
            for p in structure["preambles"]
            for c in p.get("candidates", [])
        ]
        if candidates:
            agreement = yamlio.load(folder / "agreement.yaml")
            agreement["dismissed"] = [
                {"quote": quote, "reason": "Synthetisch: een inleidende zin, geen maatregel."}
                for quote in dict.fromkeys(candidates)
            ]
            (folder / "agreement.yaml").write_bytes(yamlio.dumps(agreement).encode("utf-8"))
        mentions = folder / "mentions.yaml"
        if mentions.is_file():
            raw = yamlio.load(mentions)
            preambles = {preamble["id"]: preamble for preamble in structure["preambles"]}
            for key, entries in raw["preambles"].items():
                stamp = fingerprint(text[preambles[key]["start"] : preambles[key]["end"]])
                for entry in entries:
                    entry["review"], entry["reviewed"] = "confirmed", stamp
            mentions.write_bytes(yamlio.dumps(raw).encode("utf-8"))
    assert not link.plan(repo).changes(), "a curated corpus must be in step with link"
