"""Import a sanctions list file: one service for the command (`import_sanctions`) and the admin upload.

`sanctions_list_import(stream=..., file_name=...)` reads the file with the reader of its format (guessed from
the first bytes when not given), and writes listed entities, their names, designations and ownerships in
batches, inside one transaction: a file with a bad line changes nothing, and the error names the line.

- Streaming: the file is read line by line, twice for a FollowTheMoney stream (entities first, then the
  sanctions and ownerships that refer to them, wherever they stand in the file). What stays in memory is one
  batch of rows and a set of 8-byte digests of the ids seen (to refuse duplicate ids and to tell a reference
  to a skipped entity, a Person say, from a reference to a missing one).
- Idempotent: each row keeps the digest of what it was made from; a row whose digest is unchanged is not
  written. Rows are updated in place by their source id, never deleted and recreated, so confirmed matches
  survive re-imports. A delta `DEL` marks a listed entity removed (and deletes a designation or ownership).
- References: a Sanction or Ownership whose entity is neither in the file nor in the database is an error,
  except in a delta file, which refers to entities of earlier versions (it is then skipped and counted); one
  whose entity is of a skipped schema (a Person's sanction, a Person's ownership) is skipped and counted.
- `dry_run`: everything is done and counted, then rolled back.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common.services import rows_copy
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

__all__ = [
    "FORMATS",
    "ImportSummary",
    "SanctionsImportError",
    "listed_name_rows",
    "sanctions_list_import",
]

FORMATS = {"ftm": read_ftm, "csl": read_csl, "eu-journal": read_eu_journal}
SOURCES = {"ftm": "OpenSanctions (FollowTheMoney)", "csl": "US Consolidated Screening List", "eu-journal": "EU OJ"}
BATCH = 1000
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


def _id_digest(source_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(source_id.encode(), digest_size=8).digest(), "big")


def listed_name_rows(entity_id: int, names: list[tuple[str, str]]) -> list[ListedName]:
    """One row per name, keyed by `name_key` (NFKC, case-folded, one space): cheap enough for a million
    entities; the matcher builds its own, richer keys (scripts, legal forms) from `ListedEntity.names`."""
    return [
        ListedName(entity_id=entity_id, name=name[:1000], kind=kind, key=name_key(name)[:255]) for kind, name in names
    ]


def _insert(model, objs: list) -> None:
    """Insert new rows: COPY on PostgreSQL (each value prepared as Django would), bulk_create elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs]
    rows_copy(model, [f.name for f in fields], rows)


class _Writer:
    """Buffers records and writes them in batches; counts what it created, changed, left and skipped."""

    def __init__(self, *, run: ListImport, summary: ImportSummary, delta: bool):
        self.run = run
        self.summary = summary
        self.delta = delta
        self.entities: list[EntityRecord] = []
        self.links: list[SanctionRecord | OwnershipRecord] = []
        self.deletes: list[Delete] = []
        self.seen: set[int] = set()
        self.skipped_schema: dict[int, str] = {}
        self.errors: list[LineError] = []
        self.writing = True

    # -- reading --

    def see(self, record) -> None:
        """Refuse an id seen before in this file; remember the schema of the skipped ones."""
        digest = _id_digest(record.source_id)
        if digest in self.seen:
            raise LineError(record.line, _("the id %(id)s appears twice in the file") % {"id": record.source_id})
        self.seen.add(digest)
        if isinstance(record, Skipped):
            self.skipped_schema[digest] = record.schema

    def skip(self, label: str) -> None:
        self.summary.skipped += 1
        self.summary.skipped_by_schema[label] += 1

    def fail(self, error: LineError) -> None:
        self.errors.append(error)
        self.writing = False
        if len(self.errors) >= MAX_ERRORS:
            raise SanctionsImportError(self.errors, more=True)

    def add_entity(self, record: EntityRecord) -> None:
        self.entities.append(record)
        if len(self.entities) >= BATCH:
            self.flush()

    def add_link(self, record: SanctionRecord | OwnershipRecord) -> None:
        self.links.append(record)
        if len(self.links) >= BATCH:
            self.flush()

    def add_delete(self, record: Delete) -> None:
        self.deletes.append(record)
        if len(self.deletes) >= BATCH:
            self.flush()

    # -- writing --

    def flush(self) -> None:
        if self.writing:
            self._write_entities(self.entities)
            self._write_links(self.links)
            self._write_deletes(self.deletes)
        self.entities, self.links, self.deletes = [], [], []

    def _count(self, new: list, changed: list, unchanged: int) -> None:
        self.summary.created += len(new)
        self.summary.changed += len(changed)
        self.summary.unchanged += unchanged

    def _write_entities(self, records: list[EntityRecord]) -> None:
        if not records:
            return
        existing = {
            source_id: (pk, digest, removed_at)
            for source_id, pk, digest, removed_at in ListedEntity.objects.filter(
                source_id__in=[r.source_id for r in records]
            ).values_list("source_id", "pk", "digest", "removed_at")
        }
        new, changed, unchanged = [], [], 0
        written: list[tuple[ListedEntity, EntityRecord]] = []
        for record in records:
            digest = record.digest
            row = ListedEntity(
                source_id=record.source_id,
                schema=record.schema,
                caption=record.caption,
                names=[name for _kind, name in record.names],
                countries=record.countries,
                identifiers=record.identifiers,
                websites=record.websites,
                datasets=record.datasets,
                first_seen=record.first_seen,
                last_seen=record.last_seen,
                raw=record.raw,
                digest=digest,
                import_run=self.run,
                removed_at=None,
            )
            if record.source_id not in existing:
                new.append(row)
            elif existing[record.source_id][1] != digest or existing[record.source_id][2] is not None:
                row.pk = existing[record.source_id][0]
                changed.append(row)
            else:
                unchanged += 1
                continue
            written.append((row, record))
        _insert(ListedEntity, new)
        if new and new[0].pk is None:
            pks = dict(
                ListedEntity.objects.filter(source_id__in=[row.source_id for row in new]).values_list("source_id", "pk")
            )
            for row in new:
                row.pk = pks[row.source_id]
        ListedEntity.objects.bulk_update(changed, ENTITY_FIELDS)
        ListedName.objects.filter(entity_id__in=[row.pk for row in changed]).delete()
        names = [name for row, record in written for name in listed_name_rows(row.pk, record.names)]
        _insert(ListedName, names)
        self._count(new, changed, unchanged)

    def _resolve(self, records: list[SanctionRecord | OwnershipRecord]) -> dict[str, int]:
        refs = {ref for r in records for ref in _refs(r)}
        return dict(ListedEntity.objects.filter(source_id__in=refs).values_list("source_id", "pk"))

    def _kept(self, record: SanctionRecord | OwnershipRecord, pks: dict[str, int]) -> bool:
        """Whether every entity the record refers to is held; skip or refuse it otherwise."""
        schema = "Sanction" if isinstance(record, SanctionRecord) else "Ownership"
        for ref in _refs(record):
            if ref in pks:
                continue
            other = self.skipped_schema.get(_id_digest(ref))
            if other:
                self.skip(_("%(schema)s of a %(other)s") % {"schema": schema, "other": other})
            elif self.delta:
                self.skip(_("%(schema)s of an entity not held") % {"schema": schema})
            else:
                self.fail(
                    LineError(
                        record.line,
                        _(
                            "the %(schema)s %(id)s refers to the entity %(ref)s, "
                            "which is neither in this file nor in the database"
                        )
                        % {"schema": schema, "id": record.source_id, "ref": ref},
                    )
                )
            return False
        return True

    def _write_links(self, records: list[SanctionRecord | OwnershipRecord]) -> None:
        if not records:
            return
        pks = self._resolve(records)
        kept = [r for r in records if self._kept(r, pks)]
        if not self.writing:
            return
        sanctions = [r for r in kept if isinstance(r, SanctionRecord)]
        ownerships = [r for r in kept if isinstance(r, OwnershipRecord)]
        now = timezone.now()
        self._upsert(
            Designation,
            _DESIGNATION_FIELDS,
            [
                (
                    r.digest,
                    Designation(
                        source_id=r.source_id,
                        listed_entity_id=pks[r.entity_id],
                        authority=r.authority,
                        program=r.program,
                        measure=r.measure,
                        provisions=r.provisions,
                        listed_on=r.listed_on,
                        delisted_on=r.delisted_on,
                        date_kind=r.date_kind,
                        date_source=r.date_source,
                        reason=r.reason,
                        reference=r.reference,
                        source_url=r.source_url,
                        digest=r.digest,
                        import_run=self.run,
                        created_at=now,
                        updated_at=now,
                    ),
                )
                for r in sanctions
            ],
        )
        self._upsert(
            ListedOwnership,
            _OWNERSHIP_FIELDS,
            [
                (
                    r.digest,
                    ListedOwnership(
                        source_id=r.source_id,
                        owner_id=pks[r.owner_id],
                        asset_id=pks[r.asset_id],
                        percentage=r.percentage,
                        role=r.role,
                        start_on=r.start_on,
                        end_on=r.end_on,
                        raw=r.raw,
                        digest=r.digest,
                        import_run=self.run,
                    ),
                )
                for r in ownerships
            ],
        )

    def _upsert(self, model, fields: list[str], rows: list[tuple[str, object]]) -> None:
        if not rows:
            return
        existing = dict(
            model.objects.filter(source_id__in=[row.source_id for _d, row in rows]).values_list("source_id", "pk")
        )
        digests = dict(model.objects.filter(pk__in=existing.values()).values_list("pk", "digest"))
        new, changed, unchanged = [], [], 0
        for digest, row in rows:
            pk = existing.get(row.source_id)
            if pk is None:
                new.append(row)
            elif digests[pk] != digest:
                row.pk = pk
                changed.append(row)
            else:
                unchanged += 1
        _insert(model, new)
        model.objects.bulk_update(changed, fields)
        self._count(new, changed, unchanged)

    def _write_deletes(self, records: list[Delete]) -> None:
        if not records:
            return
        ids = [r.source_id for r in records]
        removed = ListedEntity.objects.filter(source_id__in=ids, removed_at__isnull=True).update(
            removed_at=timezone.now(), import_run=self.run
        )
        held = set(ListedEntity.objects.filter(source_id__in=ids).values_list("source_id", flat=True))
        held |= set(Designation.objects.filter(source_id__in=ids).values_list("source_id", flat=True))
        held |= set(ListedOwnership.objects.filter(source_id__in=ids).values_list("source_id", flat=True))
        deleted = Designation.objects.filter(source_id__in=ids).delete()[0]
        deleted += ListedOwnership.objects.filter(source_id__in=ids).delete()[0]
        self.summary.deleted += removed + deleted
        for record in records:
            if record.source_id not in held:
                self.skip(_("DEL of an entity not held"))


def _refs(record: SanctionRecord | OwnershipRecord) -> tuple[str, ...]:
    return (record.entity_id,) if isinstance(record, SanctionRecord) else (record.owner_id, record.asset_id)


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


def _guarded(records: Iterator, writer: _Writer) -> Iterator:
    """The reader's records; a bad line is recorded and reading goes on (without writing) to find others.

    A reader cannot resume after an exception inside its generator, so reading stops at the first
    unreadable line (a truncated line or a bad encoding); lines that read but do not fit (a duplicate id,
    a missing reference) are all reported, up to MAX_ERRORS.
    """
    try:
        yield from records
    except LineError as error:
        writer.fail(error)


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
        writer = _Writer(run=run, summary=summary, delta=fmt == "ftm" and _is_delta(stream))
        two_passes = fmt == "ftm"
        lines = 0
        for record in _guarded(reader(stream), writer):
            lines = record.line
            try:
                if isinstance(record, Delete):
                    writer.add_delete(record)
                    continue
                writer.see(record)
                if isinstance(record, Skipped):
                    writer.skip(record.schema)
                elif isinstance(record, EntityRecord):
                    writer.add_entity(record)
                elif not two_passes:
                    writer.add_link(record)
            except LineError as error:
                writer.fail(error)
        writer.flush()
        if two_passes and not writer.errors:
            stream.seek(0)
            for record in _guarded(reader(stream), writer):
                if isinstance(record, SanctionRecord | OwnershipRecord):
                    writer.add_link(record)
            writer.flush()
        if writer.errors:
            raise SanctionsImportError(writer.errors)
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
