"""The words parse reads an agreement by, per language, from `policykb/languages/<code>.yaml`.

Reads one YAML file per language (Dutch, German, English ship with policykb) into a strict model;
writes nothing. Parse asks it which sentences commit ("we gaan", "wir werden"), what a table of
contents and an annex are called, how months are named (the date a cover prints) and, for a new
agreement, which language its text is in. Teaching parse a word is one entry in one file; a
language is one file more. Structural words (contents titles, annex words) are read in every
language at once: a Dutch agreement may well have an English "Annex".
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Annotated

from pydantic import Field

from policykb import yamlio
from policykb.resources import LANGUAGES
from policykb.validation import Strict, validate

DEFAULT = "nl"
"""The language of an agreement that says none, and the first-class case."""

Word = Annotated[str, Field(min_length=1)]


class Names(Strict):
    nl: Word
    en: Word


class Language(Strict):
    """One language's words (`languages/nl.yaml` explains each field)."""

    name: Names
    spacy: Word
    we: list[Word] = Field(min_length=1)
    commitment_verbs: list[Word] = Field(min_length=1)
    contents_titles: list[Word] = Field(min_length=1)
    annex_words: list[Word] = Field(min_length=1)
    months: list[Word] = Field(min_length=12, max_length=12)
    and_: list[Word] = Field(alias="and", min_length=1)
    common_words: list[Word] = Field(min_length=10)

    def is_commitment(self, sentence: str) -> bool:
        """A sentence in which "we" commit to act (not a list announcement such as "Dit willen we
        doen:", nor a question)."""
        if sentence.rstrip().endswith((":", "?")):
            return False
        words = {word.casefold() for word in re.findall(r"\w+", sentence)}
        return not words.isdisjoint(self._we) and not words.isdisjoint(self._verbs)

    @functools.cached_property
    def _we(self) -> frozenset[str]:
        return frozenset(word.casefold() for word in self.we)

    @functools.cached_property
    def _verbs(self) -> frozenset[str]:
        return frozenset(word.casefold() for word in self.commitment_verbs)


def codes() -> list[str]:
    """The languages parse has words for."""
    return sorted(path.stem for path in LANGUAGES.glob("*.yaml"))


@functools.cache
def language(code: str) -> Language:
    """The words of language `code`; one parse has none for is a `KeyError` (the agreement model
    checks `language` against `codes()` first)."""
    path = LANGUAGES / f"{code}.yaml"
    if not path.is_file():
        raise KeyError(code)
    return validate(Language, yamlio.read(path), path)


@functools.cache
def every_language() -> tuple[Language, ...]:
    return tuple(language(code) for code in codes())


def structural_words(field: str) -> tuple[str, ...]:
    """The words of `field` (`contents_titles`, `annex_words`) in every language, longest first."""
    words = {word.casefold() for each in every_language() for word in getattr(each, field)}
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


def month_number(word: str) -> int | None:
    """1-12 for a month name in any language (`november`, `März`), None otherwise."""
    folded = word.casefold()
    for each in every_language():
        for number, name in enumerate(each.months, start=1):
            if folded == name.casefold():
                return number
    return None


def detect(text: str) -> str:
    """The language whose most frequent words the text uses most, when it uses them at least
    five times and twice as often as the default's; the default otherwise."""
    words = Counter(word.casefold() for word in re.findall(r"\w+", text))
    scores = {code: sum(words[word] for word in language(code).common_words) for code in codes()}
    best = max(scores, key=lambda code: (scores[code], code == DEFAULT))
    return best if scores[best] >= 5 and scores[best] >= 2 * scores[DEFAULT] else DEFAULT
