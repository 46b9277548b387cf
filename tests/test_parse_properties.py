"""Properties of parse on generated agreements: offsets always round-trip, every bullet comes
back verbatim, page numbers never stay in the text, and parse is a fixed point."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, parse_into
from policykb import yamlio
from policykb.parse import plan
from policykb.repo import Repo

LETTERS = "abcdefghijklmnopqrstuvwxyzéëïóü"
word = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(lambda w: w if w[0] != "-" else w[1:] or "x")
# Compounds keep their hyphen inside a word. Mid-sentence capitals (`COA-locaties` opening a
# line) are a real ambiguity between a heading and a wrapped line; the golden cases cover them,
# the properties are about texts whose structure is unambiguous.
compound = st.tuples(st.sampled_from(["trauma", "niet", "b1", "oud"]), word).map(lambda pair: f"{pair[0]}-{pair[1]}")
quoted = word.map(lambda w: f"‘{w}’")
token = st.one_of(word, word, word, compound, quoted, st.sampled_from(["zo’n", "écht", "21e", "(vtl)"]))


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(token, min_size=3, max_size=18))
    first = words[0]
    words[0] = first[0].upper() + first[1:] if first[0].isalpha() else "Het " + first
    # Not "?": a short question on a line of its own is as much a heading as a sentence.
    return " ".join(words) + draw(st.sampled_from([".", ".", "!"]))


@st.composite
def document(draw: st.DrawFn) -> tuple[list[tuple[str, str]], int, bool, str]:
    """Blocks as (kind, text), the wrap width, double spacing, the bullet glyph."""
    blocks: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 4))):
        title = " ".join(draw(st.lists(word, min_size=1, max_size=5)))
        blocks.append(("heading", title[0].upper() + title[1:]))
        if draw(st.booleans()):
            blocks.append(("prose", " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))))
        for _ in range(draw(st.integers(0, 5))):
            blocks.append(("bullet", " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))))
    return blocks, draw(st.integers(50, 95)), draw(st.booleans()), draw(st.sampled_from(["•", "▪", "◦", "\uf0b7"]))


def render(blocks: list[tuple[str, str]], width: int, double: bool, glyph: str, page_every: int) -> str:
    """As a PDF extraction would give it: wrapped lines, bullets with a glyph, page numbers."""
    lines: list[str] = []
    for kind, text in blocks:
        if lines:
            lines.append(" " if double else "")
        if kind == "bullet":
            wrapped = textwrap.wrap(text, width - 2, break_on_hyphens=False, break_long_words=False)
            lines.extend([f"{glyph} {wrapped[0]}", *wrapped[1:]])
        else:
            lines.extend(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False))
    with_pages: list[str] = []
    page = 3
    for index, line in enumerate(lines, start=1):
        with_pages.append(line + " ")
        if page_every and index % page_every == 0 and index < len(lines):
            # Set apart by blank lines, as extractions give them: a bare number inside a running
            # sentence with no break around it is read as text ("elk jaar / 40 / miljoen").
            with_pages.extend([" ", str(page), " "] if double else ["", str(page), ""])
            page += 1
    return "".join(line + ("\n\n" if double else "\n") for line in with_pages)


# Derandomized so CI is reproducible; random seeds still find rare heading-or-wrapped-line
# ambiguities in generated text (see docs/decisions/0005-parse-cues-and-ids.md).
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(document(), st.sampled_from([0, 7, 13]))
def test_offsets_round_trip_bullets_come_back_and_parse_is_a_fixed_point(doc, page_every: int) -> None:  # type: ignore[no-untyped-def]
    blocks, width, double, glyph = doc
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "in.txt"
        source.write_text(render(blocks, width, double, glyph, page_every), encoding="utf-8")
        parse_into(root, source, "generated")
        agreement = root / "policy" / "generated"
        text = (agreement / "text.txt").read_text(encoding="utf-8")
        measures = [yamlio.load(path) for path in sorted((agreement / "measures").glob("*.yaml"))]
        for measure in measures:
            assert text[measure["source"]["start"] : measure["source"]["end"]] == measure["text"]
        found = [m["text"] for m in sorted(measures, key=lambda m: m["source"]["start"])]
        assert found == [block_text for kind, block_text in blocks if kind == "bullet"]
        if page_every:
            assert not any(line.strip().isdigit() for line in text.splitlines())
        assert plan(Repo(root), "generated", on=TODAY).changes() == []
