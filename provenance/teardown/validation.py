"""Pass one of an import: read every row, check and resolve it, and build a plan; write nothing.

Names are resolved against what the database holds (weapon designations and aliases, manufacturer names and
aliases, categories, parts); what is unknown but allowed (a manufacturer with a country, a category, a part)
is planned for creation. Rows are normalised into compact tuples and spooled to a temporary file, so the
memory used grows with the number of items and distinct names, not with the number of rows.
"""

import datetime as dt
import pickle
import re
import tempfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext

from components.models import Category, Part
from components.partnumbers import part_number_key
from config.common.text import name_key
from manufacturers.models import Manufacturer, ManufacturerAlias
from provenance import finding_rules as rules
from provenance.finding_rules import Maker
from provenance.models import Finding, WeaponAlias, WeaponModel
from provenance.models.items import DatePrecision

from .columns import COLUMNS, ITEM_COLUMNS, REQUIRED_COLUMNS, unescape_formula
from .readers import TeardownTable
from .result import RowError

__all__ = ["ItemPlan", "Plan", "validate_table", "weapon_lookup"]

SPOOL_BATCH = 5000
CONFIDENCES = {choice.value for choice in Finding.Confidence}
_MAX_LENGTH = {
    "item_ref": 100,
    "place": 200,
    "serial": 100,
    "part_number": 100,
    "manufacturer": 200,
    "category": 100,
    "date_code": 40,
    "lot_code": 60,
    "origin_marking": 100,
    "module": 200,
    "source_url": 500,
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# The column of the import that holds a Finding field, where the names differ ('' is the line as a whole).
_COLUMN_OF = {"": "manufacturer", "country": "manufacturer_country", "part": "part_number", "quantity": "quantity"}

# A spooled line is a tuple of: item_ref, manufacturer, part_number_key, part_number, category, country,
# quantity, marking, date_code, produced_year, produced_week, lot_code, origin_marking, origin_country, module,
# confidence, source_url, notes (`manufacturer` and `category` are ids, or keys of ones to be created).


@dataclass
class ItemPlan:
    """One recovered item as the file describes it."""

    reference: str
    first_row: int
    fields: dict = field(default_factory=dict)  # item column -> (normalised value, raw text, row)
    # One 8-byte hash per line (what the diff compares): the only per-row state kept in memory.
    line_hashes: array = field(default_factory=lambda: array("q"))
    sources: set[str] = field(default_factory=set)


@dataclass
class Plan:
    """Everything pass two needs; `errors` non-empty means nothing may be written."""

    columns: set[str] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    items: dict[str, ItemPlan] = field(default_factory=dict)
    new_manufacturers: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, country)
    new_categories: dict[str, str] = field(default_factory=dict)  # key -> name
    # (manufacturer id or new key, part_number_key) -> [part_number as printed, category id/key or None, part id]
    parts: dict[tuple, list] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    strike_dates: set[dt.date] = field(default_factory=set)
    spool: object = None

    def lines(self):
        """Iterate the spooled lines in file order."""
        self.spool.seek(0)
        while True:
            try:
                batch = pickle.load(self.spool)  # noqa: S301 - our own temporary file
            except EOFError:
                return
            yield from batch

    def close(self) -> None:
        """Remove the spooled rows."""
        if self.spool is not None:
            self.spool.close()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def weapon_lookup() -> dict[str, int]:
    """Weapon model id by the key of its designation or of any alias."""
    table = {name_key(designation): pk for pk, designation in WeaponModel.objects.values_list("pk", "designation")}
    for pk, key in WeaponAlias.objects.values_list("weapon_model_id", "alias_key"):
        table.setdefault(key, pk)
    return table


def parse_partial_date(text: str) -> tuple[dt.date, str] | None:
    """`2025-09-07`, `2025-09` or `2025` as (first day, precision); None when it is not such a date."""
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day)), DatePrecision.DAY.value
        if month:
            return dt.date(int(year), int(month), 1), DatePrecision.MONTH.value
        return dt.date(int(year), 1, 1), DatePrecision.YEAR.value
    except ValueError:
        return None


class _Resolver:
    """Lookups against the database, loaded once per import, with per-value caches."""

    def __init__(self):
        self.weapons = weapon_lookup()
        self.manufacturers: dict[str, tuple[int, str, str]] = {}
        for pk, key, country, name in Manufacturer.objects.values_list("pk", "name_key", "country", "name"):
            self.manufacturers[key] = (pk, str(country), name)
        by_id = {value[0]: value for value in self.manufacturers.values()}
        self.makers = {pk: Maker(name, country) for pk, country, name in by_id.values()}
        for pk, key in ManufacturerAlias.objects.values_list("manufacturer_id", "alias_key"):
            self.manufacturers.setdefault(key, by_id[pk])
        self.categories = {name_key(name): pk for pk, name in Category.objects.values_list("pk", "name")}
        self.parts = {
            (manufacturer, key): (pk, category)
            for pk, manufacturer, key, category in Part.objects.values_list(
                "pk", "manufacturer_id", "part_number_key", "category_id"
            ).iterator(chunk_size=5000)
        }
        # The maker of each catalogued part number, 0 when several makers hold it (second sources).
        self.part_makers: dict[str, int] = {}
        for manufacturer, key in self.parts:
            self.part_makers[key] = manufacturer if self.part_makers.get(key, manufacturer) == manufacturer else 0
        # Per-import caches of the pure per-cell parsers: a long list repeats the same few values.
        self.key = cache(name_key)
        self.part_key = cache(part_number_key)
        self.country = cache(rules.maker_country)
        self.production_date = cache(lambda text: tuple(rules.production_date(text)))
        self.origin = cache(rules.origin_country)
        self.date = cache(parse_partial_date)
        self.url_ok = cache(_url_valid)


_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def _url_valid(text: str) -> bool:
    try:
        _URL_VALIDATOR(text)
    except ValidationError:
        return False
    return True


def _header(table: TeardownTable, plan: Plan) -> list[str | None] | None:
    """Map each cell position to a column name; record header errors; None when rows cannot be read."""
    names: list[str | None] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(table.header, start=1):
        name = raw.strip().lstrip("\ufeff").lower().replace(" ", "_")
        if not name:
            names.append("")  # allowed while the cells below it are blank too
        elif name not in COLUMNS:
            plan.errors.append(
                RowError(1, raw.strip(), raw.strip(), f"unknown column; the columns are: {', '.join(COLUMNS)}")
            )
            names.append(None)
        elif name in seen:
            plan.errors.append(RowError(1, name, raw.strip(), f"duplicate column (also column {seen[name]})"))
            names.append(None)
        else:
            seen[name] = position
            names.append(name)
    plan.columns = set(seen)
    missing = [column for column in REQUIRED_COLUMNS if column not in seen]
    for column in missing:
        plan.errors.append(RowError(1, column, "", "required column is missing"))
    if "manufacturer" not in seen and "manufacturer_country" not in seen:
        plan.errors.append(
            RowError(1, "manufacturer", "", "the file needs a manufacturer or a manufacturer_country column")
        )
        return None
    return None if missing else names


@dataclass(frozen=True)
class ImportLimits:
    """What one import may hold (settings `TEARDOWN_MAX_ROWS`, `TEARDOWN_MAX_ITEMS`, `TEARDOWN_MAX_ERRORS`): past a
    limit the file is refused with one more error saying which, and reading stops (memory stays bounded)."""

    rows: int
    items: int
    errors: int

    @classmethod
    def from_settings(cls) -> "ImportLimits":
        return cls(settings.TEARDOWN_MAX_ROWS, settings.TEARDOWN_MAX_ITEMS, settings.TEARDOWN_MAX_ERRORS)

    def reached(self, plan: "Plan", number: int) -> bool:
        """True (with the error recorded) when reading row `number` would go past a limit."""
        if plan.rows >= self.rows:
            message = gettext("more than %(n)d rows (TEARDOWN_MAX_ROWS): split the file into several imports")
            value = self.rows
        elif len(plan.items) > self.items:
            message = gettext("more than %(n)d items (TEARDOWN_MAX_ITEMS): split the file into several imports")
            value = self.items
        elif len(plan.errors) >= self.errors:
            message = gettext("more than %(n)d errors (TEARDOWN_MAX_ERRORS): the rest of the file was not checked")
            value = self.errors
        else:
            return False
        plan.errors.append(RowError(number, "", "", str(message % {"n": value})))
        return True


def validate_table(
    table: TeardownTable,
    *,
    default_source_url: str | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> Plan:
    """Check every row of `table` and return the plan (with every error found)."""
    plan = Plan()
    names = _header(table, plan)
    if names is None:
        return plan
    resolver = _Resolver()
    errors = plan.errors
    items = plan.items
    spool = plan.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Plan.close()
    batch: list[tuple] = []
    width = len(names)
    spreadsheet = table.spreadsheet
    default_source = (default_source_url or "").strip()
    if default_source:
        if not resolver.url_ok(default_source):
            errors.append(RowError(None, "source_url", default_source, "--source is not a valid http(s) URL"))
        plan.sources.add(default_source)

    # Unknown and duplicate columns get a key no column has, so one zip builds the row dict.
    keys = [name or f"\x00{position}" for position, name in enumerate(names)]
    unnamed = [position for position, name in enumerate(names) if name == ""]
    strip = str.strip
    limits = ImportLimits.from_settings()
    for number, cells in table.rows:
        if limits.reached(plan, number):
            break
        values = list(map(strip, cells))
        if len(values) > width:
            extra = values[width:]
            del values[width:]
            if any(extra):
                errors.append(RowError(number, column_letter(width), extra[0], "a value beyond the header"))
        for position in unnamed:
            if position < len(values) and values[position]:
                errors.append(
                    RowError(number, column_letter(position), values[position], "a value in a column without a header")
                )
        if not any(values):
            continue  # blank rows (spreadsheets often end with some) are not lines
        plan.rows += 1
        if progress and plan.rows % 5000 == 0:
            progress("validating", plan.rows, None)
        if spreadsheet and "\x1f'" in "\x1f" + "\x1f".join(values):
            values = [unescape_formula(value) if value[:1] == "'" else value for value in values]
        row = dict(zip(keys, values, strict=False))
        line = _validate_row(number, row, plan, resolver, default_source)
        if line is not None and not errors:
            batch.append(line)
            if len(batch) >= SPOOL_BATCH:
                pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
    if batch and not errors:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    if progress:
        progress("validating", plan.rows, plan.rows)
    if plan.rows == 0 and not errors:
        errors.append(RowError(None, "", "", "The file has a header row but no data rows."))
    for item in items.values():
        if "weapon" not in item.fields:
            errors.append(
                RowError(item.first_row, "weapon", "", f"no row of item {item.reference} names its weapon model")
            )
    return plan


_SHORTEST_LIMIT = min(_MAX_LENGTH.values())


def _too_long(row: dict[str, str]) -> list[tuple[str, str, str]]:
    if max(map(len, row.values())) <= _SHORTEST_LIMIT:
        return []
    return [
        (column, value, f"longer than {limit} characters")
        for column, limit in _MAX_LENGTH.items()
        if len(value := row.get(column, "")) > limit
    ]


def _validate_row(number: int, row: dict[str, str], plan: Plan, resolver: _Resolver, default_source: str):
    """Check one row; append its errors to the plan; return its spooled line (or None when invalid)."""
    problems: list[tuple[str, str, str]] = _too_long(row)
    get = row.get
    reference = get("item_ref", "")
    if not reference:
        problems.append(("item_ref", "", "required"))
        item = None
    else:
        item = plan.items.get(reference)
        if item is None:
            item = plan.items[reference] = ItemPlan(reference=reference, first_row=number)

    # Item-level columns: normalise, then check agreement with the rows before.
    for column in ITEM_COLUMNS:
        raw = get(column, "")
        if not raw:
            continue
        if column == "weapon":
            value = resolver.weapons.get(resolver.key(raw))
            if value is None:
                problems.append((column, raw, "unknown weapon model (not a designation or alias we know)"))
                continue
        elif column in ("recovered_on", "analysed_on"):
            value = resolver.date(raw)
            if value is None:
                problems.append((column, raw, "not a date: use YYYY-MM-DD, YYYY-MM or YYYY"))
                continue
        elif column == "strike_date":
            value = resolver.date(raw)
            if value is None or value[1] != DatePrecision.DAY:
                problems.append((column, raw, "not a full date: use YYYY-MM-DD"))
                continue
            value = value[0]
            plan.strike_dates.add(value)
        else:
            value = raw
        if item is None:
            continue
        known = item.fields.get(column)
        if known is None:
            item.fields[column] = (value, raw, number)
        elif known[0] != value:
            problems.append((column, raw, f"conflicts with {known[1]!r} on row {known[2]} for item {reference}"))

    # The maker: a known manufacturer (name or alias), a new one with a country, the one maker of a catalogued
    # part number, or a country alone; then the line's rules (provenance.finding_rules), shared with the admin.
    maker_text = get("manufacturer", "")
    country_text = get("manufacturer_country", "")
    manufacturer = maker = None
    if maker_text:
        key = resolver.key(maker_text)
        known_maker = resolver.manufacturers.get(key)
        if known_maker is not None:
            manufacturer, maker = known_maker[0], Maker(known_maker[2], known_maker[1])
        elif key in plan.new_manufacturers:
            manufacturer, maker = key, Maker(*plan.new_manufacturers[key])
        elif country_text and (new_country := resolver.country(country_text)):
            manufacturer, maker = key, Maker(" ".join(maker_text.split()), new_country)
            plan.new_manufacturers[key] = maker
        elif not country_text:
            message = gettext("unknown manufacturer: give its manufacturer_country to create it")
            problems.append(("manufacturer", maker_text, message))
    elif part_number := get("part_number", ""):
        manufacturer = resolver.part_makers.get(resolver.part_key(part_number)) or None
        maker = resolver.makers.get(manufacturer)
    country = ""
    if not maker_text or maker is not None or country_text:
        country, found = rules.attribution(maker=maker, country_text=country_text, parse=resolver.country)
        problems.extend((_COLUMN_OF[field], value, message) for field, value, message in found)

    # Category (created when unknown) and part (the maker's part of that number; created when unknown).
    category = None
    category_text = get("category", "")
    if category_text:
        key = resolver.key(category_text)
        category = resolver.categories.get(key)
        if category is None:
            category = key
            plan.new_categories.setdefault(key, " ".join(category_text.split()))
    part_number = get("part_number", "")
    part_key, found = rules.part_key(part_number=part_number, has_maker=manufacturer is not None, key=resolver.part_key)
    problems.extend((_COLUMN_OF[field], value, message) for field, value, message in found)
    effective_category = category
    if part_key:
        part = plan.parts.get((manufacturer, part_key))
        if part is None:
            existing = resolver.parts.get((manufacturer, part_key)) if isinstance(manufacturer, int) else None
            part = plan.parts[(manufacturer, part_key)] = [
                part_number,
                existing[1] if existing else category,
                existing[0] if existing else None,
            ]
        elif part[1] is None and part[2] is None:
            part[1] = category  # a new part takes the first category given for it
        if category is None:
            effective_category = part[1] if part[2] is not None else None

    quantity, found = rules.quantity(get("quantity", ""))
    problems.extend(found)

    confidence = get("confidence", "").lower() or "confirmed"
    if confidence not in CONFIDENCES:
        problems.append(("confidence", get("confidence", ""), "use confirmed, probable or possible"))

    source_url = get("source_url", "") or default_source
    if source_url and source_url != default_source:
        if resolver.url_ok(source_url):
            plan.sources.add(source_url)
        else:
            problems.append(("source_url", source_url, "not a valid http(s) URL"))

    date_code = get("date_code", "")
    produced_year, produced_week = resolver.production_date(date_code) if date_code else (None, None)
    origin_marking = get("origin_marking", "")
    origin = resolver.origin(origin_marking) if origin_marking else ""

    if problems:
        plan.errors.extend(RowError(number, column, value, message) for column, value, message in problems)
        return None
    if plan.errors:
        return None  # an earlier row failed: keep checking, stop spooling

    marking = get("marking", "")
    lot_code = get("lot_code", "")
    module = get("module", "")
    notes = get("notes", "")
    line = (reference, manufacturer, part_key, part_number, category, country, quantity, marking, date_code)
    line += (produced_year, produced_week, lot_code, origin_marking, origin, module, confidence, source_url, notes)
    # What the diff compares (writer.diff_plan hashes the stored line alike): the line's position, then its values
    # with the category it ends up with, without the part number as printed and the derived production date.
    position = len(item.line_hashes) + 1
    item.line_hashes.append(
        hash((position, manufacturer, part_key, effective_category, country, quantity, *line[7:9], *line[11:]))
    )
    if source_url:
        item.sources.add(source_url)
    return line
