"""Import a sanctions list file: one service for the command (`import_sanctions`) and the admin upload.

`sanctions_list_import(stream=..., file_name=...)` reads the file with the reader of its format (guessed from
the first bytes when not given), and writes listed entities, their names, designations and ownerships inside
one transaction: a file with a bad line changes nothing, and the error names the line.

- Constant memory: the file is read once, line by line, into temporary staging tables (COPY on PostgreSQL,
  batched INSERTs elsewhere), one batch at a time; what follows is set-based SQL over those tables. Python
  holds one batch and a count per skipped schema, whatever the size of the file.
- Checked in the database, on every backend alike: an id twice in the file (each later occurrence is an
  error), and a Sanction or Ownership whose entity is neither in the file nor in the database (an error,
  except in a delta file, which refers to entities of earlier versions: it is then skipped and counted).
  One whose entity is of a skipped schema (a Person's sanction, a Person's ownership) is skipped and counted.
- Idempotent: each row keeps the digest of what it was made from; a row whose digest is unchanged is not
  written. Rows are updated in place by their source id, never deleted and recreated, so confirmed matches
  survive re-imports. A delta `DEL` marks a listed entity removed (and deletes a designation or ownership).
  Every row an import writes carries it (`import_run`): that is how the names of the entities it wrote are
  rewritten.
- `dry_run`: everything is done and counted, then rolled back.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common.services import table_copy
from config.common.text import name_key
from manufacturers.models import Designation, ListedEntity, ListedName, ListedOwnership, ListImport
from manufacturers.sanctions.readers import (
    Delete,
    EntityRecord,
    LineError,
    OwnershipRecord,
    SanctionRecord,
    Skipped,
    detect_format,
    read_csl,
    read_eu_journal,
    read_ftm,
)

# The SQL below is built from model metadata and constants only; every value is a parameter.
# ruff: noqa: S608, S611

__all__ = [
    "FORMATS",
    "ImportSummary",
    "SanctionsImportError",
    "listed_name_rows",
    "sanctions_list_import",
]

FORMATS = {"ftm": read_ftm, "csl": read_csl, "eu-journal": read_eu_journal}
SOURCES = {"ftm": "OpenSanctions (FollowTheMoney)", "csl": "US Consolidated Screening List", "eu-journal": "EU OJ"}
BATCH = 5000
MAX_ERRORS = 20

# The fields of a listed entity that its list sets (a re-import updates them; the admin shows them).
ENTITY_FIELDS = [
    "schema",
    "caption",
    "names",
    "countries",
    "identifiers",
    "websites",
    "datasets",
    "first_seen",
    "last_seen",
    "import_run",
    "removed_at",
    "raw",
    "digest",
]
_DESIGNATION_FIELDS = [
    "listed_entity",
    "authority",
    "program",
    "measure",
    "provisions",
    "listed_on",
    "delisted_on",
    "date_kind",
    "date_source",
    "reason",
    "reference",
    "source_url",
    "digest",
    "import_run",
    "updated_at",
]
_OWNERSHIP_FIELDS = ["owner", "asset", "percentage", "role", "start_on", "end_on", "raw", "digest", "import_run"]


class SanctionsImportError(Exception):
    """The file was refused: each error names its line. Nothing was written."""

    def __init__(self, errors: list[LineError], *, more: bool = False):
        self.errors = errors
        self.more = more
        super().__init__("; ".join(str(error) for error in errors))

    def lines(self) -> list[str]:
        lines = [_("line %(line)d: %(message)s") % {"line": e.line, "message": e.message} for e in self.errors]
        if self.more:
            lines.append(_("(stopped after %(n)d errors)") % {"n": MAX_ERRORS})
        return lines


@dataclass
class ImportSummary:
    format: str
    file_name: str
    sha256: str
    dry_run: bool
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0
    skipped_by_schema: Counter = field(default_factory=Counter)
    list_import: ListImport | None = None

    def skip(self, label: str, n: int = 1) -> None:
        self.skipped += n
        self.skipped_by_schema[label] += n

    def count(self, created: int, changed: int, staged: int) -> None:
        """Count the rows written of `staged` rows read: the others were unchanged."""
        self.created += created
        self.changed += changed
        self.unchanged += staged - created - changed

    def line(self) -> str:
        """`created 11, changed 0, unchanged 0, skipped 25 (Address 11, Person 6, ...)`."""
        text = _("created %(created)d, changed %(changed)d, unchanged %(unchanged)d, skipped %(skipped)d") % {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.skipped_by_schema:
            detail = ", ".join(f"{schema} {n}" for schema, n in sorted(self.skipped_by_schema.items()))
            text += f" ({detail})"
        if self.deleted:
            text += _(", deleted %(deleted)d") % {"deleted": self.deleted}
        if self.dry_run:
            text += _(" (dry run: nothing written)")
        return text


def listed_name_rows(names: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, kind, key) per name, keyed by `name_key` (NFKC, case-folded, one space): cheap enough for a
    million entities; the matcher builds its own, richer keys (scripts, legal forms) from `ListedEntity.names`."""
    return [(name[:1000], kind, name_key(name)[:255]) for kind, name in names]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model: type[models.Model], name: str) -> str:
    return _quote(model._meta.get_field(name).column)


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


def _execute(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _preparer(field: models.Field) -> Callable[[Any], Any]:
    """A value as the database takes it. On PostgreSQL (COPY), psycopg adapts the readers' values (str, int,
    Decimal, date, aware datetime, None) itself and JSON goes as its text: Django's preparation of each value
    of a million rows would cost more than all the rest of the import."""
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy `connection`, looked up on every use
    if database.vendor != "postgresql":
        return partial(field.get_db_prep_save, connection=database)
    if isinstance(field, models.JSONField):
        return partial(json.dumps, cls=field.encoder)
    return _same


def _same(value: Any) -> Any:
    return value


@dataclass
class _Stage:
    """A temporary table of the file's rows of one kind, filled one batch at a time: each record's line and
    source id, the source ids it refers to (`refs`: foreign key of `model` -> attribute of the record, kept in
    the column `<foreign key>_ref`), and its values of `fields` (columns of `model`, typed as there).

    `stamps` are the columns of `model` the import sets itself, not from the file: on insert and update
    (`stamps`), on insert only (`insert_stamps`)."""

    table: str
    model: type[models.Model]
    fields: list[str]
    refs: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, Any] = field(default_factory=dict)
    insert_stamps: dict[str, Any] = field(default_factory=dict)
    rows: list[tuple] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        self._prepare = [_preparer(self.model._meta.get_field(name)) for name in self.fields]

    @property
    def name(self) -> str:
        return _quote(self.table)

    def columns(self) -> list[str]:
        refs = [f"{fk}_ref" for fk in self.refs]
        return ["line", "source_id", *refs, *(self.model._meta.get_field(name).column for name in self.fields)]

    def create(self) -> None:
        """The empty table, its columns typed as the model's (CREATE TABLE AS SELECT ... WHERE 1 = 0)."""
        typed = [
            "CAST(NULL AS integer) AS line",
            "CAST(NULL AS varchar(255)) AS source_id",
            *(f"CAST(NULL AS varchar(255)) AS {_quote(fk + '_ref')}" for fk in self.refs),
            *(_column(self.model, name) for name in self.fields),
        ]
        _execute(f"DROP TABLE IF EXISTS {self.name}")
        _execute(
            f"CREATE TEMPORARY TABLE {self.name} AS SELECT {', '.join(typed)} FROM {_table(self.model)} WHERE 1 = 0"
        )

    def drop(self) -> None:
        _execute(f"DROP TABLE {self.name}")

    def add(self, record, **values: Any) -> None:
        """Stage `record` (its values of `fields`, unless given in `values`)."""
        row = [getattr(record, name) if name not in values else values[name] for name in self.fields]
        self.rows.append(
            (
                record.line,
                record.source_id,
                *(getattr(record, attribute) for attribute in self.refs.values()),
                *(prepare(value) for prepare, value in zip(self._prepare, row, strict=True)),
            )
        )
        self.count += 1
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            table_copy(self.table, self.columns(), self.rows)
        else:
            columns = ", ".join(_quote(c) for c in self.columns())
            with connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(self.columns()))
                cursor.executemany(f"INSERT INTO {self.name} ({columns}) VALUES ({marks})", self.rows)
        self.rows = []

    # -- set-based writing --

    def _joins(self) -> str:
        """The listed entities each staged row refers to, as r0, r1, ... (rows with a missing one drop out)."""
        le = _table(ListedEntity)
        return " ".join(f"JOIN {le} r{i} ON r{i}.source_id = s.{_quote(fk + '_ref')}" for i, fk in enumerate(self.refs))

    def missing(self) -> str:
        """SQL: line, source id and the first reference not held, of each staged row with one."""
        le = _table(ListedEntity)
        joins = " ".join(
            f"LEFT JOIN {le} r{i} ON r{i}.source_id = s.{_quote(fk + '_ref')}" for i, fk in enumerate(self.refs)
        )
        first = " ".join(f"WHEN r{i}.id IS NULL THEN s.{_quote(fk + '_ref')}" for i, fk in enumerate(self.refs))
        return f"SELECT s.line, s.source_id, CASE {first} END AS ref FROM {self.name} s {joins}"

    def _stamped(self, stamps: dict[str, Any]) -> list[tuple[str, Any]]:
        fields = [self.model._meta.get_field(name) for name in stamps]
        return [
            (_quote(f.column), f.get_db_prep_save(v, connection)) for f, v in zip(fields, stamps.values(), strict=True)
        ]

    def write(self, *, changed_when: str = "") -> tuple[int, int]:
        """Update the rows whose digest changed (or `changed_when`), insert the new ones: (created, changed)."""
        table = _table(self.model)
        stamps = self._stamped(self.stamps)
        inserted = stamps + self._stamped(self.insert_stamps)
        fk = [(_column(self.model, name), f"r{i}.id") for i, name in enumerate(self.refs)]
        own = [_column(self.model, name) for name in self.fields]
        assignments = [f"{c} = {v}" for c, v in fk] + [f"{c} = s.{c}" for c in own] + [f"{c} = %s" for c, _v in stamps]
        changed = _execute(
            f"UPDATE {table} SET {', '.join(assignments)} FROM {self.name} s {self._joins()} "
            f"WHERE s.source_id = {table}.source_id AND ({table}.digest <> s.digest{changed_when})",
            [value for _c, value in stamps],
        )
        columns = ["source_id", *(c for c, _v in fk), *own, *(c for c, _v in inserted)]
        values = ["s.source_id", *(v for _c, v in fk), *(f"s.{c}" for c in own), *(["%s"] * len(inserted))]
        created = _execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {self.name} s {self._joins()} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE x.source_id = s.source_id)",
            [value for _c, value in inserted],
        )
        return created, changed


class _Staging:
    """The staging tables of one import, what it counts, and the errors it finds."""

    def __init__(self, *, run: ListImport, summary: ImportSummary, delta: bool):
        self.run = run
        self.summary = summary
        self.delta = delta
        now = timezone.now()
        self.entities = _Stage(
            "sanctions_stage_entity",
            ListedEntity,
            [name for name in ENTITY_FIELDS if name not in ("import_run", "removed_at")],
            stamps={"import_run": run.pk, "removed_at": None},
        )
        self.names = _Stage("sanctions_stage_name", ListedName, ["name", "kind", "key"])
        self.designations = _Stage(
            "sanctions_stage_designation",
            Designation,
            [name for name in _DESIGNATION_FIELDS if name not in ("listed_entity", "import_run", "updated_at")],
            refs={"listed_entity": "entity_id"},
            stamps={"import_run": run.pk, "updated_at": now},
            insert_stamps={"created_at": now},
        )
        self.ownerships = _Stage(
            "sanctions_stage_ownership",
            ListedOwnership,
            [name for name in _OWNERSHIP_FIELDS if name not in ("owner", "asset", "import_run")],
            refs={"owner": "owner_id", "asset": "asset_id"},
            stamps={"import_run": run.pk},
        )
        self.skipped = _Stage("sanctions_stage_skipped", ListedEntity, ["schema"])
        self.deletes = _Stage("sanctions_stage_delete", ListedEntity, [])
        self.stages = [self.entities, self.names, self.designations, self.ownerships, self.skipped, self.deletes]
        for stage in self.stages:
            stage.create()

    def add(self, record) -> None:
        if isinstance(record, EntityRecord):
            self.entities.add(record, names=[name for _kind, name in record.names])
            for name, kind, key in listed_name_rows(record.names):
                self.names.add(record, name=name, kind=kind, key=key)
        elif isinstance(record, SanctionRecord):
            self.designations.add(record)
        elif isinstance(record, OwnershipRecord):
            self.ownerships.add(record)
        elif isinstance(record, Skipped):
            self.skipped.add(record)
            self.summary.skip(record.schema)
        elif isinstance(record, Delete):
            self.deletes.add(record)

    def flush(self) -> None:
        for stage in self.stages:
            stage.flush()
            if connection.vendor == "postgresql":  # autovacuum never analyses a temporary table
                keys = ["source_id", *(f"{fk}_ref" for fk in stage.refs)]
                _execute(f"ANALYZE {stage.name} ({', '.join(_quote(key) for key in keys)})")

    def drop(self) -> None:
        for stage in self.stages:
            stage.drop()

    # -- checks --

    def duplicates(self) -> list[LineError]:
        """Each occurrence of an id after its first (Delete lines aside), the first MAX_ERRORS by line."""
        ids = " UNION ALL ".join(
            f"SELECT source_id, line FROM {stage.name}"
            for stage in (self.entities, self.designations, self.ownerships, self.skipped)
        )
        rows = _fetch(
            f"WITH ids AS ({ids}), twice AS (SELECT source_id, MIN(line) AS first FROM ids GROUP BY source_id "
            f"HAVING COUNT(*) > 1) SELECT ids.line, ids.source_id FROM ids JOIN twice ON twice.source_id = "
            f"ids.source_id WHERE ids.line > twice.first ORDER BY ids.line LIMIT {MAX_ERRORS}"
        )
        return [
            LineError(line, _("the id %(id)s appears twice in the file") % {"id": source_id})
            for line, source_id in rows
        ]

    def _references(self, stage: _Stage, schema: str) -> list[LineError]:
        """Skip and count the staged links whose entity is not held; the errors, when that is one."""
        missing = f"({stage.missing()}) m"
        skipped, kind = self.skipped.name, _column(ListedEntity, "schema")
        counts = _fetch(
            f"SELECT k.{kind}, COUNT(*) FROM {missing} LEFT JOIN {skipped} k ON k.source_id = m.ref "
            f"WHERE m.ref IS NOT NULL GROUP BY k.{kind}"
        )
        for other, n in counts:
            if other:
                self.summary.skip(_("%(schema)s of a %(other)s") % {"schema": schema, "other": other}, n)
            elif self.delta:
                self.summary.skip(_("%(schema)s of an entity not held") % {"schema": schema}, n)
        if self.delta or not any(other is None for other, _n in counts):
            return []
        rows = _fetch(
            f"SELECT m.line, m.source_id, m.ref FROM {missing} WHERE m.ref IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {skipped} k WHERE k.source_id = m.ref) ORDER BY m.line LIMIT {MAX_ERRORS}"
        )
        message = _(
            "the %(schema)s %(id)s refers to the entity %(ref)s, which is neither in this file nor in the database"
        )
        return [
            LineError(line, message % {"schema": schema, "id": source_id, "ref": ref}) for line, source_id, ref in rows
        ]

    # -- writing --

    def write(self) -> list[LineError]:
        """Entities and their names, then designations and ownerships, then deletions; the errors found."""
        created, changed = self.entities.write(changed_when=f" OR {_table(ListedEntity)}.removed_at IS NOT NULL")
        self.summary.count(created, changed, self.entities.count)
        # The names of the entities this import wrote (new or changed: they carry its run) are rewritten.
        run, entity = _column(ListedEntity, "import_run"), _column(ListedName, "entity")
        written = f"SELECT id FROM {_table(ListedEntity)} WHERE {run} = %s"
        _execute(f"DELETE FROM {_table(ListedName)} WHERE {entity} IN ({written})", [self.run.pk])
        columns = ", ".join(_column(ListedName, name) for name in self.names.fields)
        _execute(
            f"INSERT INTO {_table(ListedName)} ({entity}, {columns}) SELECT e.id, {columns} FROM {self.names.name} n "
            f"JOIN {_table(ListedEntity)} e ON e.source_id = n.source_id WHERE e.{run} = %s",
            [self.run.pk],
        )
        errors = []
        for stage, schema in ((self.designations, "Sanction"), (self.ownerships, "Ownership")):
            skipped_before = self.summary.skipped
            errors += self._references(stage, schema)
            if not errors:
                created, changed = stage.write()
                self.summary.count(created, changed, stage.count - (self.summary.skipped - skipped_before))
        if not errors:
            self._delete()
        return errors

    def _delete(self) -> None:
        ids = f"SELECT source_id FROM {self.deletes.name}"
        held = " AND ".join(
            f"NOT EXISTS (SELECT 1 FROM {_table(model)} x WHERE x.source_id = d.source_id)"
            for model in (ListedEntity, Designation, ListedOwnership)
        )
        ((not_held,),) = _fetch(f"SELECT COUNT(*) FROM {self.deletes.name} d WHERE {held}")
        if not_held:
            self.summary.skip(_("DEL of an entity not held"), not_held)
        removed = ListedEntity.objects.filter(source_id__in=RawSQL(ids, ()), removed_at__isnull=True).update(
            removed_at=timezone.now(), import_run=self.run
        )
        deleted = Designation.objects.filter(source_id__in=RawSQL(ids, ())).delete()[0]
        deleted += ListedOwnership.objects.filter(source_id__in=RawSQL(ids, ())).delete()[0]
        self.summary.deleted += removed + deleted


def _digest_and_size(stream: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _is_delta(stream: BinaryIO) -> bool:
    first = b""
    while not first.strip():
        first = stream.readline(1 << 24)
        if not first:
            break
    stream.seek(0)
    try:
        return "op" in json.loads(first.decode("utf-8", errors="replace").lstrip("\ufeff"))
    except (json.JSONDecodeError, TypeError):
        return False


def _guarded(records: Iterator, errors: list[LineError]) -> Iterator:
    """The reader's records; an unreadable line (a truncated line, a bad encoding) ends the reading, since a
    reader cannot resume after an exception inside its generator, and is kept with the other errors."""
    try:
        yield from records
    except LineError as error:
        errors.append(error)


def _refused(errors: list[LineError]) -> SanctionsImportError:
    """The errors in line order; the first MAX_ERRORS, and a note when there may be more."""
    errors = sorted(errors, key=lambda error: error.line)
    return SanctionsImportError(errors[:MAX_ERRORS], more=len(errors) >= MAX_ERRORS)


def sanctions_list_import(
    *,
    stream: BinaryIO,
    file_name: str,
    format: str | None = None,
    dry_run: bool = False,
    user=None,
    via: str = "",
) -> ImportSummary:
    """Import one list file (binary, seekable). Raises SanctionsImportError, having written nothing."""
    sha256, size = _digest_and_size(stream)
    try:
        fmt = format or detect_format(stream)
    except LineError as error:
        raise SanctionsImportError([error]) from None
    if fmt not in FORMATS:
        raise SanctionsImportError([LineError(1, _("unknown format '%(format)s'") % {"format": fmt})])
    reader: Callable = FORMATS[fmt]
    summary = ImportSummary(format=fmt, file_name=file_name, sha256=sha256, dry_run=dry_run)
    with transaction.atomic():
        run = ListImport.objects.create(
            format=fmt,
            source=SOURCES[fmt],
            file_name=file_name[:500],
            sha256=sha256,
            size=size,
            imported_by=user if user is not None and user.is_authenticated else None,
            imported_via=via[:100],
        )
        staging = _Staging(run=run, summary=summary, delta=fmt == "ftm" and _is_delta(stream))
        errors: list[LineError] = []
        lines = 0
        for record in _guarded(reader(stream), errors):
            lines = record.line
            staging.add(record)
        staging.flush()
        errors += staging.duplicates()
        if errors or (errors := staging.write()):
            raise _refused(errors)
        staging.drop()
        ListImport.objects.filter(pk=run.pk).update(
            lines=lines,
            created=summary.created,
            changed=summary.changed,
            unchanged=summary.unchanged,
            skipped=summary.skipped,
            deleted=summary.deleted,
            skipped_by_schema=dict(summary.skipped_by_schema),
        )
        run.refresh_from_db()
        summary.list_import = None if dry_run else run
        if dry_run:
            transaction.set_rollback(True)
    return summary
