"""match_sanctions: candidates stored with their decision; decisions survive re-runs and re-imports."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from manufacturers.models import ListedEntity, SanctionMatch
from manufacturers.sanctions.matches import COMMAND_CONFIRM, sanction_matches_decide
from tests import factories

pytestmark = pytest.mark.django_db


def listed(source_id, caption, names=(), countries=(), identifiers=None, schema="Company"):
    return ListedEntity.objects.create(
        source_id=source_id, schema=schema, caption=caption, names=[caption, *names], countries=list(countries),
        identifiers=identifiers or {}, digest=source_id,
    )  # fmt: skip


@pytest.fixture
def world():
    integral = factories.ManufacturerFactory(name="Integral", country="BY")
    factories.ManufacturerAliasFactory(manufacturer=integral, alias="JSC Integral")
    factories.ManufacturerFactory(name="PA Strela", country="RU")
    return {
        "integral": listed("eu-integral", "JSC 'Integral'", ["JSC ‘Integral’", "ОАО ‘Интеграл’"], ["BY"]),
        "spb": listed("eu-integral-spb", "Integral SPB", ["Joint Venture JSC Integral SPB"]),
        "npo": listed("eu-npo-strela", "PJSC ‘NPO “STRELA”’"),
        "pa": listed("eu-pa-strela", "Production Association Strela", ["АО «ПО «Стрела»"]),
        "person": listed("p1", "Integral", schema="Person"),
    }


def run(*args):
    out = StringIO()
    call_command("match_sanctions", "--format", "json", *args, stdout=out)
    return {(c["manufacturer"], c["listed_entity"]): c for c in json.loads(out.getvalue())["candidates"]}


def test_strong_matches_confirmed_by_the_command_look_alikes_wait(world):
    found = run("--confirm-strong")
    integral = found[("Integral", "eu-integral")]
    assert integral["strong"] and integral["decision"] == "confirmed"
    assert integral["score"] == 0.97
    assert integral["reasons"][-1] == "country BY = by"
    assert integral["listed_name"] == "JSC 'Integral'"
    assert found[("PA Strela", "eu-pa-strela")]["decision"] == "confirmed"
    for pair in (("Integral", "eu-integral-spb"), ("PA Strela", "eu-npo-strela")):
        if pair in found:
            assert not found[pair]["strong"] and found[pair]["decision"] == "pending"
    assert not any(key[1] == "p1" for key in found)  # persons are not matched
    row = SanctionMatch.objects.get(listed_entity=world["integral"])
    assert row.decided_by is None and row.decided_via == COMMAND_CONFIRM and row.decided_at


def test_without_confirm_strong_everything_waits(world):
    found = run()
    assert {c["decision"] for c in found.values()} == {"pending"}


def test_rejection_survives_reruns_and_reimport(world, staff_user):
    run()
    match = SanctionMatch.objects.filter(listed_entity=world["integral"])
    sanction_matches_decide(matches=match, decision="rejected", user=staff_user)
    # a re-import updates the listed entity in place
    ListedEntity.objects.filter(pk=world["integral"].pk).update(names=["JSC 'Integral'", "JSC Integral"])
    found = run("--confirm-strong")
    assert found[("Integral", "eu-integral")]["decision"] == "rejected"
    row = match.get()
    assert row.decided_by == staff_user and row.decision == "rejected"
    assert SanctionMatch.objects.filter(decision="pending", listed_entity=world["integral"]).count() == 0


def test_pending_pairs_no_longer_proposed_are_withdrawn_decided_ones_kept(world, staff_user):
    run()
    assert SanctionMatch.objects.filter(listed_entity=world["pa"]).exists()
    sanction_matches_decide(
        matches=SanctionMatch.objects.filter(listed_entity=world["integral"]), decision="confirmed", user=staff_user
    )
    ListedEntity.objects.filter(pk__in=[world["pa"].pk, world["integral"].pk]).update(removed_at="2026-01-01T00:00:00Z")
    run()
    assert not SanctionMatch.objects.filter(listed_entity=world["pa"]).exists()
    assert SanctionMatch.objects.get(listed_entity=world["integral"]).decision == "confirmed"


def test_table_output_names_the_counts(world):
    out = StringIO()
    call_command("match_sanctions", stdout=out)
    text = out.getvalue()
    assert "new" in text and "Integral" in text and "legal form removed" in text
