"""Find mentions of kb records in text: spaCy's blank Dutch tokenizer and two PhraseMatchers.

Reads kb records (their names and aliases) and plain texts; returns `Mention`s with code-point
offsets into each text. Writes nothing. What counts as a mention:

- an alias, whole tokens only (`IND` never matches inside `vinden`); an abbreviation-like alias
  (one token, at most five characters or with a capital after the first) only in its own case,
  any other alias in any case;
- inside a hyphenated compound: the tokenizer splits `COA-locaties`, `SER-advies` and
  `politie-inzet` at the hyphen, so the part that is an alias matches; a hyphen in an alias may be
  written as a hyphen, a space or nothing (`Commissie-Roemer`, `Commissie Roemer`);
- typographic variants: curly quotes and the dashes `‐‑‒–—` count as `'` and `-`;
- an abbreviation the text defines in parentheses right after a mention (`Dienst Terugkeer en
  Vertrek (DT&V)`), everywhere in the same agreement;
- an alias several records share (marked `ambiguous` in kb/) yields one mention per record, at a
  confidence divided among them, so a curator picks one.
Themes are assigned by curators, not matched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from policykb.model import KbRecord
from policykb.vocab import Vocabulary, default_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_TYPOGRAPHIC = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "`": "'"})
_DEFINITION = re.compile(r"\s?\(([A-Z][A-Za-z&]{1,9})\)")
_LETTER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


@dataclass(frozen=True)
class Mention:
    """A place where a text names a kb record, with the relation the linker proposes."""

    target: str
    start: int
    end: int
    alias: str
    relation: str
    confidence: float
    justification: str
    shared: bool = False
    """The alias belongs to several records (one mention each; a curator confirms one)."""


@cache
def tokenizer() -> Language:
    """spaCy's blank Dutch pipeline whose tokenizer also splits letter-hyphen-letter compounds and
    the genitive `'s` (`COA-locaties` → `COA` `-` `locaties`; `IND's` → `IND` `'s`)."""
    import spacy
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank("nl")
    words: Any = nlp.tokenizer  # spaCy's compiled Tokenizer has no type stubs
    words.infix_finditer = compile_infix_regex([*(nlp.Defaults.infixes or ()), r"(?<=\w)-(?=\w)"]).finditer
    words.suffix_search = compile_suffix_regex([*(nlp.Defaults.suffixes or ()), r"(?<=\w)'s"]).search
    return nlp


def normalise(text: str) -> str:
    """`text` with typographic quotes and dashes made plain; every offset stays where it was."""
    return text.translate(_TYPOGRAPHIC)


def case_sensitive(alias: str) -> bool:
    """An abbreviation-like alias (`IND`, `DT&V`, `WvSr`, `Nidos`) matches only in its own case:
    one word of at most five characters, or mostly capitals."""
    if " " in alias:
        return False
    letters = [char for char in alias if char.isalpha()]
    capitals = sum(char.isupper() for char in letters)
    return len(alias) <= 5 or (capitals >= 2 and 2 * capitals >= len(letters))


def variants(alias: str) -> set[str]:
    """The alias with each letter-hyphen-letter written as a hyphen, a space, or nothing."""
    plain = normalise(alias)
    if not _LETTER_HYPHEN.search(plain):
        return {plain}
    return {plain, _LETTER_HYPHEN.sub(" ", plain), _LETTER_HYPHEN.sub("", plain)}


@dataclass(frozen=True)
class _Entry:
    alias: str
    targets: tuple[str, ...]
    learned_from: str | None = None


class Matcher:
    """Matches the aliases of every active, non-theme kb record (built once per run)."""

    def __init__(self, kb: Mapping[str, KbRecord], vocabulary: Vocabulary | None = None) -> None:
        self.kb = kb
        self.vocabulary = vocabulary or default_vocabulary()
        holders: dict[str, list[str]] = {}
        spelled: dict[str, str] = {}
        for key in sorted(kb):
            record = kb[key]
            if record.lifecycle != "active" or self.vocabulary.target_class(record.kind) == "theme":
                continue
            for alias in record.alias_forms():
                fold = normalise(alias.text).casefold()
                spelled.setdefault(fold, alias.text)
                if key not in holders.setdefault(fold, []):
                    holders[fold].append(key)
        self.known = {fold: tuple(keys) for fold, keys in holders.items()}
        self.entries: list[_Entry] = [_Entry(spelled[fold], keys) for fold, keys in self.known.items()]
        self._matchers = self._build(self.entries)

    def _build(self, entries: Sequence[_Entry]):
        from spacy.matcher import PhraseMatcher

        nlp = tokenizer()
        exact, folded = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
        for index, entry in enumerate(entries):
            matcher = exact if case_sensitive(entry.alias) else folded
            matcher.add(str(index), [nlp.make_doc(form) for form in sorted(variants(entry.alias))])
        return exact, folded

    def find(self, texts: Sequence[str]) -> list[list[Mention]]:
        """The mentions in each text (one agreement's texts, in reading order), sorted by offset.

        Abbreviations defined in one text (`Long Name (ABBR)`) are matched in all of them.
        """
        nlp = tokenizer()
        docs = list(nlp.pipe(normalise(text) for text in texts))
        found = [self._mentions(doc, self.entries, self._matchers) for doc in docs]
        learned = self._learn(docs, found)
        if learned:
            matchers = self._build(learned)
            for index, doc in enumerate(docs):
                found[index] = _without_overlaps(found[index] + self._mentions(doc, learned, matchers))
        return found

    def _mentions(self, doc: Doc, entries: Sequence[_Entry], matchers) -> list[Mention]:
        mentions = []
        for matcher in matchers:
            for match_id, start, end in matcher(doc):
                entry = entries[int(doc.vocab.strings[match_id])]
                span = doc[start:end]
                mentions.extend(self._mention(entry, span.start_char, span.end_char, span.text))
        return _without_overlaps(mentions)

    def _mention(self, entry: _Entry, start: int, end: int, surface: str) -> list[Mention]:
        if entry.learned_from is not None:
            confidence, how = 0.8, f"'{surface}', in de tekst ingevoerd als afkorting van '{entry.learned_from}',"
        elif case_sensitive(entry.alias):
            confidence, how = 0.9, f"de afkorting '{entry.alias}'"
        elif " " not in entry.alias and entry.alias.islower():
            confidence, how = 0.7, f"de algemene term '{surface}'"
        elif surface == normalise(entry.alias):
            confidence, how = 0.95, f"de naam '{entry.alias}'"
        else:
            confidence, how = 0.85, f"'{surface}', een variant van de naam '{entry.alias}',"
        share = len(entry.targets)
        mentions = []
        for target in entry.targets:
            record = self.kb[target]
            justification = f"{how} verwijst naar {record.name.nl}"
            if share > 1:
                others = ", ".join(self.kb[other].name.nl for other in entry.targets if other != target)
                justification += f"; dubbelzinnig, ook een naam voor {others}: bevestig er één"
            relation = self.vocabulary.suggested_relation(record.kind)
            mentions.append(
                Mention(
                    target, start, end, entry.alias, relation, round(confidence / share, 2), justification, share > 1
                )
            )
        return mentions

    def _learn(self, docs: Sequence[Doc], found: Sequence[list[Mention]]) -> list[_Entry]:
        """Abbreviations defined right after an unambiguous mention and not yet an alias."""
        learned: dict[str, _Entry] = {}
        for doc, mentions in zip(docs, found, strict=True):
            for mention in mentions:
                definition = _DEFINITION.match(doc.text, mention.end)
                if definition is None or mention.shared:
                    continue
                abbreviation = definition.group(1)
                if abbreviation.casefold() in self.known or abbreviation in learned:
                    continue
                learned[abbreviation] = _Entry(abbreviation, (mention.target,), doc.text[mention.start : mention.end])
        return list(learned.values())


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Drop a mention of a record inside a longer mention of the same record; sort by offset."""
    by_target: dict[str, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.target, -m.confidence)):
        kept = by_target.setdefault(mention.target, [])
        if any(other.start <= mention.start and mention.end <= other.end for other in kept):
            continue
        kept.append(mention)
    return sorted((m for kept in by_target.values() for m in kept), key=lambda m: (m.start, m.end, m.target))
