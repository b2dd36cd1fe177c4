"""The triggers that keep `DataVersion` current: installed (idempotently) after every `migrate`.

Every name in their SQL is a constant or a model's table name: nothing comes from outside (hence the noqa S608).

PostgreSQL: one statement-level BEFORE trigger per tracked table (INSERT, UPDATE, DELETE and TRUNCATE), so a
100,000-row import costs one UPDATE per statement, not per row. It sets the version to a random 63-bit
value: never reused, even when the writing transaction rolls back, and not after a restore either (a
sequence restored with the dump handed out again the numbers of the discarded timeline, whose cached
responses were then served as current: issue 16). BEFORE, not AFTER: a writer locks the
version row before any evidence row, so two writers always take their locks in the same order. The price:
writers of tracked tables queue behind each other's commit (a teardown import holds the row until it
commits).

SQLite (development and tests): row-level triggers (SQLite has no statement-level ones) setting a random
63-bit value.

The version row is written in the same transaction as the change, so it becomes visible exactly when the
change does: a reader that reads the version first and then the data never keeps newer evidence under an
older version than it read, nor older evidence under a newer one.
"""

from django.apps import apps
from django.db import connections
from simple_history.models import HistoricalChanges

from provenance.models import AccessLog, BriefingReport, DataVersion, OrganisationAPIKey

__all__ = ["data_version_bump", "data_version_install", "data_version_tracked_tables"]

TRACKED_APPS = ("manufacturers", "components", "provenance")
# Written by reads (the access log, a key's last-used time) or shown by no cached response.
UNTRACKED_MODELS = (AccessLog, OrganisationAPIKey, BriefingReport, DataVersion)

_SEQUENCE = "provenance_data_version_seq"
_FUNCTION = "provenance_data_version_bump"
_TRIGGER = "provenance_data_version"
_TABLE = DataVersion._meta.db_table


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


def _new_value(vendor: str) -> str:
    # 63 random bits (gen_random_uuid: PostgreSQL's strong random source); SQLite's random() has 64.
    if vendor == "postgresql":
        return "(('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint & 9223372036854775807)"
    return "abs(random())"


def data_version_install(*, using: str = "default") -> None:
    """Create the version row and the triggers (or bring them up to date), then bump the version: a
    migration may have changed what a response shows."""
    connection = connections[using]
    vendor = connection.vendor
    value = _new_value(vendor)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"DROP SEQUENCE IF EXISTS {_SEQUENCE}")  # used before: see the module's docstring
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
                f"BEGIN UPDATE {_TABLE} SET version = {value} WHERE id = 1; RETURN NULL; END $$"
            )
            for table in data_version_tracked_tables():
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER {_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()"
                )
            cursor.execute(f"INSERT INTO {_TABLE} (id, version) VALUES (1, {value}) ON CONFLICT (id) DO NOTHING")  # noqa: S608
        elif vendor == "sqlite":
            for table in data_version_tracked_tables():
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS "{_TRIGGER}_{table}_{operation.lower()}" AFTER {operation} '  # noqa: S608
                        f'ON "{table}" BEGIN UPDATE {_TABLE} SET version = {value} WHERE id = 1; END'
                    )
            cursor.execute(f"INSERT OR IGNORE INTO {_TABLE} (id, version) VALUES (1, {value})")  # noqa: S608
        else:  # No triggers, no row: the API then serves every request uncached.
            return
    data_version_bump(using=using)


def data_version_bump(*, using: str = "default") -> None:
    """Change the version by hand (after a migration; a trigger does it for every data change)."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} SET version = {_new_value(connection.vendor)} WHERE id = 1")  # noqa: S608
