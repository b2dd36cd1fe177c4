"""Match manufacturers to listed entities: candidates, a score in 0..1, strong or not, and the reasons.

The rules (one place; the command, the service and the benchmark call `ListedIndex.candidates`):
- an identifier (INN, OGRN, registration number, LEI...) both sides carry: score 1.0, strong, the reason
  naming its kind on each side ("INN 7735010706 = listed INN 7735010706");
- an identifier of one kind on both sides with no value in common (our INN is not the listed INN): two
  companies. Never strong, whatever the names say: an equal name scores 0.6 (as a country contradiction),
  any other candidate is scaled down as for a country contradiction; the reason says which identifiers differ.
  The kinds are FtM's (`identifiers`); a KPP, shared by many companies, never counts;
- a whole name key equal to a listed name's or alias's key (legal forms removed, script and word order
  ignored, see `names`): strong unless the countries contradict (both known and disjoint), score 0.95,
  0.97 when the country agrees, 0.6 when it contradicts;
- a name key equal only to a listed *weak* alias (FtM `weakAlias`: short or generic names): 0.8, never strong;
- otherwise a fuzzy score: the words of both names paired by rapidfuzz `ratio` (on the loose keys),
  each word weighted by its rarity among the listed names, every unpaired word on either side counting
  against; scaled to at most 0.9: never strong, whatever the score. Word overlap alone is not a match: "Integral"
  and "Integral SPB" share a word, but the listed name carries the distinctive "spb", so the pair is a
  weak candidate for a person, never confirmed by a machine.
Pairs under `MIN_SCORE` are not proposed. Candidates come from an index of name keys, words and word
prefixes (blocking), never from all pairs.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from manufacturers.sanctions.identifiers import CONTRADICTING_KINDS, identifier_kinds
from manufacturers.sanctions.names import NameKey, loose_key, name_variants
from manufacturers.sanctions.reasons import Reason, reason

__all__ = ["MIN_SCORE", "Candidate", "ListedIndex", "Party"]

MIN_SCORE = 0.6
EXACT_SCORE = 0.95
EXACT_CONTRADICTED = 0.6  # the same name in another country: a person decides
COUNTRY_BONUS = 0.02
WEAK_ALIAS_SCORE = 0.8
CONTRADICTION_FACTOR = 0.7
FUZZY_CEILING = 0.9
# A word shared by more listed entities than this does not block on its own (e.g. "zavod", "electronics").
MAX_POSTINGS = 500
PREFIX = 5
TOP_BLOCKED = 50  # fuzzy candidates scored per manufacturer, those sharing the most rare words first
WORD_SIMILARITY = 0.8


_loose_word = functools.lru_cache(maxsize=200_000)(loose_key)


@dataclass(frozen=True, slots=True)
class _Name:
    kind: str  # "name" or "alias"
    text: str
    variant: NameKey
    loose: str


@dataclass(slots=True)
class Party:
    """One side of a match: a manufacturer or a listed entity, as plain values."""

    ref: Hashable
    name: str
    aliases: Iterable[str] = ()
    countries: Iterable[str] = ()
    weak_aliases: Iterable[str] = ()
    identifiers: Mapping[str, Iterable[str]] | Iterable[str] = ()  # by FtM kind, or plain values (kind unknown)
    _names: list[_Name] = field(init=False, repr=False)
    _countries: frozenset[str] = field(init=False, repr=False)
    _id_kinds: dict[str, frozenset[str]] = field(init=False, repr=False)
    _ids: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names: list[_Name] = []
        seen: set[tuple[str, str]] = set()
        named = [("name", self.name), *(("alias", a) for a in self.aliases or ())]
        for kind, text in [*named, *(("weak alias", a) for a in self.weak_aliases or ())]:
            for variant in name_variants(text or ""):
                if (variant.key, text) not in seen:
                    seen.add((variant.key, text))
                    names.append(_Name(kind, text, variant, loose_key(variant.key)))
        self._names = names
        self._countries = frozenset(c.strip().lower() for c in self.countries or () if c and c.strip())
        self._id_kinds = identifier_kinds(self.identifiers)
        self._ids = frozenset(v for values in self._id_kinds.values() for v in values)


@dataclass(frozen=True, slots=True)
class Candidate:
    manufacturer: Hashable
    listed: Hashable
    score: float
    strong: bool
    reasons: tuple[Reason, ...]  # see manufacturers.sanctions.reasons


def _describe(name: _Name, *, listed: bool) -> Reason:
    return reason(f"listed {name.kind}" if listed else name.kind, text=name.text)


def _compared(code: str, a: _Name, b: _Name, **parameters) -> Reason:
    """`code` ("equal" or "similar") for the names a and b, with what was done to them to compare."""
    notes = []
    if a.variant.legal_form_removed or b.variant.legal_form_removed:
        notes.append(reason("legal_form_removed"))
    if a.variant.transliterated or b.variant.transliterated:
        notes.append(reason("transliterated"))
    ours, theirs = _describe(a, listed=False), _describe(b, listed=True)
    if notes:
        return reason(f"{code}_qualified", ours=ours, theirs=theirs, qualifiers=notes, **parameters)
    return reason(code, ours=ours, theirs=theirs, **parameters)


def _country_reason(ours: frozenset[str], theirs: frozenset[str]) -> tuple[Reason | None, int]:
    """A reason and +1 (agree), 0 (unknown on a side), -1 (contradiction)."""
    if not ours or not theirs:
        return None, 0
    shown_ours = "/".join(sorted(c.upper() for c in ours))
    shown_theirs = "/".join(sorted(theirs))
    if ours & theirs:
        return reason("country_agrees", ours=shown_ours, theirs=shown_theirs), 1
    return reason("country_differs", ours=shown_ours, theirs=shown_theirs), -1


def _identifier_reasons(
    ours: dict[str, frozenset[str]], theirs: dict[str, frozenset[str]]
) -> tuple[list[Reason], bool]:
    """Reasons for the identifiers both sides carry, and whether they say these are two companies.

    A shared value (whatever kind each side files it under) is the same company; otherwise a kind both
    sides carry with no value in common (`CONTRADICTING_KINDS`) is two companies.
    """
    shared = [
        reason("identifier_shared", kind=our_kind, their_kind=their_kind, value=value)
        for our_kind, our_values in sorted(ours.items())
        for their_kind, their_values in sorted(theirs.items())
        for value in sorted(our_values & their_values)
    ]
    if shared:
        return shared, False
    differing = [
        reason("identifier_differs", kind=kind, ours=sorted(ours[kind]), theirs=sorted(theirs[kind]))
        for kind in sorted(ours.keys() & theirs.keys() & CONTRADICTING_KINDS)
    ]
    return differing, bool(differing)


def _word_score(ours: list[str], theirs: list[str], weight) -> tuple[float, list[str], list[str]]:
    """Similarity of two word lists in 0..1, each word weighted by its rarity among the listed names.

    Every word on either side counts: a word without a close partner (ratio under `WORD_SIMILARITY`)
    on the other side adds its weight to the denominator only, so a distinctive extra word ("spb",
    "submikron", "tula") pulls the score down, and a shared common word ("electronics") lifts it little.
    """
    total = matched = 0.0
    unpaired: tuple[list[str], list[str]] = ([], [])
    for side, other, left in ((ours, theirs, unpaired[0]), (theirs, ours, unpaired[1])):
        for word in side:
            loose = _loose_word(word)
            best = max((fuzz.ratio(loose, _loose_word(candidate)) for candidate in other), default=0) / 100
            w = weight(loose)
            total += w
            if best >= WORD_SIMILARITY:
                matched += w * best
            else:
                left.append(word)
    return (matched / total if total else 0.0), *unpaired


def score_pair(manufacturer: Party, listed: Party, weight=lambda word: 1.0) -> Candidate | None:
    """The candidate for one pair, or None when it scores under `MIN_SCORE`.

    `weight(word)` gives a loose word's weight (the index passes its rarity; 1.0 for all by default).
    """
    reasons: list[Reason] = []
    country_reason, agreement = _country_reason(manufacturer._countries, listed._countries)
    shared_ids = manufacturer._ids & listed._ids
    id_reasons, other_company = _identifier_reasons(manufacturer._id_kinds, listed._id_kinds)
    equal = [(a, b) for a in manufacturer._names for b in listed._names if a.variant.key == b.variant.key]
    exact = min(
        (pair for pair in equal if pair[1].kind != "weak alias"),
        key=lambda pair: (len(pair[1].text), len(pair[0].text)),
        default=None,
    )
    weak = equal[0] if equal and not exact else None
    if shared_ids:
        score, strong = 1.0, True
        reasons.extend(id_reasons)
        if exact:
            reasons.append(
                reason("equal", ours=_describe(exact[0], listed=False), theirs=_describe(exact[1], listed=True))
            )
    elif exact:
        reasons.append(_compared("equal", *exact))
        strong = agreement >= 0 and not other_company
        score = {1: EXACT_SCORE + COUNTRY_BONUS, 0: EXACT_SCORE, -1: EXACT_CONTRADICTED}[agreement]
        if other_company:
            score = EXACT_CONTRADICTED
    elif weak:
        reasons += [_compared("equal", *weak), reason("weak_alias")]
        strong = False
        score = WEAK_ALIAS_SCORE * (CONTRADICTION_FACTOR if agreement < 0 or other_company else 1)
    else:
        best, pair, ours_left, theirs_left = 0.0, None, [], []
        for a in manufacturer._names:
            for b in listed._names:
                similarity, left_a, left_b = _word_score(a.variant.key.split(), b.variant.key.split(), weight)
                if similarity > best:
                    best, pair, ours_left, theirs_left = similarity, (a, b), left_a, left_b
        if pair is None:
            return None
        strong = False
        score = FUZZY_CEILING * best + (COUNTRY_BONUS if agreement > 0 else 0)
        if agreement < 0 or other_company:
            score *= CONTRADICTION_FACTOR
        reasons.append(_compared("similar", *pair, similarity=round(best, 2)))
        if theirs_left:
            reasons.append(reason("listed_words", words=" ".join(theirs_left)))
        if ours_left:
            reasons.append(reason("our_words", words=" ".join(ours_left)))
        reasons.append(reason("names_differ"))
    if other_company:
        reasons.extend(id_reasons)
    if country_reason:
        reasons.append(country_reason)
    score = round(min(score, 1.0), 2)
    if score < MIN_SCORE and not shared_ids:
        return None
    return Candidate(manufacturer.ref, listed.ref, score, strong, tuple(reasons))


class ListedIndex:
    """Listed entities indexed by name key, identifier, word and word prefix, for candidate blocking."""

    def __init__(self, listed: Iterable[Party]) -> None:
        self.parties: dict[Hashable, Party] = {}
        self._by_key: dict[str, set[Hashable]] = defaultdict(set)
        self._by_id: dict[str, set[Hashable]] = defaultdict(set)
        self._by_word: dict[str, set[Hashable]] = defaultdict(set)
        self._weights: dict[str, float] = {}
        for party in listed:
            self.parties[party.ref] = party
            for name in party._names:
                self._by_key[name.variant.key].add(party.ref)
                for word in self._block_words(name):
                    self._by_word[word].add(party.ref)
            for value in party._ids:
                self._by_id[value].add(party.ref)

    @staticmethod
    def _block_words(name: _Name) -> set[str]:
        words = set(name.loose.split())
        return words | {f"{w[:PREFIX]}*" for w in words if len(w) > PREFIX}

    def _blocked(self, party: Party) -> set[Hashable]:
        """Entities sharing an identifier or a whole key (all of them), and the `TOP_BLOCKED` entities sharing
        the most (rarity-weighted) words with the party; a word prefix counts only for a word no listed name has.
        """
        refs: set[Hashable] = set()
        for value in party._ids:
            refs |= self._by_id.get(value, set())
        shared: dict[Hashable, float] = defaultdict(float)
        for name in party._names:
            refs |= self._by_key.get(name.variant.key, set())
            for word in name.loose.split():
                postings = self._by_word.get(word)
                if not postings and len(word) > PREFIX:
                    word = f"{word[:PREFIX]}*"
                    postings = self._by_word.get(word)
                if postings and len(postings) <= MAX_POSTINGS:
                    weight = self.weight(word)
                    for ref in postings:
                        shared[ref] += weight
        if len(shared) > TOP_BLOCKED:
            return refs | set(sorted(shared, key=lambda ref: (-shared[ref], str(ref)))[:TOP_BLOCKED])
        return refs | shared.keys()

    def weight(self, word: str) -> float:
        """A word's rarity among the listed names (inverse document frequency, at least 1)."""
        weight = self._weights.get(word)
        if weight is None:
            postings = self._by_word.get(word)
            weight = 1.0 + math.log((len(self.parties) + 1) / ((len(postings) if postings else 0) + 1))
            self._weights[word] = weight
        return weight

    def candidates(self, manufacturer: Party) -> list[Candidate]:
        """Candidates for one manufacturer, best first."""
        found = (score_pair(manufacturer, self.parties[ref], self.weight) for ref in self._blocked(manufacturer))
        return sorted((c for c in found if c), key=lambda c: (-c.score, str(c.listed)))
