"""Company names as keys that compare across scripts, quotes and legal forms.

`name_variants("Совместное Предприятие Акционерное Общество «Интеграл СПБ» (СП АО «Интеграл СПБ»)")`
gives the keys `integral spb` (the whole name and its bracketed short form): Cyrillic is transliterated
(anyascii), quotes and punctuation become spaces, legal forms (JSC, AO, OAO, PJSC, OOO, LLC, ZAO, Joint
Stock Company, Акционерное Общество, ААТ...) are removed, and the words are sorted, so word order does
not count. Organisation types that tell companies apart (NPO, PA, NII, KB, NPP) are kept, spelled one
way: "Production Association", "ПО" and "Proizvodstvennoye Obyedineniye" all become `pa`, so
"NPO Strela" (Tula) and "PA Strela" (Orenburg) keep different keys.

A key is for equality (a strong match); `loose_key` folds transliteration variants (ye/e, kh/h,
c/k, y/i) and is only for blocking and for fuzzy scores.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

__all__ = [
    "NameKey",
    "is_organisation_name",
    "legal_forms_removed",
    "loose_key",
    "name_key",
    "name_variants",
    "normalise_text",
    "normalised_name_keys",
]

# Phrases are matched on the transliterated, lower-case, punctuation-free text, longest first.
_LEGAL_FORM_PHRASES = (
    # English
    "public joint stock company",
    "open joint stock company",
    "closed joint stock company",
    "non public joint stock company",
    "joint stock company",
    "joint-stock company",
    "limited liability company",
    "limited liability partnership",
    "federal state unitary enterprise",
    "state unitary enterprise",
    "unitary enterprise",
    "joint venture",
    "company limited",
    "co ltd",
    # Russian (anyascii of Акционерное Общество etc., and common hand transliterations)
    "publichnoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo",
    "zakrytoe aktsionernoe obshchestvo",
    "nepublichnoe aktsionernoe obshchestvo",
    "aktsionernoe obshchestvo",
    "aktsionernoye obshchestvo",
    "aktsionernoe obshestvo",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshchestvo s ogranichennoi otvetstvennostiu",
    "obshchestvo s ogranichennoj otvetstvennostju",
    "federalnoe gosudarstvennoe unitarnoe predpriyatie",
    "gosudarstvennoe unitarnoe predpriyatie",
    "sovmestnoe predpriyatie",
    # Belarusian (Адкрытае акцыянернае таварыства, Таварыства з абмежаванай адказнасцю)
    "adkrytae aktsyyanernae tavarystva",
    "zakrytae aktsyyanernae tavarystva",
    "aktsyyanernae tavarystva",
    "tavarystva z abmezhavanay adkaznastsyu",
    # Ukrainian (Публічне акціонерне товариство, Товариство з обмеженою відповідальністю)
    "publichne aktsionerne tovaristvo",
    "privatne aktsionerne tovaristvo",
    "aktsionerne tovaristvo",
    "tovaristvo z obmezhenoyu vidpovidalnistyu",
)
_LEGAL_FORM_TOKENS = frozenset(
    {
        # Russian, Belarusian, Ukrainian abbreviations (transliterated)
        "ao",
        "oao",
        "zao",
        "pao",
        "ooo",
        "nao",
        "fgup",
        "gup",
        "mup",
        "aat",
        "zaat",
        "taa",
        "pat",
        "prat",
        "tov",
        "sp",
        # English and international
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "rjsc",  # "РJSC" with a Cyrillic Р, as printed in the Official Journal
        "llc",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "co",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "bv",
        "srl",
        "pte",
        "pvt",
        "llp",
    }
)
# Organisation types that are part of who a company is: kept in the key, spelled one way.
_ORG_TYPES = (
    ("npo", ("scientific and production association", "scientific production association",
             "research and production association", "research production association",
             "scientific and industrial association", "nauchno proizvodstvennoe obedinenie",
             "nauchno proizvodstvennoye obyedineniye", "nauchno proizvodstvennoe obyedinenie")),
    ("npp", ("scientific and production enterprise", "scientific production enterprise",
             "research and production enterprise", "research production enterprise",
             "nauchno proizvodstvennoe predpriyatie", "nauchno proizvodstvennoye predpriyatiye")),
    ("nii", ("scientific research institute", "research institute", "nauchno issledovatelskiy institut",
             "nauchno issledovatelskii institut", "nauchno issledovatelsky institut")),
    ("okb", ("experimental design bureau", "opytnoe konstruktorskoe byuro", "opytnoye konstruktorskoye byuro")),
    ("kb", ("design bureau", "konstruktorskoe byuro", "konstruktorskoye byuro")),
    ("pa", ("production association", "manufacturing association", "proizvodstvennoe obedinenie",
            "proizvodstvennoye obyedineniye", "proizvodstvennoe obyedinenie", "po")),
)  # fmt: skip
_STOP_TOKENS = frozenset({"and", "of", "the", "for"})

_APOSTROPHES = re.compile(r"['`ʼʹ’‘]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_DASH_SPLIT = re.compile(r"\s[–—]\s")  # "JSC 'Integral' – the management company of the holding"


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({p.replace("-", " ") for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![a-z0-9])")


_LEGAL_FORM_RE = _phrase_pattern(_LEGAL_FORM_PHRASES)
# Words of the multi-word phrases: a key without any of them cannot form a phrase when sorted.
_PHRASE_WORDS = frozenset(
    word
    for phrase in (*_LEGAL_FORM_PHRASES, *(v for _c, variants in _ORG_TYPES for v in variants))
    if " " in phrase.replace("-", " ")
    for word in phrase.replace("-", " ").split()
)
# One pattern for every organisation type; longest variants first, so "nauchno proizvodstvennoe obedinenie"
# is `npo`, not `pa`.
_ORG_CANONICAL = {v.replace("-", " "): canonical for canonical, variants in _ORG_TYPES for v in variants}
_ORG_TYPE_RE = _phrase_pattern(tuple(_ORG_CANONICAL))


def normalise_text(value: str) -> str:
    """Transliterated, lower-case ASCII words separated by one space; apostrophes dropped."""
    text = unicodedata.normalize("NFKC", value or "")
    text = (text if text.isascii() else anyascii(text)).lower()
    text = _APOSTROPHES.sub("", text)
    return _SPACE.sub(" ", _NON_ALNUM.sub(" ", text)).strip()


def _canonical_words(text: str) -> tuple[list[str], bool]:
    """Distinct words of a normalised text, organisation types canonical, legal forms removed, sorted.

    Sorting may bring two words together into a phrase ("venture ... joint" -> "joint venture"), so the
    step repeats until nothing changes: the key of a key is the key itself.
    """
    removed = False
    while True:
        without = _LEGAL_FORM_RE.sub(" ", text)
        removed = removed or without != text
        without = _ORG_TYPE_RE.sub(lambda found: f" {_ORG_CANONICAL[found.group(0)]} ", without)
        words = without.split()
        kept = [w for w in words if w not in _LEGAL_FORM_TOKENS and w not in _STOP_TOKENS]
        removed = removed or any(w in _LEGAL_FORM_TOKENS for w in words)
        result = " ".join(sorted(set(kept)))
        if result == text or not _PHRASE_WORDS.intersection(kept):
            return kept and result.split(), removed
        text = result


@dataclass(frozen=True, slots=True)
class NameKey:
    """One comparable form of a name: the key, whether a legal form was removed, and its source text."""

    key: str
    legal_form_removed: bool
    transliterated: bool


def name_key(value: str) -> str:
    """The key of a whole name: sorted distinct words, legal forms removed ("" when nothing is left)."""
    return _key_of(value).key


def legal_forms_removed(value: str) -> bool:
    return _key_of(value).legal_form_removed


def _key_of(value: str) -> NameKey:
    text = normalise_text(value)
    words, removed = _canonical_words(text)
    return NameKey(
        key=" ".join(words),
        legal_form_removed=removed and bool(words),
        transliterated=not (value or "").isascii() and any(ord(ch) > 127 and ch.isalpha() for ch in value),
    )


def name_variants(value: str) -> list[NameKey]:
    """Keys of a printed name: the whole, without a bracketed part, the bracketed part, the part before a dash."""
    texts = [value]
    inner = _BRACKETED.findall(value)
    if inner:
        texts.append(_BRACKETED.sub(" ", value))
        texts.extend(inner)
    head = _DASH_SPLIT.split(value, maxsplit=1)
    if len(head) == 2:
        texts.append(head[0])
    seen: dict[str, NameKey] = {}
    for text in texts:
        variant = _key_of(text)
        if variant.key and variant.key not in seen:
            seen[variant.key] = variant
    return list(seen.values())


_LOOSE_RULES = (
    (re.compile(r"(?:iy|yy|ij|ii|yi)\b"), "i"),
    (re.compile(r"y([aeiou])"), r"\1"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ts"), "c"),
    (re.compile(r"c(?![eiy])"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def loose_key(key: str) -> str:
    """A key with transliteration variants folded ("Proizvodstvennoye"/"Proizvodstvennoe", c/k)."""
    for pattern, replacement in _LOOSE_RULES:
        key = pattern.sub(replacement, key)
    return " ".join(sorted(set(key.split())))


# Words that make a name an organisation's when a list does not say what it names (CSL rows without a type).
_ORGANISATION_WORDS = frozenset({
    "academy", "agency", "airlines", "association", "authority", "aviation", "bank", "bureau", "center", "centre",
    "college", "committee", "companies", "company", "concern", "cooperative", "corporation", "council", "department",
    "design", "development", "electronic", "electronics", "engineering", "enterprise", "enterprises", "export",
    "factory", "firm", "foundation", "fund", "group", "holding", "holdings", "import", "industrial", "industries",
    "industry", "institute", "institution", "international", "laboratories", "laboratory", "logistics",
    "manufacturing", "ministry", "office", "organisation", "organization", "partners", "partnership", "plant",
    "research", "school", "science", "scientific", "service", "services", "shipping", "solutions", "system",
    "systems", "tech", "technologies", "technology", "trade", "trading", "union", "university", "works", "kombinat",
    "zavod",
})  # fmt: skip


_ORG_CANONICAL_WORDS = frozenset(_ORG_CANONICAL.values())


def is_organisation_name(value: str) -> bool:
    """Whether a printed name says it is an organisation's: a legal form (JSC, LLC, Ltd, Акционерное Общество...),
    an organisation type (NPO, Production Association...) or a word such as company, institute, academy,
    trading, electronics. "Sinobright Import and Export Company" is; "I. ASH" and "Atlas Sanatgaran" are not.
    """
    text = normalise_text(value)
    words = text.split()
    return bool(
        _LEGAL_FORM_RE.search(text)
        or _ORG_TYPE_RE.search(text)
        or any(w in _LEGAL_FORM_TOKENS or w in _ORGANISATION_WORDS or w in _ORG_CANONICAL_WORDS for w in words)
    )


def normalised_name_keys(value: str) -> list[str]:
    """Every key of a printed name (see `name_variants`), for the ListedName rows the importer writes."""
    return [variant.key for variant in name_variants(value)]
