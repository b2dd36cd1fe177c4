"""The manufacturers admin: pages render, counts cost no query per row, aliases and review work."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manufacturers.models import Manufacturer, ManufacturerAlias
from tests import factories
from tests.admin_pages import assert_admin_pages_render, model_id, registered_models

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", registered_models("manufacturers"), ids=model_id)
def test_every_manufacturers_admin_page_renders(admin_client, staff_user, model):
    assert_admin_pages_render(admin_client, staff_user, model)


def _manufacturer_post(**overrides) -> dict:
    data = {
        "name": "Texas Instruments",
        "country": "US",
        "website": "",
        "reviewed": "on",
        "notes": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": "0",
        "identifiers-INITIAL_FORMS": "0",
        "owners-TOTAL_FORMS": "0",
        "owners-INITIAL_FORMS": "0",
        "designations-TOTAL_FORMS": "0",
        "designations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _aliases(*aliases: str) -> dict:
    data = {"aliases-TOTAL_FORMS": str(len(aliases)), "aliases-INITIAL_FORMS": "0"}
    for index, alias in enumerate(aliases):
        data[f"aliases-{index}-alias"] = alias
    return data


def test_changelist_counts_findings_without_a_query_per_row(admin_client, django_assert_num_queries):
    url = reverse("admin:manufacturers_manufacturer_changelist")
    first = factories.ManufacturerFactory(name="Texas Instruments")
    factories.FindingFactory(manufacturer=first, quantity=4)
    factories.FindingFactory(manufacturer=first, quantity=3)
    admin_client.get(url)  # warm per-process caches (content types) so both counts compare like with like
    with CaptureQueriesContext(connection) as one_row:
        response = admin_client.get(url)
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert (row.finding_count, row.unit_count) == (2, 7)

    for _ in range(19):
        factories.FindingFactory(manufacturer=factories.ManufacturerFactory(), quantity=2)
    with django_assert_num_queries(len(one_row)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 20


def test_add_manufacturer_with_aliases(admin_client):
    response = admin_client.post(
        reverse("admin:manufacturers_manufacturer_add"), _manufacturer_post(**_aliases("TI", "Texas Instr."))
    )
    assert response.status_code == 302
    manufacturer = Manufacturer.objects.get(name="Texas Instruments")
    assert sorted(manufacturer.aliases.values_list("alias", flat=True)) == ["TI", "Texas Instr."]


def test_duplicate_aliases_in_one_submission_are_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:manufacturers_manufacturer_add"), _manufacturer_post(**_aliases("TI", " ti "))
    )
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "The alias 'ti' is entered twice (ignoring case and spaces: 'TI')." in text
    assert not Manufacturer.objects.filter(name="Texas Instruments").exists()


def test_alias_already_used_by_another_manufacturer_is_refused_with_a_message(admin_client):
    factories.ManufacturerAliasFactory(alias="TI", manufacturer=factories.ManufacturerFactory(name="Other"))
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_add"), _manufacturer_post(**_aliases("ti")))
    assert response.status_code == 200
    assert "This alias is already in use (ignoring case and spaces)." in html.unescape(response.content.decode())
    assert ManufacturerAlias.objects.count() == 1


def test_ownership_inline_records_the_parent(admin_client):
    parent = factories.ManufacturerFactory(name="Analog Devices")
    data = _manufacturer_post(
        name="Linear Technology",
        **{
            "owners-TOTAL_FORMS": "1",
            "owners-0-parent": str(parent.pk),
            "owners-0-start_on": "2017-03-10",
            "owners-0-end_on": "",
            "owners-0-notes": "",
        },
    )
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_add"), data)
    assert response.status_code == 302
    child = Manufacturer.objects.get(name="Linear Technology")
    assert [o.parent for o in child.owners.all()] == [parent]


def test_ownership_ending_before_it_starts_shows_the_constraint_message(admin_client):
    parent = factories.ManufacturerFactory(name="Analog Devices")
    data = _manufacturer_post(
        name="Linear Technology",
        **{
            "owners-TOTAL_FORMS": "1",
            "owners-0-parent": str(parent.pk),
            "owners-0-start_on": "2017-03-10",
            "owners-0-end_on": "2016-01-01",
            "owners-0-notes": "",
        },
    )
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_add"), data)
    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()


def test_mark_as_reviewed_action_updates_and_keeps_history(admin_client):
    unreviewed = factories.ManufacturerFactory(name="Newco", reviewed=False)
    response = admin_client.post(
        reverse("admin:manufacturers_manufacturer_changelist"),
        {"action": "mark_reviewed", "_selected_action": [unreviewed.pk]},
        follow=True,
    )
    assert "1 manufacturer marked as reviewed." in response.content.decode()
    unreviewed.refresh_from_db()
    assert unreviewed.reviewed is True
    assert unreviewed.history.first().reviewed is True
    assert unreviewed.history.count() == 2


def test_list_filter_by_reviewed(admin_client):
    factories.ManufacturerFactory(name="Checked")
    factories.ManufacturerFactory(name="Unchecked", reviewed=False)
    response = admin_client.get(reverse("admin:manufacturers_manufacturer_changelist"), {"reviewed__exact": "0"})
    assert [m.name for m in response.context["cl"].result_list] == ["Unchecked"]


def test_manufacturer_owning_itself_shows_the_constraint_message(admin_client):
    maker = factories.ManufacturerFactory(name="Analog Devices")
    data = _manufacturer_post(
        name="Analog Devices",
        **{
            "owners-TOTAL_FORMS": "1",
            "owners-0-parent": str(maker.pk),
            "owners-0-start_on": "2017-03-10",
            "owners-0-end_on": "",
            "owners-0-notes": "",
        },
    )
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_change", args=[maker.pk]), data)
    assert response.status_code == 200
    assert "A manufacturer cannot own itself." in response.content.decode()


def test_designation_delisted_before_listing_shows_the_constraint_message(admin_client):
    data = _manufacturer_post(
        **{
            "designations-TOTAL_FORMS": "1",
            "designations-0-authority": "US",
            "designations-0-program": "US-BIS-EL",
            "designations-0-measure": "export control",
            "designations-0-listed_on": "2023-05-01",
            "designations-0-date_kind": "listing",
            "designations-0-date_source": "",
            "designations-0-delisted_on": "2022-01-01",
            "designations-0-reason": "",
            "designations-0-reference": "",
            "designations-0-source_url": "",
        }
    )
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_add"), data)
    assert response.status_code == 200
    assert "The delisting date must not be before the listing date." in response.content.decode()


def test_unknown_hq_country_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:manufacturers_manufacturer_add"), _manufacturer_post(country="XX"))
    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in response.content.decode()


def _identifiers(*pairs: tuple[str, str]) -> dict:
    data = {"identifiers-TOTAL_FORMS": str(len(pairs))}
    for n, (kind, value) in enumerate(pairs):
        data.update({f"identifiers-{n}-kind": kind, f"identifiers-{n}-value": value, f"identifiers-{n}-source": ""})
    return data


def test_an_analyst_gives_a_maker_its_inn_and_a_wrong_check_digit_is_refused(admin_client):
    angstrem = factories.ManufacturerFactory(name="Angstrem", country="RU")
    url = reverse("admin:manufacturers_manufacturer_change", args=[angstrem.pk])
    post = _manufacturer_post(name="Angstrem", country="RU")
    response = admin_client.post(url, {**post, **_identifiers(("innCode", "7735010707"))})
    assert response.status_code == 200
    assert "An INN has 10 digits (a company) or 12 (a person)" in html.unescape(response.content.decode())
    assert not angstrem.identifiers.exists()
    response = admin_client.post(url, {**post, **_identifiers(("innCode", "7735 010706"), ("ogrnCode", "n/a"))})
    assert "An identifier has at least 6 letters and digits" in html.unescape(response.content.decode())
    response = admin_client.post(url, {**post, **_identifiers(("innCode", "7735 010706"))})
    assert response.status_code == 302
    assert [str(i) for i in angstrem.identifiers.all()] == ["INN (Russian taxpayer number) 7735010706"]
    other = factories.ManufacturerFactory(name="Angstrem-T", country="RU")
    response = admin_client.post(
        reverse("admin:manufacturers_manufacturer_change", args=[other.pk]),
        {**_manufacturer_post(name="Angstrem-T", country="RU"), **_identifiers(("innCode", "7735010706"))},
    )
    assert "This identifier already belongs to a manufacturer." in html.unescape(response.content.decode())
    search = admin_client.get(reverse("admin:manufacturers_manufacturer_changelist"), {"q": "7735010706"})
    assert "1 result" in search.content.decode()
