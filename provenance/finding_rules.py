"""The rules of a finding line, in one place: the admin forms, the teardown import and any other writer call them.

Every function here is pure (no database): callers pass what they looked up, so the import can call them per
row from its in-memory caches and the admin per form from the database. The rules:

- **Maker's country.** Typed as an ISO code or a name (`US`, `USA`, `United States`, `UK`); any other text is
  an error. The country of a line is its maker's HQ country: filled from the maker when blank, an error when
  it names another one (a country-of-origin marking belongs in the origin marking).
- **Maker or country.** A line needs at least one of them.
- **Part and maker (second sources).** A part number belongs to the line's maker: the catalogue holds one
  Part per (maker, part number), so `LM317` given with Texas Instruments names Texas Instruments' LM317 even
  when the catalogue so far holds LM317 only under another maker; that Part is created on save, with the
  line's category (`part_for_maker`). A part given without a maker gives the line its maker (the part picked
  in the admin; in an import, the one maker the catalogue holds that number under); a part number whose maker
  is unknown (none or several makers hold it) is an error.
- **Origin marking.** The country-of-origin text on the package (`MALAYSIA`, `Made in Japan`) gives the origin
  country when it names one; otherwise it is kept as text only.
- **Date code.** The production year and week are read from the date code (`provenance.datecodes`).
- **Quantity.** A positive whole number; 1 when blank.
"""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from components.partnumbers import part_number_key
from config.common.countries import country_code
from provenance.datecodes import DateCode, parse_date_code

__all__ = [
    "NEEDS_MAKER_OR_COUNTRY",
    "QUANTITY_MAX",
    "QUANTITY_POSITIVE",
    "Maker",
    "Problem",
    "attribution",
    "maker_country",
    "origin_country",
    "part_key",
    "problems_error",
    "production_date",
    "quantity",
]

NEEDS_MAKER_OR_COUNTRY = gettext_lazy("A finding needs a manufacturer or a country.")
QUANTITY_POSITIVE = gettext_lazy("Quantity must be a positive whole number.")
QUANTITY_MAX = 2_147_483_647

_MADE_IN = re.compile(r"^\s*(?:MADE|ASSEMBLED|PRODUCED)\s+IN\s+", re.IGNORECASE)


class Maker(NamedTuple):
    """What the rules need to know of a manufacturer: its name (for messages) and HQ country."""

    name: str
    country: str


class Problem(NamedTuple):
    """A broken rule: the Finding field it concerns ('' for the line as a whole), the text given, the message."""

    field: str
    value: str
    message: str


def maker_country(text: str) -> str | None:
    """The alpha-2 code of a typed maker's country (`USA`, `United Kingdom`, `ru`), or None when unknown."""
    return country_code(text)


def origin_country(marking: str) -> str:
    """The alpha-2 code an origin marking (`MALAYSIA`, `Made in Japan`) names, or ''."""
    if not marking:
        return ""
    return country_code(marking) or country_code(_MADE_IN.sub("", marking)) or ""


def production_date(date_code: str) -> DateCode:
    """The production (year, week) a date code reads as, `(None, None)` when unsure."""
    return parse_date_code(date_code)


def attribution(*, maker: Maker | None, country_text: str, parse=maker_country) -> tuple[str, list[Problem]]:
    """The country a line is attributed to, and the problems of its maker and country.

    `parse` reads the typed country (the import passes a cached `maker_country`).
    """
    problems: list[Problem] = []
    code = ""
    if country_text:
        code = parse(country_text) or ""
        if not code:
            message = gettext("Unknown country %(text)r: use an ISO code such as US or a name such as United States.")
            problems.append(Problem("country", country_text, message % {"text": country_text}))
    if maker is not None:
        if code and code != maker.country:
            message = gettext(
                "%(maker)s is a %(hq)s manufacturer; the row says %(code)s. The maker's country is its HQ "
                "country; a country-of-origin marking goes in the origin marking."
            )
            problems.append(
                Problem("country", country_text, message % {"maker": maker.name, "hq": maker.country, "code": code})
            )
        code = maker.country
    elif not country_text:
        problems.append(Problem("", "", str(NEEDS_MAKER_OR_COUNTRY)))
    return code, problems


def part_key(*, part_number: str, has_maker: bool, key=part_number_key) -> tuple[str, list[Problem]]:
    """The normalised key under which the line's maker holds `part_number` ('' for none), and its problems.

    `key` normalises the number (the import passes a cached `part_number_key`).
    """
    if not part_number:
        return "", []
    normalised = key(part_number)
    if not normalised:
        return "", [Problem("part", part_number, gettext("A part number needs letters or digits."))]
    if not has_maker:
        return "", [Problem("part", part_number, gettext("A part number needs a manufacturer."))]
    return normalised, []


def quantity(text: str) -> tuple[int, list[Problem]]:
    """The quantity a typed text gives (1 when blank), and its problems."""
    if not text:
        return 1, []
    if text.isascii() and text.isdigit() and 0 < int(text) <= QUANTITY_MAX:
        return int(text), []
    return 1, [Problem("quantity", text, str(QUANTITY_POSITIVE))]


def problems_error(problems: list[Problem]) -> ValidationError:
    """The problems as a form's ValidationError (by field; a line-wide problem goes to the whole form)."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field or "__all__", []).append(problem.message)
    return ValidationError(errors)
