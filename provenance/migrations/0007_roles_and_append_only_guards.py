"""The role groups (provenance.roles.ROLES) and database guards that keep the review trail append-only."""

from django.db import migrations

from provenance.roles import roles_sync

_GUARDS = {
    # table: the operations refused (an item's transitions still go when the item itself is deleted)
    "provenance_custodyevent": ("UPDATE", "DELETE"),
    "provenance_itemtransition": ("UPDATE",),
}


def guards_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION provenance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$",
            params=None,  # the % are PL/pgSQL's, not placeholders
        )
    for table, operations in _GUARDS.items():
        for operation in operations:
            name = f"{table}_no_{operation.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION provenance_append_only()"
                )
            elif vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                )


def guards_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, operations in _GUARDS.items():
        for operation in operations:
            name = f"{table}_no_{operation.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS provenance_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("components", "0001_initial"),
        ("manufacturers", "0002_country_check_order"),
        ("provenance", "0006_review_workflow"),
    ]

    operations = [
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
        migrations.RunPython(guards_create, guards_drop),
    ]
