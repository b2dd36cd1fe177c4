"""Rules held by the database itself: each is rejected by the database (IntegrityError) and by model
validation with a message an analyst can act on."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from components.models import Part
from manufacturers.models import Manufacturer, ManufacturerAlias, Ownership
from provenance.models import Finding, WeaponAlias
from tests import factories

pytestmark = pytest.mark.django_db


def rejected_by_database(save) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def message_of(obj) -> str:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [(0, "Quantity must be a positive whole number."), (-3, "greater than or equal to 0")],
)
def test_quantity_must_be_positive(quantity, message):
    finding = Finding(item=factories.RecoveredItemFactory(), quantity=quantity, country="US")
    assert message in message_of(finding)
    rejected_by_database(finding.save)


def test_finding_needs_a_country_or_a_manufacturer():
    finding = Finding(item=factories.RecoveredItemFactory(), quantity=1, country="")
    assert "A finding needs a manufacturer or a country." in message_of(finding)
    rejected_by_database(finding.save)


def test_finding_with_manufacturer_only_is_accepted():
    finding = Finding(item=factories.RecoveredItemFactory(), manufacturer=factories.ManufacturerFactory(), country="")
    finding.full_clean()
    finding.save()


@pytest.mark.parametrize("code", ["XX", "QQ", "zz"])
def test_country_must_be_valid_iso_alpha2(code):
    finding = Finding(item=factories.RecoveredItemFactory(), quantity=1, country=code)
    assert "valid" in message_of(finding).lower()
    rejected_by_database(finding.save)
    maker = Manufacturer(name="Nowhere Inc", country=code)
    assert "valid" in message_of(maker).lower()
    rejected_by_database(maker.save)


def test_part_number_unique_per_manufacturer_after_normalisation():
    ti = factories.ManufacturerFactory(name="Texas Instruments")
    Part.objects.create(manufacturer=ti, part_number="TMS320F28335PGFA")
    duplicate = Part(manufacturer=ti, part_number="tms320f28335-pgfa")
    assert "already has a part with this number" in message_of(duplicate)
    rejected_by_database(duplicate.save)
    # The same number from another maker is another part.
    Part.objects.create(manufacturer=factories.ManufacturerFactory(), part_number="TMS320F28335PGFA")


def test_aliases_unique_ignoring_case_and_spaces():
    factories.ManufacturerAliasFactory(alias="Linear Tech")
    duplicate = ManufacturerAlias(manufacturer=factories.ManufacturerFactory(), alias="  LINEAR   tech")
    assert "already in use" in message_of(duplicate)
    rejected_by_database(duplicate.save)

    factories.WeaponAliasFactory(alias="Kalibr")
    weapon_duplicate = WeaponAlias(weapon_model=factories.WeaponModelFactory(), alias="kalibr")
    assert "already in use" in message_of(weapon_duplicate)
    rejected_by_database(weapon_duplicate.save)


def test_manufacturer_names_unique_ignoring_case():
    factories.ManufacturerFactory(name="Analog Devices")
    duplicate = Manufacturer(name="analog  devices", country="US")
    assert "already exists" in message_of(duplicate)
    rejected_by_database(duplicate.save)


def test_ownership_rules():
    maker = factories.ManufacturerFactory()
    own = Ownership(parent=maker, child=maker, start_on=dt.date(2020, 1, 1))
    assert "cannot own itself" in message_of(own)
    rejected_by_database(own.save)

    backwards = Ownership(
        parent=factories.ManufacturerFactory(),
        child=maker,
        start_on=dt.date(2020, 1, 1),
        end_on=dt.date(2019, 1, 1),
    )
    assert "end date must not be before the start date" in message_of(backwards)
    rejected_by_database(backwards.save)


def test_every_change_is_kept_in_history():
    maker = factories.ManufacturerFactory(name="Altera", country="US")
    maker.notes = "Intel sold a majority stake in 2025"
    maker.save()
    finding = factories.FindingFactory(manufacturer=maker)
    finding.quantity = 4
    finding.save()
    assert [h.history_type for h in maker.history.all()] == ["~", "+"]
    assert finding.history.first().quantity == 4
    assert finding.history.last().quantity == 1
