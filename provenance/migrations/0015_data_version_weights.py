"""The data version without a row lock that writers queue on (issue 16, item 7): the single row keeps only
the epoch (renewed by migrate and flush); writes add random weights to an insert-only table. The old
triggers are dropped first; `post_migrate` installs the new ones (provenance.services.data_version)."""

from django.db import migrations, models


def drop_old_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS provenance_data_version_bump() CASCADE")  # and its triggers
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
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.RenameField(model_name="dataversion", old_name="version", new_name="epoch"),
        migrations.CreateModel(
            name="DataVersionWeight",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("weight", models.BigIntegerField()),
            ],
        ),
    ]
