"""Derived text values, computed when needed and never stored: sentences, titles,
the share of a text removed as page furniture.

Sentences come from spaCy's blank pipeline of the agreement's language with the rule-based
sentencizer (no model download is possible or needed). Titles are cut from a measure's first
clause. (Which sentences commit is the language's: `policykb.language`.) The furniture
share is parse's limit and the coverage rule's figure (one count for both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

TITLE_LIMIT = 80


@cache
def sentencizer(language: str = "nl") -> Language:
    """A blank spaCy pipeline of `language` (its spaCy code) with the rule-based sentencizer
    (built once per language)."""
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(texts: Iterable[str], language: str = "nl") -> Iterator[list[tuple[int, int]]]:
    """For each text, its sentences as (start, end) code-point offsets, trailing spaces excluded."""
    nlp = sentencizer(language)
    texts = list(texts)
    nlp.max_length = max([nlp.max_length, *(len(text) + 1 for text in texts)])
    for doc in nlp.pipe(texts):
        spans = []
        for sentence in doc.sents:
            start, end = sentence.start_char, sentence.end_char
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        yield spans


def furniture_share(text: str, removed: Iterable[str]) -> tuple[int, float]:
    """The non-whitespace characters removed from a text as page furniture, and their share (in
    %) of the text they were removed from (what is left plus what was removed)."""
    removed_characters = sum(1 for piece in removed for character in piece if not character.isspace())
    total = removed_characters + sum(1 for character in text if not character.isspace())
    return removed_characters, 100 * removed_characters / total if total else 0.0


def title_from(text: str, limit: int = TITLE_LIMIT) -> str:
    """A title from the first clause of `text`, at most about `limit` characters."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].rstrip(".") or text.strip()
    if len(first) <= limit:
        return first
    clause_ends = [match.start() for match in re.finditer(r"[,;:]\s|\s[-–]\s", first[: limit + 1])]
    good = [end for end in clause_ends if end >= limit // 3]
    if good:
        return first[: good[-1]].rstrip()
    cut = first.rfind(" ", 0, limit - 1)
    return first[: cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"
