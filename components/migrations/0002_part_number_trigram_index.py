"""Trigram (pg_trgm) GIN indexes for searching part numbers by any fragment, on PostgreSQL only.

The admin's search matches part numbers as printed (`UPPER(part_number) LIKE '%...%'`) and by their
normalised key (exact, prefix or fragment); both are served by these indexes instead of a scan. SQLite
(the embedded default) has neither the extension nor GIN: there the operations do nothing and the small
tables are scanned.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "components_part_number_trgm": "components_part USING gin (UPPER(part_number) gin_trgm_ops)",
    "components_part_key_trgm": "components_part USING gin (part_number_key gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("components", "0001_initial")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
