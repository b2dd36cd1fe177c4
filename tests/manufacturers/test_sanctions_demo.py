"""The demo data: the demo's Belarusian and Russian makers carry their real EU listings, confirmed by load_demo;
look-alikes wait for a person; loading twice changes nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from manufacturers.models import Designation, ListImport, SanctionMatch
from manufacturers.sanctions.reasons import reasons_text

pytestmark = pytest.mark.django_db


def _confirmed(maker: str) -> list[tuple[str, str, dt.date, str]]:
    return sorted(
        Designation.objects.filter(
            listed_entity__matches__manufacturer__name=maker, listed_entity__matches__decision="confirmed"
        ).values_list("authority", "program", "listed_on", "date_kind")
    )


def test_load_demo_gives_the_makers_their_eu_listings(capsys):
    call_command("load_reference")
    call_command("load_demo")
    assert "sanctions matches confirmed: 6" in capsys.readouterr().out
    assert _confirmed("Integral") == [
        ("EU", "EU-BLR", dt.date(2025, 3, 27), "listing"),
        ("EU", "EU-UKR", dt.date(2025, 2, 24), "listing"),
    ]
    assert _confirmed("Mikron") == [("EU", "EU-UKR", dt.date(2023, 12, 18), "listing")]
    assert _confirmed("Angstrem") == [("EU", "EU-RUS", dt.date(2022, 12, 16), "listing")]
    assert _confirmed("PA Strela") == [
        ("EU", "EU-RUS", dt.date(2022, 3, 15), "listing"),
        ("EU", "EU-UKR", dt.date(2024, 2, 23), "listing"),
    ]
    assert _confirmed("RDB Exciton") == []
    confirmed = SanctionMatch.objects.filter(decision="confirmed")
    assert set(confirmed.values_list("decided_via", flat=True)) == {"load_demo"}
    assert set(confirmed.values_list("decided_by", flat=True)) == {None}
    # The demo makers carry the identifiers the EU acts print, so the matcher shows an identifier match.
    angstrem = confirmed.get(manufacturer__name="Angstrem")
    assert (angstrem.strong, reasons_text(angstrem.reasons)[0]) == (True, "INN 7735010706 = listed INN 7735010706")
    # Look-alikes are never confirmed without a person.
    captions = set(confirmed.values_list("listed_entity__caption", flat=True))
    assert not captions & {"Integral SPB", "Scientific Research Institute NII Submikron"}
    assert not any("Tula" in c or "Zvezda" in c or "SCIENTIFIC AND PRODUCTION" in c for c in captions)

    call_command("load_demo")
    assert "sanctions" not in capsys.readouterr().out  # nothing new: no list re-imported, no decision taken
    assert ListImport.objects.count() == 3
    assert SanctionMatch.objects.filter(decision="confirmed").count() == 6


def test_a_rejection_by_a_person_survives_load_demo():
    call_command("load_reference")
    call_command("load_demo")
    match = SanctionMatch.objects.get(manufacturer__name="Mikron", decision="confirmed")
    SanctionMatch.objects.filter(pk=match.pk).update(decision="rejected", decided_via="admin")
    call_command("load_demo")
    match.refresh_from_db()
    assert match.decision == "rejected"
