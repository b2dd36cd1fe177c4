"""load_reference and load_demo: complete, idempotent, and the published numbers are in the database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from components.models import Category, HSCode
from manufacturers.models import Manufacturer, Ownership
from manufacturers.selectors import manufacturer_by_name
from provenance.models import Finding, RecoveredItem, Strike, WeaponModel

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_load_reference_twice_creates_then_changes_nothing():
    first = run("load_reference")
    assert "HS codes: 50 created" in first
    assert "weapon models: 13 created" in first
    counts = (HSCode.objects.count(), Manufacturer.objects.count(), Ownership.objects.count())
    history = Manufacturer.history.count()

    second = run("load_reference")
    assert "manufacturers: 0 created, 0 changed, 63 unchanged" in second
    assert (HSCode.objects.count(), Manufacturer.objects.count(), Ownership.objects.count()) == counts
    assert Manufacturer.history.count() == history, "an unchanged reload must not write history"


def test_reference_data_content():
    run("load_reference")
    assert HSCode.objects.get(code="854231").chpl_tier == "1"
    assert Category.objects.get(name="FPGA").hs_code.code == "854231"
    assert manufacturer_by_name(name="College Electronics").name == "Golledge Electronics"
    assert manufacturer_by_name(name="  texas   INSTRUMENTS ").name == "Texas Instruments"
    assert manufacturer_by_name(name="Eksiton").name == "RDB Exciton"
    assert WeaponModel.objects.get(aliases__alias="Kalibr").designation == "3M-14"
    spansion = Ownership.objects.get(child__name="Spansion")
    assert (spansion.parent.name, str(spansion.start_on)) == ("Cypress Semiconductor", "2015-03-12")
    assert str(Ownership.objects.get(child__name="Burr-Brown").start_on) == "2000-01-01"


def test_reference_update_changes_an_edited_value():
    run("load_reference")
    Manufacturer.objects.filter(name="Fujitsu").update(country="DE")
    assert "manufacturers: 0 created, 1 changed, 62 unchanged" in run("load_reference")
    assert Manufacturer.objects.get(name="Fujitsu").country == "JP"


def test_load_demo_requires_reference_data():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_reference"):
        run("load_demo")


def test_load_demo_twice_holds_the_published_cases():
    run("load_reference")
    assert "items created: 4" in run("load_demo")
    assert "items unchanged: 4" in run("load_demo")
    assert RecoveredItem.objects.count() == 4
    assert Strike.objects.count() == 4

    sample = RecoveredItem.objects.get(reference="UA-2025-9M727-SAMPLE")
    per_country = dict(
        Finding.objects.filter(item=sample).values("country").annotate(n=Sum("quantity")).values_list("country", "n")
    )
    assert per_country == {"US": 35, "JP": 1, "GB": 1, "CH": 1, "BY": 5, "RU": 57}
    golledge = Finding.objects.get(item=sample, country="GB")
    assert golledge.manufacturer.name == "Golledge Electronics"
    assert sample.sources.get().publisher.startswith("Kyiv Independent")

    gur = RecoveredItem.objects.get(reference="UA-2022-04-9M727-GUR")
    assert gur.findings.aggregate(n=Sum("quantity"))["n"] == 35
    assert gur.sources.count() == 2
    cab = RecoveredItem.objects.get(reference="KYIV-2025-09-07-CAB")
    assert cab.strike.launched_summary == "605 drones and 13 missiles"
    assert cab.strike.sources.exists()
