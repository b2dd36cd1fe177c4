"""Display helpers of the public pages: dates at their known precision, production dates, percentages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from catalogue.exports import designations_text

register = template.Library()


@register.filter
def precise_date(value: dt.date | None, precision: str = "day") -> str:
    """A date as precise as it is known: `7 September 2025`, `September 2025` or `2025`."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


@register.simple_tag
def produced(year: int | None, week: int | None) -> str:
    """The production date decoded from a date code: `2022, week 35`, `2022`, or empty."""
    if not year:
        return ""
    if week:
        return _("%(year)s, week %(week)s") % {"year": year, "week": week}
    return str(year)


@register.filter
def percent(share: float | None, digits: int = 1) -> str:
    """A share (0.35) as a percentage in the page's language (`35.0 %` / `35,0 %`)."""
    if share is None:
        return ""
    return f"{number_format(share * 100, digits)} %"


@register.filter
def signed_pp(value: float | None) -> str:
    """A change in percentage points with its sign (`+4.2 pp`, `−1.0 pp`); empty when there is none."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("%(sign)s%(value)s pp") % {"sign": sign, "value": number_format(abs(value), 1)}


@register.filter
def get_item(mapping: dict, key):
    """`mapping[key]`, or None (for the parents of a page's makers)."""
    return mapping.get(key) if mapping else None


@register.filter
def options(form, name: str) -> str:
    """`form.options_html(name)`: the options of a filter's drop-down."""
    return form.options_html(name)


@register.filter
def sanctions(designations: list[dict] | None) -> str:
    """A maker's designations in force as one line (`catalogue.exports.designations_text`), empty when none."""
    return designations_text(designations or [])
