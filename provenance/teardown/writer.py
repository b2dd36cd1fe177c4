"""Pass two of an import: compare the validated plan with the database and write the difference.

Items are matched by reference, lines by position within their item (the k-th row of an item in the file
is line k). An unchanged line is left alone; a changed line is updated in place (so photos attached to it
stay); new lines are inserted (COPY on PostgreSQL, bulk_create elsewhere); lines beyond the end of the
file's rows are deleted (their evidence files move to the item). Every finding written this way still gets
its django-simple-history row, written by one INSERT ... SELECT per batch instead of one per finding.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from components.models import Category, Part
from config.common.services import rows_copy as _copy_rows
from manufacturers.models import Manufacturer
from provenance.finding_columns import model_fields
from provenance.models import EvidenceFile, Finding, RecoveredItem, Source, Strike
from provenance.models.items import TLP, DatePrecision
from provenance.services.findings import finding_years_sync, item_years
from provenance.services.organisations import organisation_internal
from provenance.services.workflow import items_content_changed

from .validation import Plan

__all__ = ["Diff", "diff_plan", "finding_copy_columns", "write_plan"]

CHUNK = 1000
INSERT_BATCH = 5000

# Finding fields written by an import, in COPY order: the finding columns, between the row's times and item
# and the item's years. `write_plan` builds each line's values in this order.
_FINDING_FIELDS = ("created_at", "updated_at", "item", *model_fields(), "recovered_year", "analysed_year")
_UPDATE_FIELDS = [name for name in _FINDING_FIELDS if name not in ("created_at", "item")]
_ITEM_FIELDS = {
    "weapon": ("weapon_model_id",),
    "recovered_on": ("recovered_on", "recovered_on_precision"),
    "analysed_on": ("analysed_on", "analysed_on_precision"),
    "place": ("place",),
    "strike_date": ("strike_date",),
    "serial": ("serial_number",),
}

# The item attributes read for the comparison (the strike date is read through the strike).
_ITEM_ATTRIBUTES = [name for names in _ITEM_FIELDS.values() for name in names if name != "strike_date"]


@dataclass
class Diff:
    """What pass two will do, decided before anything is written."""

    existing: dict[str, dict] = field(default_factory=dict)  # reference -> current item values
    status: dict[str, str] = field(default_factory=dict)  # reference -> created | changed | unchanged
    existing_lines: dict[str, int] = field(default_factory=dict)  # reference -> number of current lines
    updates: dict[tuple[str, int], int] = field(default_factory=dict)  # (reference, line) -> finding id
    deletes: list[int] = field(default_factory=list)
    findings_unchanged: int = 0


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _wanted_item_values(plan: Plan, item) -> dict:
    """The item fields the file sets (columns absent from the header leave the current value)."""
    wanted = {}
    for column, attributes in _ITEM_FIELDS.items():
        if column not in plan.columns:
            continue
        value = item.fields.get(column, (None,))[0]
        if column in ("recovered_on", "analysed_on"):
            date, precision = value if value else (None, DatePrecision.DAY.value)
            wanted[attributes[0]] = date
            wanted[attributes[1]] = precision
        elif column in ("weapon", "strike_date"):
            wanted[attributes[0]] = value
        else:
            wanted[attributes[0]] = value or ""
    return wanted


def diff_plan(plan: Plan) -> Diff:
    """Compare the plan with the database (reads only)."""
    diff = Diff()
    references = list(plan.items)
    for chunk in _chunks(references):
        for row in RecoveredItem.objects.filter(reference__in=chunk).values(
            "id", "reference", *_ITEM_ATTRIBUTES, strike_date=_strike_date()
        ):
            row["sources"] = set()
            diff.existing[row["reference"]] = row
    by_id = {row["id"]: row for row in diff.existing.values()}
    through = RecoveredItem.sources.through
    ids = list(by_id)
    for chunk in _chunks(ids):
        for item_id, url in through.objects.filter(recovereditem_id__in=chunk).values_list(
            "recovereditem_id", "source__url"
        ):
            by_id[item_id]["sources"].add(url)

    changed_lines: set[str] = set()
    for chunk in _chunks(ids):
        position = 0
        current = None
        rows = (
            Finding.objects.filter(item_id__in=chunk)
            .order_by("item_id", "line_no", "id")
            .values_list(
                "id",
                "item_id",
                "line_no",
                "manufacturer_id",
                "part__part_number_key",
                "category_id",
                "country",
                "quantity",
                "marking",
                "date_code",
                "lot_code",
                "origin_marking",
                "origin_country",
                "module",
                "confidence",
                "source__url",
                "notes",
            )
        )
        for finding_id, item_id, *values in rows.iterator(chunk_size=5000):
            if item_id != current:
                current, position = item_id, 0
                reference = by_id[item_id]["reference"]
                wanted = plan.items[reference].line_hashes
            position += 1
            diff.existing_lines[reference] = position
            values[2] = values[2] or ""  # part_number_key of no part
            values[-2] = values[-2] or ""  # source url of no source
            if position > len(wanted):
                diff.deletes.append(finding_id)
                changed_lines.add(reference)
            elif hash(tuple(values)) == wanted[position - 1]:
                diff.findings_unchanged += 1
            else:
                diff.updates[(reference, position)] = finding_id
                changed_lines.add(reference)

    for reference, item in plan.items.items():
        row = diff.existing.get(reference)
        if row is None:
            diff.status[reference] = "created"
            continue
        wanted = _wanted_item_values(plan, item)
        differs = any(row[name] != value for name, value in wanted.items())
        if (
            differs
            or reference in changed_lines
            or len(item.line_hashes) > diff.existing_lines.get(reference, 0)
            or not item.sources <= row["sources"]
        ):
            diff.status[reference] = "changed"
        else:
            diff.status[reference] = "unchanged"
    return diff


def _strike_date() -> F:
    return F("strike__occurred_on")


_HISTORY_PARAMS = ("history_date", "history_type", "history_user_id", "history_change_reason")


def _history_sql(where: str, model=Finding) -> str:
    """INSERT ... SELECT that writes one history row per finding matching `where` (params: date, type, user)."""
    history = model.history.model
    target, source = [], []
    for model_field in history._meta.concrete_fields:
        column = model_field.column
        if column == "history_id":
            continue
        target.append(connection.ops.quote_name(column))
        if column in _HISTORY_PARAMS:
            source.append("%s")
        else:
            source.append(f"f.{connection.ops.quote_name(column)}")
    # Identifiers come from model metadata and `where` from this module: no user text reaches the SQL.
    insert = f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(target)}) "
    select = f"SELECT {', '.join(source)} FROM {connection.ops.quote_name(model._meta.db_table)} f"  # noqa: S608
    return f"{insert}{select} WHERE {where}"


def _history_params(history_type: str, user, when: dt.datetime, model=Finding) -> list:
    history = model.history.model
    params = []
    for model_field in history._meta.concrete_fields:
        column = model_field.column
        if column == "history_date":
            params.append(when)
        elif column == "history_type":
            params.append(history_type)
        elif column == "history_user_id":
            params.append(user.pk if user is not None else None)
        elif column == "history_change_reason":
            params.append("teardown import")
    return params


def _record_history(ids_sql: str, ids_params: list, history_type: str, user, when, model=Finding) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(ids_sql, model), _history_params(history_type, user, when, model) + ids_params)


def _history_for_ids(ids: list[int], history_type: str, user, when, model=Finding) -> None:
    for chunk in _chunks(ids):
        where = f"f.id IN ({', '.join(['%s'] * len(chunk))})"
        _record_history(where, list(chunk), history_type, user, when, model)


def _max_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return cursor.fetchone()[0] or 0


def _insert_parts(rows: list[tuple], user, when) -> dict[tuple[int, str], tuple[int, int | None]]:
    """Insert new parts (COPY on PostgreSQL) with their history; return (maker, key) -> (id, category)."""
    fields = ("created_at", "updated_at", "manufacturer", "part_number", "part_number_key", "category",
              "description", "eccn", "datasheet_url")  # fmt: skip
    before = _max_id(Part)
    values = [(when, when, maker, number, key, category, "", "", "") for maker, number, key, category in rows]
    if connection.vendor == "postgresql":
        _copy_rows(Part, fields, values)
    else:
        names = [Part._meta.get_field(name).attname for name in fields]
        Part.objects.bulk_create([Part(**dict(zip(names, row, strict=True))) for row in values], batch_size=500)
    wanted = {(maker, key) for maker, _, key, _ in rows}
    created = {
        (maker, key): (pk, category)
        for pk, maker, key, category in Part.objects.filter(pk__gt=before).values_list(
            "pk", "manufacturer_id", "part_number_key", "category_id"
        )
        if (maker, key) in wanted
    }
    _history_for_ids([pk for pk, _ in created.values()], "+", user, when, Part)
    return created


def _create_reference_rows(plan: Plan, user) -> tuple[dict, dict, dict, dict, dict]:
    """Create the manufacturers, categories, parts, sources and strikes the plan needs; return id maps."""
    manufacturers = {}
    if plan.new_manufacturers:
        objs = [
            Manufacturer(name=name, name_key=key, country=country, reviewed=False)
            for key, (name, country) in plan.new_manufacturers.items()
        ]
        for obj in bulk_create_with_history(objs, Manufacturer, default_user=user):
            manufacturers[obj.name_key] = obj.pk
    categories = {}
    if plan.new_categories:
        objs = [Category(name=name) for name in plan.new_categories.values()]
        keys = list(plan.new_categories)
        for key, obj in zip(keys, bulk_create_with_history(objs, Category, default_user=user), strict=True):
            categories[key] = obj.pk

    def _maker(ref):
        return manufacturers[ref] if isinstance(ref, str) else ref

    def _category(ref):
        return categories[ref] if isinstance(ref, str) else ref

    parts = {}
    new_parts = []
    for (maker, key), (number, category, pk) in plan.parts.items():
        if pk is not None:
            parts[(maker, key)] = (pk, category)
        else:
            new_parts.append((maker, (_maker(maker), number, key, _category(category))))
    if new_parts:
        created = _insert_parts([row for _, row in new_parts], user, timezone.now())
        for maker, (maker_id, _, key, _) in new_parts:
            parts[(maker, key)] = created[(maker_id, key)]

    sources = {}
    if plan.sources:
        for pk, url in Source.objects.filter(url__in=plan.sources).order_by("-id").values_list("pk", "url"):
            sources[url] = pk
        missing = [Source(title=url[:400], url=url) for url in sorted(plan.sources - set(sources))]
        for obj in bulk_create_with_history(missing, Source, default_user=user) if missing else []:
            sources[obj.url] = obj.pk
    strikes = {}
    if plan.strike_dates:
        for pk, day in (
            Strike.objects.filter(occurred_on__in=plan.strike_dates).order_by("-id").values_list("pk", "occurred_on")
        ):
            strikes[day] = pk
        for day in sorted(plan.strike_dates - set(strikes)):
            place = next(
                (
                    i.fields["place"][0]
                    for i in plan.items.values()
                    if i.fields.get("strike_date", (None,))[0] == day and "place" in i.fields
                ),
                "",
            )
            strike = Strike(occurred_on=day, place=place[:200])
            strike._history_user = user
            strike.save()
            strikes[day] = strike.pk
    return manufacturers, categories, parts, sources, strikes


def write_plan(
    plan: Plan,
    diff: Diff,
    *,
    user=None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    """Write what `diff` says; the caller holds the transaction."""
    now = timezone.now()
    manufacturers, categories, parts, sources, strikes = _create_reference_rows(plan, user)

    # Items: new ones in bulk, changed ones one by one (few; each gets its own history row).
    owner = organisation_internal()
    item_ids = {reference: row["id"] for reference, row in diff.existing.items()}
    years: dict[str, tuple[int | None, int | None]] = {}  # reference -> the years its lines store
    new_items = []
    for reference, item in plan.items.items():
        wanted = _wanted_item_values(plan, item)
        dates = {**diff.existing.get(reference, {}), **wanted}
        years[reference] = item_years(recovered_on=dates.get("recovered_on"), analysed_on=dates.get("analysed_on"))
        if "strike_date" in wanted:
            day = wanted.pop("strike_date")
            wanted["strike_id"] = strikes[day] if day else None
        status = diff.status[reference]
        if status == "created":
            new_items.append(
                RecoveredItem(
                    reference=reference,
                    owner=owner,
                    status=RecoveredItem.Status.DRAFT,
                    tlp=TLP.AMBER,
                    created_by=user,
                    **wanted,
                )
            )
        elif status == "changed":
            current = diff.existing[reference]
            if any(current[name] != value for name, value in _wanted_item_values(plan, item).items()):
                obj = RecoveredItem.objects.get(pk=item_ids[reference])
                for name, value in wanted.items():
                    setattr(obj, name, value)
                obj._history_user = user
                obj.save()
                finding_years_sync(item=obj)
    for obj in bulk_create_with_history(new_items, RecoveredItem, batch_size=1000, default_user=user):
        item_ids[obj.reference] = obj.pk

    through = RecoveredItem.sources.through
    links = [
        through(recovereditem_id=item_ids[reference], source_id=sources[url])
        for reference, item in plan.items.items()
        for url in sorted(item.sources)
        if reference not in diff.existing or url not in diff.existing[reference]["sources"]
    ]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)

    # Lines that no longer exist: history first, then the rows; their evidence moves to the item.
    if diff.deletes:
        for evidence in EvidenceFile.objects.filter(finding_id__in=diff.deletes).select_related("finding"):
            evidence.item_id = evidence.item_id or evidence.finding.item_id
            evidence.finding = None
            evidence.save(update_fields=["item", "finding"])
        _history_for_ids(diff.deletes, "-", user, now)
        table = connection.ops.quote_name(Finding._meta.db_table)
        with connection.cursor() as cursor:
            for chunk in _chunks(diff.deletes):
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608

    # New and changed lines, streamed from the spool.
    touched = [item_ids[r] for r, s in diff.status.items() if s != "unchanged"]
    max_before = _max_id(Finding)
    positions: dict[str, int] = {}
    inserts: list[tuple] = []
    updates: list[Finding] = []
    inserter = _copy_findings if connection.vendor == "postgresql" else _bulk_create_findings
    done = 0
    for line in plan.lines():
        (reference, maker, part_key, _number, category, country, quantity, marking, date_code, year, week, lot,
         origin_marking, origin, module, confidence, source_url, notes) = line  # fmt: skip
        position = positions[reference] = positions.get(reference, 0) + 1
        done += 1
        if progress and done % 5000 == 0:
            progress("writing", done, plan.rows)
        if diff.status[reference] == "unchanged":
            continue
        update_id = diff.updates.get((reference, position))
        if update_id is None and position <= diff.existing_lines.get(reference, 0):
            continue  # this line is unchanged
        maker_id = manufacturers[maker] if isinstance(maker, str) else maker
        part = parts.get((maker, part_key)) if part_key else None
        category_id = categories[category] if isinstance(category, str) else category
        if category_id is None and part is not None:
            category_id = part[1]
        values = (
            now,
            now,
            item_ids[reference],
            position,
            part[0] if part else None,
            maker_id,
            country,
            category_id,
            quantity,
            marking,
            date_code,
            year,
            week,
            lot,
            origin_marking,
            origin,
            module,
            confidence,
            sources[source_url] if source_url else None,
            notes,
            *years[reference],
        )
        if update_id is None:
            inserts.append(values)
            if len(inserts) >= INSERT_BATCH:
                inserter(inserts)
                inserts = []
        else:
            updates.append(Finding(id=update_id, **dict(zip(_attnames(), values, strict=True))))
    if inserts:
        inserter(inserts)
    if updates:
        Finding.objects.bulk_update(updates, _UPDATE_FIELDS, batch_size=500)
        _history_for_ids([obj.pk for obj in updates], "~", user, now)
    if progress:
        progress("history", done, plan.rows)
    for chunk in _chunks(touched, 500):
        _record_history(
            f"f.id > %s AND f.item_id IN ({', '.join(['%s'] * len(chunk))})",
            [max_before, *chunk],
            "+",
            user,
            now,
        )
    # Reviewed items whose lines or facts the file changed go back to review; the importer is their last editor.
    items_content_changed(item_ids=touched, user=user, reason="teardown import")
    if progress:
        progress("writing", plan.rows, plan.rows)


def _attnames() -> list[str]:
    return [Finding._meta.get_field(name).attname for name in _FINDING_FIELDS]


def finding_copy_columns() -> list[str]:
    """The findings table's columns an import writes, in COPY order (for benchmarks that write the same rows)."""
    return [Finding._meta.get_field(name).column for name in _FINDING_FIELDS]


def _copy_findings(rows: list[tuple]) -> None:
    """PostgreSQL: COPY the rows into the findings table."""
    _copy_rows(Finding, _FINDING_FIELDS, rows)


def _bulk_create_findings(rows: list[tuple]) -> None:
    """Other databases: bulk_create in batches (no per-object signals; history is written separately)."""
    names = _attnames()
    Finding.objects.bulk_create([Finding(**dict(zip(names, row, strict=True))) for row in rows], batch_size=500)
