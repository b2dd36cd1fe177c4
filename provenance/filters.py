"""One parser for analytics parameters, shared by the commands, the admin analytics page and the API.

`AnalyticsParamsForm(data)` takes query parameters or command options (`weapon`, `family`, `item`, `from`,
`to`, `by`, `attribution`, `unit`, `foreign_only`, `as_of`, `period`, `produced_after`) and reports
per-field errors; `.filters()` and `.breakdown_kwargs()` / `.shift_kwargs()` / `.produced_after_kwargs()`
give the arguments of the selectors in `provenance.selectors.analytics`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from config.common.countries import valid_country_codes
from provenance.models import RecoveredItem, WeaponModel
from provenance.selectors.analytics import (
    ATTRIBUTIONS,
    DIMENSIONS,
    PERIODS,
    RUSSIAN_INVASION,
    STATUS_RULES,
    STATUSES,
    UNITS,
    AnalyticsFilters,
    weapon_models_matching,
)

__all__ = ["AnalyticsParamsForm"]

_TRUE = {"1", "true", "yes", "on"}


class _RawCheckbox(forms.CheckboxInput):
    """A checkbox that hands the submitted text to the field (Django's own turns any text but "false" into True)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class _LenientBoolean(forms.BooleanField):
    """`?foreign_only=1`, `true`, `yes`, `on` are true; absent, `0`, `false`, `no` are false."""

    widget = _RawCheckbox

    def to_python(self, value: Any) -> bool:
        if isinstance(value, str):
            return value.strip().lower() in _TRUE
        return bool(value)


def validate_weapon(value: str) -> None:
    """A weapon parameter (designation or alias) must name a weapon model: a typo is an error, not "no data"."""
    value = (value or "").strip()
    if value and not weapon_models_matching(value).exists():
        raise forms.ValidationError(_("No weapon model or alias “%(value)s”."), params={"value": value})


def validate_country(value: str) -> None:
    """A country parameter must be an ISO alpha-2 code (or a historic one such as SU)."""
    value = (value or "").strip()
    if value and value.upper() not in valid_country_codes():
        raise forms.ValidationError(
            _("Unknown country code “%(value)s”: give an ISO alpha-2 code such as US."), params={"value": value}
        )


class AnalyticsParamsForm(forms.Form):
    """Analytics parameters with per-field validation (unknown weapon, unknown item, bad dates, bad choices)."""

    weapon = forms.CharField(label=_("weapon (designation or alias)"), required=False, max_length=100)
    family = forms.CharField(label=_("family"), required=False, max_length=100)
    item = forms.CharField(label=_("recovered item (reference)"), required=False, max_length=100)
    by = forms.ChoiceField(label=_("by"), required=False, choices=[(d, d) for d in DIMENSIONS])
    attribution = forms.ChoiceField(label=_("attribution"), required=False, choices=[(a, a) for a in ATTRIBUTIONS])
    unit = forms.ChoiceField(label=_("unit"), required=False, choices=[(u, u) for u in UNITS])
    foreign_only = _LenientBoolean(label=_("foreign parts only"), required=False)
    as_of = forms.DateField(label=_("ownership as of"), required=False, help_text=_("Default: today."))
    period = forms.ChoiceField(label=_("period"), required=False, choices=[(p, p) for p in PERIODS])
    produced_after = forms.DateField(label=_("produced after"), required=False, help_text=_("Default: 2022-02-24."))
    status = forms.ChoiceField(
        label=_("review status (at least)"),
        required=False,
        choices=[(key, rule.label) for key, rule in STATUS_RULES.items()],
    )

    def __init__(self, *args, default_status: str = "any", least_status: str = "any", **kwargs) -> None:
        """`default_status` applies when none is given (commands, admin: any; briefings: verified);
        `least_status` is a floor no request goes below (partners: published)."""
        super().__init__(*args, **kwargs)
        self.default_status = default_status
        self.least_status = least_status
        # `from` is a Python keyword, so the two date fields are added by name.
        fields = list(self.fields.items())
        self.fields.clear()
        for name, field in fields:
            self.fields[name] = field
            if name == "item":
                self.fields["from"] = forms.DateField(label=_("recovered from"), required=False)
                self.fields["to"] = forms.DateField(label=_("recovered to"), required=False)

    def clean_weapon(self) -> str:
        value = (self.cleaned_data.get("weapon") or "").strip()
        validate_weapon(value)
        return value

    def clean_family(self) -> str:
        value = (self.cleaned_data.get("family") or "").strip()
        if value and not WeaponModel.objects.filter(family__iexact=value).exists():
            raise forms.ValidationError(_("No weapon family “%(value)s”."), params={"value": value})
        return value

    def clean_item(self) -> str:
        value = (self.cleaned_data.get("item") or "").strip()
        if value and not RecoveredItem.objects.filter(reference=value).exists():
            raise forms.ValidationError(_("No recovered item “%(value)s”."), params={"value": value})
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def filters(self) -> AnalyticsFilters:
        """The selectors' filters from the cleaned data (call after `is_valid()`)."""
        data = self.cleaned_data
        return AnalyticsFilters(
            weapon=data.get("weapon") or None,
            family=data.get("family") or None,
            item=data.get("item") or None,
            date_from=data.get("from"),
            date_to=data.get("to"),
            status=self.status_counted(),
        )

    def status_counted(self) -> str:
        """The review status counted: the one asked for (or the default), never below `least_status`."""
        asked = self.cleaned_data.get("status") or self.default_status
        return max(asked, self.least_status, key=STATUSES.index)

    def _common(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "filters": self.filters(),
            "by": data.get("by") or "country",
            "attribution": data.get("attribution") or "hq",
            "unit": data.get("unit") or "units",
            "foreign_only": bool(data.get("foreign_only")),
            "as_of": data.get("as_of"),
        }

    def breakdown_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `breakdown()`."""
        return self._common()

    def shift_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `shift()`."""
        return {**self._common(), "period": self.cleaned_data.get("period") or "recovered"}

    def produced_after_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `produced_after()`."""
        after: dt.date = self.cleaned_data.get("produced_after") or RUSSIAN_INVASION
        return {**self._common(), "after": after}

    def error_dict(self) -> dict[str, list[str]]:
        """Per-field messages, as the API's 400 body and the commands' error output use them."""
        return {field: [str(m) for m in messages] for field, messages in self.errors.items()}
