"""Country normalisation: every country is stored as ISO 3166-1 alpha-2.

Accepts alpha-2 (`US`), alpha-3 (`USA`), English short or official names (`United States`,
`United States of America`), common names (`Russia`, `UK`, `Great Britain`) and historic codes
(`SU`). Returns None for anything it cannot place with certainty: never a guess.
"""

from functools import cache

import pycountry
from django.db.models import Q
from django_countries import countries as _django_countries

# Names analysts and published reports use that ISO does not list as such.
_EXTRA = {
    "UK": "GB",
    "GREAT BRITAIN": "GB",
    "BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "USA": "US",
    "U.S.": "US",
    "U.S.A.": "US",
    "AMERICA": "US",
    "UNITED STATES": "US",
    "RUSSIA": "RU",
    "RUSSIAN FEDERATION": "RU",
    "IRAN": "IR",
    "NORTH KOREA": "KP",
    "DPRK": "KP",
    "SOUTH KOREA": "KR",
    "KOREA": "KR",
    "REPUBLIC OF KOREA": "KR",
    "TAIWAN": "TW",
    "CZECHIA": "CZ",
    "CZECH REPUBLIC": "CZ",
    "VIETNAM": "VN",
    "HOLLAND": "NL",
    "THE NETHERLANDS": "NL",
    "TURKEY": "TR",
    "TURKIYE": "TR",
    "SWISS": "CH",
    "HONG KONG": "HK",
    "MACAU": "MO",
    "PRC": "CN",
    "P.R.C.": "CN",
    "USSR": "SU",
    "SOVIET UNION": "SU",
    "BELARUS": "BY",
    "BYELORUSSIA": "BY",
    "MOLDOVA": "MD",
    "SYRIA": "SY",
    "LAOS": "LA",
    "BOLIVIA": "BO",
    "VENEZUELA": "VE",
    "TANZANIA": "TZ",
}

HISTORIC_CODES = {"SU": "Soviet Union"}


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        table[country.alpha_2] = country.alpha_2
        table[country.alpha_3] = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table[value.upper()] = country.alpha_2
    for code in HISTORIC_CODES:
        table[code] = code
    table.update(_EXTRA)
    return table


def country_code(value: str | None) -> str | None:
    """Return the ISO alpha-2 code for `value`, or None when it names no country we know."""
    if value is None:
        return None
    text = " ".join(str(value).replace("\u00a0", " ").split()).strip().upper()
    if not text:
        return None
    return _lookup().get(text)


def country_name(code: str | None) -> str:
    """The English short name of an alpha-2 code ("unknown" for None or blank)."""
    if not code:
        return "unknown"
    if code in HISTORIC_CODES:
        return HISTORIC_CODES[code]
    return str(dict(_django_countries).get(code, code))


def valid_country_codes() -> list[str]:
    """Every code a country column may hold (ISO alpha-2 plus the historic codes we accept)."""
    return sorted({code for code, _ in _django_countries} | set(HISTORIC_CODES))


# Makers' and assembly countries seen most often in teardowns, tried first by the check constraints.
_FREQUENT_CODES = ("US", "RU", "CN", "JP", "DE", "GB", "CH", "TW", "KR", "NL", "FR", "BY", "MY", "PH", "TH", "VN", "MX")


def country_code_q(field: str, *, allow_blank: bool) -> Q:
    """A check-constraint condition: `field` holds a valid alpha-2 code (or is blank, if allowed).

    The database tests `IN (...)` value by value, so blank and the frequent codes come first: on a COPY of
    many findings that cuts most of the cost of the two country checks (bench/import_bench.py measures it).
    """
    codes = valid_country_codes()
    ordered = [code for code in _FREQUENT_CODES if code in codes] + [c for c in codes if c not in _FREQUENT_CODES]
    condition = Q(**{f"{field}__in": ordered})
    if allow_blank:
        condition = Q(**{field: ""}) | condition
    return condition
