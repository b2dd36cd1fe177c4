"""Recovered items back out as teardown lists: one row generator, rendered to CSV, XLSX or JSON.

What is exported re-imports unchanged: item columns are repeated on every row, partial dates keep their
form (`2025`, `2025-09`), the manufacturer is its canonical name and the country the one stored on the
line. CSV and XLSX cells that a spreadsheet would evaluate get a leading apostrophe (`escape_formula`);
the importer removes exactly that apostrophe. JSON is data, not a spreadsheet, and is written as is.
"""

import csv
import io
import json
from collections.abc import Iterator
from typing import IO

from django.db.models import QuerySet

from config.common.exports import safe_cell
from provenance.models import Finding, RecoveredItem
from provenance.models.items import DatePrecision

from .columns import COLUMNS

__all__ = ["FORMATS", "teardown_rows", "write_csv", "write_json", "write_xlsx"]

FORMATS = ("csv", "xlsx", "json")


def _partial_date(value, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def teardown_rows(items: QuerySet[RecoveredItem]) -> Iterator[dict]:
    """One dict per finding of `items` (by item reference, then line), keyed by the teardown columns."""
    findings = (
        Finding.objects.filter(item__in=items)
        .select_related(
            "item__weapon_model", "item__strike", "part__manufacturer", "manufacturer", "category", "source"
        )
        .order_by("item__reference", "line_no", "id")
    )
    current_id = None
    item_values: dict = {}
    for finding in findings.iterator(chunk_size=2000):
        item = finding.item
        if item.pk != current_id:
            current_id = item.pk
            item_values = {
                "item_ref": item.reference,
                "weapon": item.weapon_model.designation,
                "recovered_on": _partial_date(item.recovered_on, item.recovered_on_precision),
                "analysed_on": _partial_date(item.analysed_on, item.analysed_on_precision),
                "place": item.place,
                "strike_date": item.strike.occurred_on.isoformat() if item.strike_id else "",
                "serial": item.serial_number,
            }
        maker = finding.manufacturer or (finding.part.manufacturer if finding.part_id else None)
        yield {
            **item_values,
            "part_number": finding.part.part_number if finding.part_id else "",
            "manufacturer": maker.name if maker else "",
            "manufacturer_country": str(finding.country or ""),
            "category": finding.category.name if finding.category_id else "",
            "quantity": finding.quantity,
            "marking": finding.marking,
            "date_code": finding.date_code,
            "lot_code": finding.lot_code,
            "origin_marking": finding.origin_marking,
            "module": finding.module,
            "confidence": finding.confidence,
            "source_url": finding.source.url if finding.source_id else "",
            "notes": finding.notes,
        }


def write_csv(rows: Iterator[dict], stream: IO[bytes]) -> None:
    """RFC 4180 CSV, UTF-8 without BOM, formula-safe."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[column]) for column in COLUMNS])
    text.flush()
    text.detach()


def write_xlsx(rows: Iterator[dict], stream: IO[bytes]) -> None:
    """One sheet named 'teardown', written in openpyxl's write-only mode, formula-safe."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("teardown")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([safe_cell(row[column]) for column in COLUMNS])
    workbook.save(stream)


def write_json(rows: Iterator[dict], stream: IO[bytes]) -> None:
    """A JSON array of row objects (one per line), keys in column order."""
    stream.write(b"[")
    first = True
    for row in rows:
        stream.write(b"\n" if first else b",\n")
        stream.write(json.dumps(row, ensure_ascii=False).encode())
        first = False
    stream.write(b"\n]\n")


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}
