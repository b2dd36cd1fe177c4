"""Company identifiers (INN, OGRN, registration numbers, LEI...): their kinds, clean forms and check digits.

One place for what an identifier is, used by the manufacturers' identifiers (the admin checks a typed INN's
check digits) and by the matcher, which compares the identifiers of both sides by kind:
- the kinds are FollowTheMoney's property names (`innCode`, `ogrnCode`, `registrationNumber`...), so a
  maker's identifiers, a listed entity's and the FtM export speak one language;
- a list often prints an INN as a registration number with a label, "7735574607 (Tax ID/INN)": the label
  gives the kind; an unlabelled tax number that passes the INN check digits is an INN, an unlabelled
  registration number that passes the OGRN check digits an OGRN;
- a KPP (Russian tax registration reason code) is shared by many companies and never identifies one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

__all__ = [
    "CONTRADICTING_KINDS",
    "KIND_LABELS",
    "identifier_clean",
    "identifier_kinds",
    "identifier_problem",
    "identifier_values",
]

# Shown in match reasons, in the reader's language (manufacturers.sanctions.reasons).
KIND_LABELS = {
    "innCode": _("INN"),
    "ogrnCode": _("OGRN"),
    "registrationNumber": _("registration number"),
    "taxNumber": _("tax number"),
    "vatCode": _("VAT number"),
    "leiCode": _("LEI"),
    "okpoCode": _("OKPO"),
    "dunsCode": _("DUNS"),
    "swiftBic": _("SWIFT/BIC"),
    "idNumber": _("ID number"),
    "uniqueEntityId": _("UEI"),
    "permId": _("PermID"),
}
# A different value of one of these kinds on both sides means two companies; a generic ID number does not.
CONTRADICTING_KINDS = frozenset(KIND_LABELS) - {"idNumber", "swiftBic"}
_NOT_IDENTIFYING = frozenset({"kppCode"})
_LABEL_KINDS = (("ogrn", "ogrnCode"), ("inn", "innCode"), ("lei", "leiCode"), ("okpo", "okpoCode"))

_BRACKETED = re.compile(r"\(([^()]*)\)")
_CLEAN = re.compile(r"[^0-9A-Z]")
_WORD = re.compile(r"[a-z]+")


def identifier_clean(value: str) -> str:
    """Upper-case letters and digits only, a bracketed label dropped: "7735574607 (Tax ID/INN)" -> 7735574607."""
    return _CLEAN.sub("", _BRACKETED.sub("", str(value)).upper())


def _inn_valid(digits: str) -> bool:
    numbers = [int(c) for c in digits]

    def check(weights: tuple[int, ...]) -> int:
        return sum(w * n for w, n in zip(weights, numbers, strict=False)) % 11 % 10

    if len(numbers) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8)) == numbers[9]
    if len(numbers) == 12:
        return (
            check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == numbers[10]
            and check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == numbers[11]
        )
    return False


def _ogrn_valid(digits: str) -> bool:
    if len(digits) == 13:
        return int(digits[:12]) % 11 % 10 == int(digits[12])
    if len(digits) == 15:  # OGRNIP, a sole trader's
        return int(digits[:14]) % 13 % 10 == int(digits[14])
    return False


def _lei_valid(value: str) -> bool:
    """ISO 17442: 20 letters and digits, ISO 7064 MOD 97-10."""
    return len(value) == 20 and int("".join(str(int(ch, 36)) for ch in value)) % 97 == 1


def identifier_problem(kind: str, value: str):
    """What is wrong with a typed identifier of this kind (a translatable message), or None."""
    cleaned = identifier_clean(value)
    if len(cleaned) < 6 or not any(ch.isdigit() for ch in cleaned):
        return _("An identifier has at least 6 letters and digits, among them a digit.")
    if kind == "innCode" and not (cleaned.isdigit() and _inn_valid(cleaned)):
        return _("An INN has 10 digits (a company) or 12 (a person), the last ones check digits; this one does not.")
    if kind == "ogrnCode" and not (cleaned.isdigit() and _ogrn_valid(cleaned)):
        return _("An OGRN has 13 digits (15 for a sole trader), the last one a check digit; this one does not.")
    if kind == "leiCode" and not _lei_valid(cleaned):
        return _("A LEI has 20 letters and digits, the last two check digits; this one does not.")
    return None


def _kind_of(kind: str, raw: str, cleaned: str) -> str:
    """The kind a value really is: from its printed label, else from check digits for untyped numbers."""
    for label in _BRACKETED.findall(str(raw)):
        words = set(_WORD.findall(label.lower()))
        for word, labelled in _LABEL_KINDS:
            if word in words:
                return labelled
    if kind == "taxNumber" and cleaned.isdigit() and _inn_valid(cleaned):
        return "innCode"
    if kind == "registrationNumber" and cleaned.isdigit() and len(cleaned) == 13 and _ogrn_valid(cleaned):
        return "ogrnCode"
    return kind


def identifier_kinds(identifiers: Mapping[str, Iterable[str]] | Iterable[str] | None) -> dict[str, frozenset[str]]:
    """Identifiers by kind, cleaned; values under 6 characters or without a digit dropped (`n/a`), KPPs dropped.

    `identifiers` is a mapping kind -> values (a listed entity's, a maker's) or plain values (kind unknown:
    they can match, never contradict).
    """
    pairs = (
        ((kind, v) for kind, values in identifiers.items() for v in ([values] if isinstance(values, str) else values))
        if isinstance(identifiers, Mapping)
        else (("", v) for v in identifiers or ())
    )
    result: dict[str, set[str]] = {}
    for kind, raw in pairs:
        cleaned = identifier_clean(raw)
        if kind in _NOT_IDENTIFYING or len(cleaned) < 6 or not any(ch.isdigit() for ch in cleaned):
            continue
        result.setdefault(_kind_of(kind, raw, cleaned), set()).add(cleaned)
    return {kind: frozenset(values) for kind, values in result.items()}


def identifier_values(identifiers) -> frozenset[str]:
    """Every identifier value, whatever its kind (see `identifier_kinds`)."""
    return frozenset(v for values in identifier_kinds(identifiers).values() for v in values)
