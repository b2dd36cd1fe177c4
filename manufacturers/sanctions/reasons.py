"""The reasons of a sanctions match: stored as a code and its parameters, worded in the reader's language.

A reason is `{"code": CODE, <parameter>: <value>, ...}` (JSON, in `SanctionMatch.reasons`); `reason_text`
words it with the template of its code in `TEMPLATES`, the one place where reasons are worded. A parameter
is a plain value (a name, a country code, a number) or itself a reason (a part of the sentence, such as
`alias 'X'`), or a list of those (joined with commas). A reason stored as plain text (before reasons had
codes, or written by code that does not use `reason()`) is shown as it is.

To add a reason: add its code and template here, and build it with `reason(CODE, **parameters)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from manufacturers.sanctions.identifiers import KIND_LABELS

Reason = dict[str, Any] | str

TEMPLATES = {
    # whole reasons
    "identifier": _("identifier {ids} = listed identifier"),
    "identifier_shared": _("{kind} {value} = listed {their_kind} {value}"),
    "identifier_differs": _("{kind} {ours} ≠ listed {kind} {theirs}: another company"),
    "equal": _("{ours} = {theirs}"),
    "equal_qualified": _("{ours} = {theirs} ({qualifiers})"),
    "similar": _("{ours} ~ {theirs}: similarity {similarity}"),
    "similar_qualified": _("{ours} ~ {theirs} ({qualifiers}): similarity {similarity}"),
    "weak_alias": _("a weak alias (a short or generic name): not a strong match"),
    "listed_words": _("listed name has other words: {words}"),
    "our_words": _("our name has other words: {words}"),
    "names_differ": _("names differ: not a strong match"),
    "country_agrees": _("country {ours} = {theirs}"),
    "country_differs": _("country {ours} ≠ listed {theirs}"),
    "checked_by_hand": _("checked by hand for the demo: {why}"),
    # parts of a reason: the name compared, on our side and on the list's
    "name": _("name '{text}'"),
    "alias": _("alias '{text}'"),
    "weak alias": _("weak alias '{text}'"),
    "listed name": _("listed name '{text}'"),
    "listed alias": _("listed alias '{text}'"),
    "listed weak alias": _("listed weak alias '{text}'"),
    # qualifiers of a name comparison
    "legal_form_removed": _("legal form removed"),
    "transliterated": _("transliterated"),
}


# Parameters that hold an identifier's kind (an FtM property name such as "innCode").
_KIND_PARAMETERS = frozenset({"kind", "their_kind"})


def reason(code: str, **parameters: Any) -> dict[str, Any]:
    """A reason to store: its code (a key of `TEMPLATES`) and its parameters."""
    if code not in TEMPLATES:
        raise ValueError(f"unknown reason code {code!r}")
    return {"code": code, **parameters}


def _value(value: Any) -> str:
    if isinstance(value, dict) and "code" in value:
        return reason_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(_value(part) for part in value)
    if isinstance(value, float):
        return number_format(value, 2)
    return str(value)


def reason_text(value: Reason) -> str:
    """One reason in the active language (a reason stored as text, or of an unknown code, as it is)."""
    if not isinstance(value, dict):
        return str(value)
    template = TEMPLATES.get(value.get("code"))
    if template is None:
        return str(value)
    words = {key: _value(part) for key, part in value.items() if key != "code"}
    for key in _KIND_PARAMETERS & words.keys():  # an identifier's kind: its label in the reader's language
        words[key] = str(KIND_LABELS.get(value[key], _("identifier")))
    return str(template).format(**words)


def reasons_text(values: Iterable[Reason] | None) -> list[str]:
    """A match's reasons in the active language."""
    return [reason_text(value) for value in values or ()]
