"""The columns of a finding line, declared once.

Each column says what it is called (the Finding attribute, the API field and the admin form field), which
values the API builds it from and how, its name in a teardown list (import header and export), where the
admin shows it, and its lookup in the item's lines table. The API serializers' field lists and row builders,
the teardown header, the import writer's field list, the admin forms and the lines table derive from
`FINDING_COLUMNS`; add a column here and every one of them follows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from manufacturers.models import Manufacturer
from provenance.models import Finding

__all__ = [
    "FINDING_COLUMNS",
    "FindingColumn",
    "admin_fields",
    "api_fields",
    "api_lookups",
    "api_row_builder",
    "model_fields",
    "table_lookups",
    "teardown_columns",
    "values_of",
]


@lru_cache(maxsize=1024)
def _country_str(model: type, field: str, code: str | None) -> str:
    """How `model.field` (a CountryField) renders the stored `code`: what `str(instance.field)` gives."""
    return str(getattr(model(**{field: code}), field))


def _code(model: type, field: str) -> Callable[[Any], str]:
    return lambda code: _country_str(model, field, None if code is None else str(code))


@dataclass(frozen=True)
class FindingColumn:
    """One column of a finding line."""

    name: str  # the Finding attribute, the API field, the admin form field
    lookups: tuple[str, ...] = ()  # the values the API builds it from (`values_list` lookups); () = not served
    api: Callable[..., Any] | None = None  # those values -> the API value; None: the one value as it is
    teardown: str = ""  # its column in a teardown list (import header and export); '' = not in the list
    admin: str = ""  # "line": edited on each line; "page": on the finding's own page; "readonly": shown there
    table: str = ""  # its `values()` lookup in the item's read-only lines table; '' = not in that table


FINDING_COLUMNS = (
    FindingColumn("id", ("id",), table="id"),
    FindingColumn("line_no", ("line_no",), admin="line", table="line_no"),
    FindingColumn(
        "part",
        ("part__id", "part__part_number"),
        lambda pk, number: {"id": pk, "part_number": number} if pk is not None else None,
        teardown="part_number",
        admin="line",
        table="part__part_number",
    ),
    FindingColumn(
        "manufacturer",
        ("manufacturer__id", "manufacturer__name", "manufacturer__country"),
        lambda pk, name, country: (
            {"id": pk, "name": name, "country": _code(Manufacturer, "country")(country)} if pk is not None else None
        ),
        teardown="manufacturer",
        admin="line",
        table="manufacturer__name",
    ),
    FindingColumn(
        "country",
        ("country",),
        _code(Finding, "country"),
        teardown="manufacturer_country",
        admin="line",
        table="country",
    ),
    FindingColumn(
        "category",
        ("category__id", "category__name"),
        lambda pk, name: name if pk is not None else None,
        teardown="category",
        admin="line",
        table="category__name",
    ),
    FindingColumn("quantity", ("quantity",), teardown="quantity", admin="line", table="quantity"),
    FindingColumn("marking", ("marking",), teardown="marking", admin="line", table="marking"),
    FindingColumn("date_code", ("date_code",), teardown="date_code", admin="line", table="date_code"),
    FindingColumn("produced_year", ("produced_year",), admin="readonly", table="produced_year"),
    FindingColumn("produced_week", ("produced_week",), admin="readonly", table="produced_week"),
    FindingColumn("lot_code", ("lot_code",), teardown="lot_code", admin="line", table="lot_code"),
    FindingColumn(
        "origin_marking", ("origin_marking",), teardown="origin_marking", admin="line", table="origin_marking"
    ),
    FindingColumn("origin_country", ("origin_country",), _code(Finding, "origin_country"), admin="readonly"),
    FindingColumn("module", ("module",), teardown="module", admin="line", table="module"),
    FindingColumn("confidence", ("confidence",), teardown="confidence", admin="line", table="confidence"),
    FindingColumn(
        "source",
        (
            "source__id",
            "source__publisher",
            "source__title",
            "source__url",
            "source__published_on",
            "source__reliability",
        ),
        lambda pk, publisher, title, url, published_on, reliability: (
            {
                "publisher": publisher,
                "title": title,
                "url": url or None,
                "published_on": published_on.isoformat() if published_on else None,
                "reliability": reliability,
            }
            if pk is not None
            else None
        ),
        teardown="source_url",
        admin="page",
    ),
    FindingColumn("notes", teardown="notes", admin="page"),  # internal: never served to partners
)


def api_fields() -> list[str]:
    """The API fields of a finding line, in order."""
    return [column.name for column in FINDING_COLUMNS if column.lookups]


def api_lookups() -> tuple[str, ...]:
    """The `values_list` lookups a finding line's API fields are built from, in `api_fields` order."""
    return _API_LOOKUPS


_API_LOOKUPS = tuple(lookup for column in FINDING_COLUMNS for lookup in column.lookups)
_API_PATHS = tuple(tuple(lookup.split("__")) for lookup in _API_LOOKUPS)


def api_row_builder() -> Callable[[tuple], dict]:
    """A function from the values of `api_lookups()` to a finding line's API dict."""
    plan = []
    start = 0
    for column in FINDING_COLUMNS:
        if column.lookups:
            plan.append((column.name, start, start + len(column.lookups), column.api))
            start += len(column.lookups)

    def build(values: tuple) -> dict:
        return {name: values[first] if api is None else api(*values[first:stop]) for name, first, stop, api in plan}

    return build


def values_of(finding: Finding) -> tuple:
    """The values of `api_lookups()` read from a loaded Finding (its relations selected)."""
    values = []
    for path in _API_PATHS:
        value: Any = finding
        for attribute in path:
            value = getattr(value, attribute)
            if value is None:
                break
        values.append(value)
    return tuple(values)


def teardown_columns() -> tuple[str, ...]:
    """The line columns of a teardown list, in the spec's order."""
    return tuple(column.teardown for column in FINDING_COLUMNS if column.teardown)


def table_lookups() -> tuple[str, ...]:
    """The `values()` lookups of the item's read-only lines table (one plain row per line)."""
    return tuple(column.table for column in FINDING_COLUMNS if column.table)


def model_fields() -> tuple[str, ...]:
    """The Finding fields the columns stand for (every column but the id), in declaration order."""
    return tuple(column.name for column in FINDING_COLUMNS if column.name != "id")


def admin_fields(*where: str) -> list[str]:
    """The admin's finding fields shown in `where` ("line", "page", "readonly"), in order."""
    return [column.name for column in FINDING_COLUMNS if column.admin in where]
