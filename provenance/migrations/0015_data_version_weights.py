"""The data version without a row lock that writers queue on (issue 16, item 7): the single row keeps only
the epoch (renewed by migrate and flush); writes add random weights to an insert-only table. The old
triggers are dropped first (the new ones when migrating back); `post_migrate` installs the new ones (provenance.services.data_version)."""

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    """Forwards: the old triggers go; backwards: the new ones, before their weights table does."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for function in (
                "provenance_data_version_bump",  # the old one
                "provenance_data_version_trigger",  # the new ones
                "provenance_data_version_add",
                "provenance_data_version_compact",
            ):
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")  # and its triggers
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'provenance_data_version_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("provenance", "0014_sanctions_review_roles"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RenameField(model_name="dataversion", old_name="version", new_name="epoch"),
        migrations.CreateModel(
            name="DataVersionWeight",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("weight", models.BigIntegerField()),
            ],
        ),
        # Backwards this runs first: the new triggers go before the table they write to.
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
