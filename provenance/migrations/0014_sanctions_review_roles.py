"""The roles gain the sanctions models: analysts import lists, decide match candidates, enter designations and
company identifiers by hand; every role reads them (provenance.roles.ROLES)."""

from django.db import migrations

from provenance.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("manufacturers", "0004_manufacturer_identifiers"),
        ("provenance", "0013_finding_public_flag"),
    ]

    operations = [
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
