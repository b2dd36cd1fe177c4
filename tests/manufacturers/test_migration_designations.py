"""Migration 0003 converts the designations entered before it: programme-carrying authority codes split into
authority and programme, `UK` becomes `GB`, and a row it cannot convert (`OTHER`) stops it with nothing changed.

Runs the real migrations with Django's MigrationExecutor (django-test-migrations is not installed): back to
0002, rows written through the historical models, forward again; the database ends at the latest migrations.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("manufacturers", "0002_country_check_order")]
AFTER = [("manufacturers", "0003_sanctions_lists_and_matches")]


def _migrate(targets):
    """Migrate to `targets` and return the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def test_old_designation_rows_are_converted_and_other_stops_the_migration(old_apps):
    manufacturer = old_apps.get_model("manufacturers", "Manufacturer").objects.create(
        name="Integral", name_key="integral", country="BY"
    )
    designation = old_apps.get_model("manufacturers", "Designation")
    old = {
        "sdn": ("US-OFAC-SDN", ""),
        "entity list": ("US-BIS-EL", "Entity List addition of 2022"),
        "uk": ("UK", "Russia regulations"),
        "nsdc": ("UA-NSDC", ""),
        "eu": ("EU", "EU-BLR"),
        "other": ("OTHER", "a press release"),
    }
    rows = {
        key: designation.objects.create(
            manufacturer=manufacturer, authority=authority, program=program, listed_on=dt.date(2023, 5, 12)
        ).pk
        for key, (authority, program) in old.items()
    }
    old_apps.get_model("manufacturers", "HistoricalDesignation").objects.create(
        id=rows["nsdc"], manufacturer=manufacturer, authority="UA-NSDC", program="", listed_on=dt.date(2023, 5, 12),
        history_date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), history_type="+",
        created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip

    with pytest.raises(RuntimeError, match="rows with authority OTHER have no authority code"):
        _migrate(AFTER)
    assert MigrationExecutor(connection).loader.applied_migrations.keys() >= set(BEFORE)
    assert ("manufacturers", AFTER[0][1]) not in MigrationExecutor(connection).loader.applied_migrations
    assert designation.objects.get(pk=rows["sdn"]).authority == "US-OFAC-SDN"  # nothing half-converted

    designation.objects.filter(pk=rows["other"]).update(authority="CA")  # an analyst corrects it first
    new_apps = _migrate(AFTER)
    converted = {
        key: new_apps.get_model("manufacturers", "Designation")
        .objects.values(
            "authority", "program", "provisions", "date_source", "date_kind", "listed_entity", "manufacturer"
        )
        .get(pk=pk)
        for key, pk in rows.items()
    }
    assert {key: (row["authority"], row["program"], row["provisions"]) for key, row in converted.items()} == {
        "sdn": ("US", "US-OFAC-SDN", ""),
        "entity list": ("US", "US-BIS-EL", "Entity List addition of 2022"),
        "uk": ("GB", "Russia regulations", ""),
        "nsdc": ("UA", "UA-NSDC", ""),
        "eu": ("EU", "EU-BLR", ""),
        "other": ("CA", "a press release", ""),
    }
    converted_by_hand = {key for key, row in converted.items() if row["date_source"] == "entered by hand"}
    assert converted_by_hand == {"sdn", "entity list", "uk", "nsdc"}  # the rows the migration rewrote
    assert {row["date_kind"] for row in converted.values()} == {"listing"}
    assert {(row["listed_entity"], row["manufacturer"]) for row in converted.values()} == {(None, manufacturer.pk)}
    history = new_apps.get_model("manufacturers", "HistoricalDesignation").objects.get(id=rows["nsdc"])
    assert (history.authority, history.program) == ("UA", "UA-NSDC")
