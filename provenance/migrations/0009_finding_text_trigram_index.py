"""A trigram (pg_trgm) GIN index over a finding's marking and module, on PostgreSQL only.

The admin's search across 1,000,000 findings (`UPPER(marking) LIKE '%...%'`, the same for the module) is
served by this one two-column index instead of a full scan. SQLite has no GIN: nothing is done there.
"""

from django.db import migrations

NAME = "prov_finding_text_trgm"
DEFINITION = "provenance_finding USING gin (UPPER(marking) gin_trgm_ops, UPPER(module) gin_trgm_ops)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {DEFINITION}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("components", "0002_part_number_trigram_index"),  # creates the pg_trgm extension
        ("provenance", "0008_partner_hardening"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
