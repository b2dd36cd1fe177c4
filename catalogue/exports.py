"""The list page as CSV: the same public columns, every cell escaped against spreadsheet formulas."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from config.common.countries import country_name
from config.common.exports import safe_cell
from manufacturers.models import Manufacturer

__all__ = ["csv_lines", "designations_text"]


class _Line:
    """A file-like object whose `write` returns what it was given (csv.writer then yields lines)."""

    def write(self, value: str) -> str:
        return value


def designations_text(designations: list[dict]) -> str:
    """`EU EU-UKR since 2023-06-23; US US-BIS-EL (through an owner)`: one maker's designations in force."""
    parts = []
    for row in designations:
        text = " ".join(filter(None, (row["authority"], row["programme"])))
        if row["listed_on"]:
            text += " " + _("since %(date)s") % {"date": row["listed_on"]}
        if row["via"] == "owner":
            text += " " + _("(through an owner)")
        parts.append(text)
    return "; ".join(parts)


def csv_lines(
    request: HttpRequest,
    rows: Iterable[dict],
    *,
    parents: dict[int, Manufacturer],
    designations: dict[int, list[dict]],
) -> Iterator[str]:
    """The CSV text, one line at a time: a header in the page's language, then one line per finding."""
    writer = csv.writer(_Line())
    page = request.build_absolute_uri(reverse("catalogue:component", args=[0]))[: -len("0/")]
    countries: dict[str, str] = {}
    yield "\ufeff" + writer.writerow(  # a byte order mark, so a spreadsheet reads the Cyrillic right
        [
            _("Component page"),
            _("Part number"),
            _("Marking"),
            _("Category"),
            _("Units"),
            _("Manufacturer"),
            _("Parent company"),
            _("Maker's country (code)"),
            _("Maker's country"),
            _("Sanctions designations in force"),
            _("Weapon model"),
            _("Sample"),
            _("Date code"),
            _("Produced (year)"),
            _("Produced (week)"),
            _("Module"),
        ]
    )
    for row in rows:
        maker = row["manufacturer_id"]
        parent = parents.get(maker)
        code = row["country"] or ""
        if code not in countries:
            countries[code] = country_name(code) if code else ""
        yield writer.writerow(
            [
                safe_cell(value)
                for value in (
                    f"{page}{row['id']}/",
                    row["part__part_number"] or "",
                    row["marking"],
                    row["category__name"] or "",
                    row["quantity"],
                    row["manufacturer__name"] or "",
                    parent.name if parent else "",
                    code,
                    countries[code],
                    designations_text(designations.get(maker, [])),
                    row["item__weapon_model__designation"],
                    row["item__reference"],
                    row["date_code"],
                    row["produced_year"] or "",
                    row["produced_week"] or "",
                    row["module"],
                )
            ]
        )
