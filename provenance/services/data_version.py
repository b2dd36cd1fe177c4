"""The triggers that keep the data version current (`provenance.models.data_version`): installed (idempotently)
after every `migrate` and `flush`, which also renew the epoch.

Every name in their SQL is a constant or a model's table name: nothing comes from outside (hence the noqa S608).

Writers only insert. PostgreSQL: one statement-level BEFORE trigger per tracked table (INSERT, UPDATE, DELETE
and TRUNCATE), so a 100,000-row import adds one weight per statement, not per row. A weight row takes no lock
another writer waits for (the version used to be one row that every writer updated: an admin save queued
83 s behind a 1M-row import). SQLite (development and tests): row-level triggers (SQLite has no
statement-level ones); it lets one transaction write at a time anyway.

Why a committed write always changes the version, also one that commits after a reader read it: the weight
is inserted in the writer's transaction, so it becomes visible exactly when the change does. A reader reads
the version V first and then the data (at least as new as V), and keeps what it computed under V. A writer
that commits later adds its weight to what every later reader sums: none of them reads V again (unless two
random sums collide: about 1 in 2^40 per pair of versions, under the same epoch), so nothing kept under V
is served after that commit. A rolled-back write takes its weight with it; its data are gone too.

(A sequence would not do: `nextval()` is not transactional, a writer takes its number before it commits, so
a reader could keep pre-commit data under the number that stands for the commit; and a restored dump hands
out the discarded timeline's numbers again.)

Compaction: every `COMPACT_EVERY`-th weight, the writer that inserted it replaces the rows it can lock at once
with one row holding their sum, modulo 2^40, in one statement (`DELETE ... RETURNING` feeding an `INSERT`,
rows locked by another compaction skipped: `FOR UPDATE SKIP LOCKED`): the sum does not change, no writer
waits for it, and the version's read stays a sum over about `COMPACT_EVERY` rows.
"""

from django.apps import apps
from django.db import connections, transaction
from simple_history.models import HistoricalChanges

from provenance.models import (
    WEIGHT_BITS,
    AccessLog,
    BriefingReport,
    DataVersion,
    DataVersionWeight,
    OrganisationAPIKey,
)

__all__ = [
    "COMPACT_EVERY",
    "WEIGHT_MODULUS",
    "data_version_bump",
    "data_version_compact",
    "data_version_install",
    "data_version_tracked_tables",
]

TRACKED_APPS = ("manufacturers", "components", "provenance")
# Written by reads (the access log, a key's last-used time) or shown by no cached response.
UNTRACKED_MODELS = (AccessLog, OrganisationAPIKey, BriefingReport, DataVersion, DataVersionWeight)

WEIGHT_MODULUS = 2**WEIGHT_BITS
COMPACT_EVERY = 128

_SEQUENCE = "provenance_data_version_seq"  # the versions' source before issue 16: restored with a dump
_ADD = "provenance_data_version_add"
_COMPACT = "provenance_data_version_compact"
_TRIGGER_FUNCTION = "provenance_data_version_trigger"
_TRIGGER = "provenance_data_version"
_EPOCH_TABLE = DataVersion._meta.db_table
_WEIGHTS = DataVersionWeight._meta.db_table


def data_version_tracked_tables() -> list[str]:
    """Every table whose rows can show in a cached API response (M2M link tables included), sorted."""
    untracked = {model._meta.db_table for model in UNTRACKED_MODELS}
    tables = set()
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or issubclass(model, HistoricalChanges):
                continue
            if meta.auto_created and any(
                field.related_model in UNTRACKED_MODELS for field in meta.fields if field.is_relation
            ):
                continue
            tables.add(meta.db_table)
    return sorted(tables - untracked)


def _random(vendor: str, bits: int) -> str:
    """SQL for a random non-negative number of `bits` bits (PostgreSQL: from gen_random_uuid, its strong source)."""
    if vendor == "postgresql":
        return f"(('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint & {2**bits - 1})"
    return f"(random() & {2**bits - 1})"


def _postgresql_sql() -> list[str]:
    weight = _random("postgresql", WEIGHT_BITS)
    return [
        f"DROP SEQUENCE IF EXISTS {_SEQUENCE}",
        # One statement: the rows it deletes are the rows it sums (locked first; another compaction's skipped).
        f"CREATE OR REPLACE FUNCTION {_COMPACT}() RETURNS void LANGUAGE sql AS $$ "  # noqa: S608
        f"WITH gone AS (DELETE FROM {_WEIGHTS} WHERE id IN (SELECT id FROM {_WEIGHTS} FOR UPDATE SKIP LOCKED) "
        f"RETURNING weight) INSERT INTO {_WEIGHTS} (weight) "
        f"SELECT sum(weight) % {WEIGHT_MODULUS} FROM gone HAVING count(*) > 0 $$",
        f"CREATE OR REPLACE FUNCTION {_ADD}() RETURNS void LANGUAGE plpgsql AS $$ "  # noqa: S608
        f"DECLARE added bigint; BEGIN "
        f"INSERT INTO {_WEIGHTS} (weight) VALUES ({weight}) RETURNING id INTO added; "
        f"IF added % {COMPACT_EVERY} = 0 THEN PERFORM {_COMPACT}(); END IF; END $$",
        f"CREATE OR REPLACE FUNCTION {_TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM {_ADD}(); RETURN NULL; END $$",
        *(
            f'CREATE OR REPLACE TRIGGER {_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_TRIGGER_FUNCTION}()"
            for table in data_version_tracked_tables()
        ),
    ]


def _sqlite_sql() -> list[str]:
    weight = _random("sqlite", WEIGHT_BITS)
    statements = [
        f"DROP TRIGGER IF EXISTS {_COMPACT}",
        f"CREATE TRIGGER {_COMPACT} AFTER INSERT ON {_WEIGHTS} WHEN new.id % {COMPACT_EVERY} = 0 BEGIN "  # noqa: S608
        f"INSERT INTO {_WEIGHTS} (weight) SELECT sum(weight) % {WEIGHT_MODULUS} FROM {_WEIGHTS} WHERE id <= new.id; "
        f"DELETE FROM {_WEIGHTS} WHERE id <= new.id; END",
    ]
    for table in data_version_tracked_tables():
        for operation in ("INSERT", "UPDATE", "DELETE"):
            name = f'"{_TRIGGER}_{table}_{operation.lower()}"'
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f'CREATE TRIGGER {name} AFTER {operation} ON "{table}" '  # noqa: S608
                f"BEGIN INSERT INTO {_WEIGHTS} (weight) VALUES ({weight}); END",
            ]
    return statements


def data_version_install(*, using: str = "default") -> None:
    """Create the triggers (or bring them up to date) and renew the epoch: a migration may have changed what
    a response shows, and `flush` empties the weights."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor == "postgresql":
        statements = _postgresql_sql()
    elif vendor == "sqlite":
        statements = _sqlite_sql()
    else:  # No triggers, no epoch: the API then serves every request uncached.
        return
    epoch = _random(vendor, 63)
    statements.append(
        f"INSERT INTO {_EPOCH_TABLE} (id, epoch) VALUES (1, {epoch}) "  # noqa: S608
        f"ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch"
    )
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def data_version_bump(*, using: str = "default") -> None:
    """Change the version by hand (a trigger does it for every data change): add one weight."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {_ADD}()")
        elif connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {_WEIGHTS} (weight) VALUES ({_random('sqlite', WEIGHT_BITS)})")  # noqa: S608


def data_version_compact(*, using: str = "default") -> None:
    """Replace the weights by one row holding their sum (the version does not change); the triggers do it
    every `COMPACT_EVERY` writes."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {_COMPACT}()")
        elif connection.vendor == "sqlite":
            cursor.execute(f"SELECT max(id) FROM {_WEIGHTS}")  # noqa: S608
            (last,) = cursor.fetchone()
            if last is not None:
                cursor.execute(
                    f"INSERT INTO {_WEIGHTS} (weight) SELECT sum(weight) % {WEIGHT_MODULUS} "  # noqa: S608
                    f"FROM {_WEIGHTS} WHERE id <= %s",
                    [last],
                )
                cursor.execute(f"DELETE FROM {_WEIGHTS} WHERE id <= %s", [last])  # noqa: S608
