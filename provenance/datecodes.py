"""Date-code parsing: the production year and week printed on a component package.

The raw text is always kept by the caller; this module only says what can be read from it with
certainty. Ambiguous or impossible codes give `DateCode(None, None)`, never a guess.

Forms understood (the first that matches wins):
- `YYYYWW` (`202235`) and `YYYY-WW` (`2022-35`, `2022/35`, `2022 W35`): year YYYY, week WW;
- `YYWW` with up to two letters before and three after (`2235`, `1748A`, `A1748`) and `YY-WW` (`22/35`):
  20YY (19YY when that would lie in the future), week WW. Four digits are always read this way, never as a
  year alone: `2022` is 2020, week 22;
- three-digit `YWW` codes (one-digit year) are ambiguous across decades and give nothing.
Weeks must be 1 to 53, years 1970 to the reference year (+1 for lines dated at year-end).
"""

import datetime as dt
import re
from typing import NamedTuple


class DateCode(NamedTuple):
    year: int | None
    week: int | None


UNKNOWN = DateCode(None, None)

_YYYYWW = re.compile(r"^(?P<year>(?:19|20)\d{2})[-/ ]?W?(?P<week>\d{2})$")
_YYWW = re.compile(r"^[A-Z]{0,2}(?P<year>\d{2})[-/ ]?W?(?P<week>\d{2})[A-Z]{0,3}$")


def parse_date_code(raw: str | None, *, today: dt.date | None = None) -> DateCode:
    """Return the production year and week of `raw`, or `DateCode(None, None)` when unsure."""
    if not raw:
        return UNKNOWN
    text = raw.strip().upper()
    if not text or len(text) > 16:
        return UNKNOWN
    latest_year = (today or dt.date.today()).year + 1
    match = _YYYYWW.match(text)
    if match:
        year = int(match["year"])
    else:
        match = _YYWW.match(text)
        if not match:
            return UNKNOWN
        year = 2000 + int(match["year"])
        if year > latest_year:
            # `9912` is as likely 1999 as anything else, but a 19xx part in a new weapon is rare;
            # a two-digit year past this one is read as last century.
            year -= 100
    week = int(match["week"])
    if not 1 <= week <= 53 or not 1970 <= year <= latest_year:
        return UNKNOWN
    if week == 53 and dt.date(year, 12, 28).isocalendar().week != 53:
        return UNKNOWN
    return DateCode(year, week)
