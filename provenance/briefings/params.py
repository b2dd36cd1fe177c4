"""What a briefing covers: the selection (filters or chosen items) and the counting rules, as stored JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from provenance.selectors.analytics import RUSSIAN_INVASION

# Default cut-off for "produced after restrictions": the full-scale invasion and the first export bans.
RESTRICTIONS_DATE = RUSSIAN_INVASION

_DATE_FIELDS = ("date_from", "date_to", "as_of", "produced_after")
_TEXT_LIMIT = 4000
LANGUAGES = ("uk", "en")
"""The languages a briefing is written in (`--language`, the API's "language")."""


def active_language() -> str:
    """The briefing language matching the active one (the admin's or the API caller's): uk or en."""
    return "uk" if (get_language() or "").startswith("uk") else "en"


@dataclasses.dataclass(frozen=True)
class BriefingParams:
    """A briefing's selection and counting rules; `to_json()` is what a `BriefingReport` keeps."""

    title: str = ""
    note: str = ""
    weapon: str | None = None
    family: str | None = None
    item: str | None = None
    items: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    attribution: str = "hq"
    unit: str = "units"
    foreign_only: bool = False
    as_of: dt.date | None = None
    period: str = "recovered"
    produced_after: dt.date = RESTRICTIONS_DATE
    language: str = "en"
    status: str = "verified"  # the lowest review status counted; briefings count reviewed items by default

    def filters(self):
        """The analytics filters of this selection (`items` is applied as a queryset, see `data`)."""
        from provenance.selectors.analytics import AnalyticsFilters

        return AnalyticsFilters(
            weapon=self.weapon,
            family=self.family,
            item=self.item,
            date_from=self.date_from,
            date_to=self.date_to,
            status=self.status,
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON object with every field (dates as ISO strings, `items` as a list)."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[field.name] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BriefingParams:
        """The inverse of `to_json()`; unknown keys are ignored so old reports still load."""
        names = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            if key not in names:
                continue
            if key in _DATE_FIELDS and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            elif key == "items":
                value = tuple(value or ())
            values[key] = value
        values.setdefault("status", "any")  # reports stored before the review workflow counted every item
        return cls(**values)


def params_from_query(
    data: dict[str, Any], *, items: tuple[str, ...] = (), least_status: str = "any"
) -> BriefingParams:
    """Parse query parameters or command options (the analytics names: weapon, from, to, ...).

    Validation is the shared `AnalyticsParamsForm`, so the admin form, the command and the API accept
    exactly what the breakdown and shift endpoints accept. Raises `ValidationError` with per-field
    messages.
    """
    from provenance.filters import AnalyticsParamsForm

    # Briefings count verified (and published) items unless told otherwise; a partner's never go below
    # published (`least_status`).
    form = AnalyticsParamsForm(data=_without_blanks(data), default_status="verified", least_status=least_status)
    errors = {} if form.is_valid() else form.error_dict()  # reported together with the messages below
    title = str(data.get("title") or "").strip()
    note = str(data.get("note") or "").strip()
    language = str(data.get("language") or "en").strip().lower()
    if len(title) > 300:
        errors["title"] = [_("At most 300 characters.")]
    if len(note) > _TEXT_LIMIT:
        errors["note"] = [_("At most {limit} characters.").format(limit=_TEXT_LIMIT)]
    if language not in LANGUAGES:
        errors["language"] = [_("Choose one of: {languages}.").format(languages=", ".join(LANGUAGES))]
    for name, text in (("title", title), ("note", note)):
        if "\x00" in text:
            errors[name] = [_("Must not contain NUL characters.")]
    if errors:
        raise ValidationError(errors)
    cleaned = form.cleaned_data
    return BriefingParams(
        title=title,
        note=note,
        weapon=cleaned.get("weapon") or None,
        family=cleaned.get("family") or None,
        item=cleaned.get("item") or None,
        items=tuple(items),
        date_from=cleaned.get("from") or cleaned.get("date_from") or None,
        date_to=cleaned.get("to") or cleaned.get("date_to") or None,
        attribution=cleaned.get("attribution") or "hq",
        unit=cleaned.get("unit") or "units",
        foreign_only=bool(cleaned.get("foreign_only")),
        as_of=cleaned.get("as_of") or None,
        period=cleaned.get("period") or "recovered",
        produced_after=cleaned.get("produced_after") or RESTRICTIONS_DATE,
        language=language,
        status=form.status_counted(),
    )


def _without_blanks(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], ())}
