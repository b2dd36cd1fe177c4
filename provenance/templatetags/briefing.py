"""Number and date formatting of a briefing, in the active language (`{% load briefing %}`).

The template formats the selectors' numbers with these filters; the briefing's sentences
(`provenance.briefings.prose`) call the same functions, so a number reads the same in a table and in a sentence.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

__all__ = ["fmt_date", "fmt_int", "fmt_pp", "fmt_share"]


@register.filter
def fmt_int(value: int | None) -> str:
    """1234567 -> "1,234,567" ("1 234 567" in Ukrainian; an en dash for no value)."""
    return "–" if value is None else number_format(value, force_grouping=True)


@register.filter
def fmt_share(value: float | None) -> str:
    """0.3512 -> "35.1%" ("35,1%" in Ukrainian; an en dash for no value)."""
    return "–" if value is None else number_format(round(value * 100, 1), 1) + "%"


@register.filter
def fmt_pp(value: float | None) -> str:
    """-42.14 -> "−42.1 pp" with a real minus sign; "+3.0 pp"; an en dash for no value."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("{sign}{value} pp").format(sign=sign, value=number_format(round(abs(value), 1), 1))


@register.filter
def fmt_date(value: dt.date | None, precision: str = "day") -> str:
    """A date at the precision known, in the active language: 7 Sep 2025, Sep 2025 or 2025 (7 вересня 2025)."""
    if value is None:
        return "–"
    if precision == "year":
        return f"{value:%Y}"
    ukrainian = (get_language() or "").startswith("uk")
    if precision == "month":
        return date_format(value, "F Y").lower() if ukrainian else date_format(value, "M Y")

    return date_format(value, "j E Y" if ukrainian else "j M Y")
