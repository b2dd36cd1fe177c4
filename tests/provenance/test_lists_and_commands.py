"""What an analyst or a partner gets back from list filters, `search=` and `ordering=`; `ensure_admin`; the
briefing admin's "issue again" action."""

import datetime as dt
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from provenance.briefings.params import BriefingParams
from provenance.models import BriefingReport
from provenance.services.briefings import briefing_request
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    texas = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    integral = factories.ManufacturerFactory(name="Integral", country="BY")
    old = factories.RecoveredItemFactory(reference="KYIV-2023", recovered_on=dt.date(2023, 5, 1))
    new = factories.RecoveredItemFactory(reference="KYIV-2025", recovered_on=dt.date(2025, 9, 7))
    factories.FindingFactory(item=old, manufacturer=integral, country="BY", quantity=4, marking="IN74HC00")
    factories.FindingFactory(
        item=new, manufacturer=texas, country="US", quantity=2, part=factories.PartFactory(part_number="STM32F407")
    )
    factories.FindingFactory(item=new, manufacturer=integral, country="BY", quantity=9, marking="K1533LA3")
    return {"old": old, "new": new}


def listed(admin_client, query: dict) -> list[str]:
    response = admin_client.get(reverse("admin:provenance_recovereditem_changelist"), query)
    assert response.status_code == 200
    return sorted(item.reference for item in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ({}, ["KYIV-2023", "KYIV-2025"]),
        ({"country": "US"}, ["KYIV-2025"]),
        ({"country": "BY"}, ["KYIV-2023", "KYIV-2025"]),
        ({"recovered_year": "2023"}, ["KYIV-2023"]),
        ({"q": "stm32f407"}, ["KYIV-2025"]),
        ({"q": "IN74HC00"}, ["KYIV-2023"]),
        ({"q": "Texas"}, ["KYIV-2025"]),
    ],
)
def test_item_list_filters_and_search_return_the_right_items(admin_client, items, query, references):
    assert listed(admin_client, query) == references


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ({"search": "STM32"}, [("KYIV-2025", 2)]),
        ({"search": "k1533"}, [("KYIV-2025", 9)]),
        ({"ordering": "-quantity"}, [("KYIV-2025", 9), ("KYIV-2023", 4), ("KYIV-2025", 2)]),
        ({"ordering": "quantity"}, [("KYIV-2025", 2), ("KYIV-2023", 4), ("KYIV-2025", 9)]),
        ({"country": "BY", "ordering": "-quantity"}, [("KYIV-2025", 9), ("KYIV-2023", 4)]),
    ],
)
def test_findings_api_search_and_ordering_return_the_right_rows(admin_client, items, query, rows):
    response = admin_client.get("/api/v1/findings/", query)
    assert response.status_code == 200
    assert [(row["item"]["reference"], row["quantity"]) for row in response.json()["results"]] == rows


def test_an_unknown_ordering_is_a_400_naming_the_allowed_ones(admin_client, items):
    # Not quietly answered in the default order (as DRF would): the schema lists the allowed values (an enum).
    response = admin_client.get("/api/v1/findings/", {"ordering": "notes"})
    assert response.status_code == 400
    message = response.json()["errors"]["ordering"][0]
    assert message.startswith("Cannot order by “notes”; order by one of: id, -id, line_no, -line_no, quantity,")
    assert len(admin_client.get("/api/v1/findings/", {"ordering": "-quantity"}).json()["results"]) == 3


def test_ensure_admin_creates_the_account_once_and_prints_a_working_password(capsys, internal_org):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = re.search(r"password: (\S+)", first)[1]
    user = authenticate(RequestFactory().post("/admin/login/"), username="admin", password=password)
    assert user is not None and user.is_superuser and user.is_staff
    assert list(user.organisations.values_list("name", flat=True)) == [internal_org.name]

    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert second == "Admin account 'admin' exists (password as printed when it was created).\n"
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert authenticate(RequestFactory().post("/admin/login/"), username="admin", password=password) == user


def test_issue_again_makes_a_new_report_with_the_same_parameters(admin_client, staff_user, items, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partner = factories.OrganisationFactory(name="Partner A")
    old = briefing_request(params=BriefingParams(weapon=None, title="Iskander"), organisation=partner, formats=["csv"])

    response = admin_client.post(
        reverse("admin:provenance_briefingreport_changelist"),
        {"action": "issue_again", "_selected_action": [old.pk]},
        follow=True,
    )

    assert response.status_code == 200
    new = BriefingReport.objects.exclude(pk=old.pk).get()
    assert (new.state, new.title, new.organisation, new.requested_by) == ("done", "Iskander", partner, staff_user)
    assert new.parameters == old.parameters
    assert new.csv and not new.pdf
