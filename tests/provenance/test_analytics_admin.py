"""The admin analytics page: filters, breakdown table and chart, shift table and chart, links to it."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/admin/provenance/analytics/"


@pytest.fixture
def sample():
    weapon = f.WeaponModelFactory(designation="9M727")
    f.WeaponAliasFactory(weapon_model=weapon, alias="Iskander-K")
    old = f.RecoveredItemFactory(weapon_model=weapon, reference="OLD", recovered_on=dt.date(2022, 4, 1))
    new = f.RecoveredItemFactory(weapon_model=weapon, reference="NEW", recovered_on=dt.date(2025, 9, 7))
    f.FindingFactory(item=old, manufacturer=None, country="US", quantity=27)
    f.FindingFactory(item=old, manufacturer=None, country="JP", quantity=8)
    f.FindingFactory(item=new, manufacturer=None, country="US", quantity=35, produced_year=2023, produced_week=5)
    f.FindingFactory(item=new, manufacturer=None, country="RU", quantity=65)
    return weapon, old, new


def test_page_shows_breakdown_shift_and_charts_for_a_weapon_alias(admin_client, sample):
    assert reverse("admin:provenance_analytics") == URL
    response = admin_client.get(URL, {"weapon": "Iskander-K", "by": "country"})

    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    assert {r["key"]: r["count"] for r in breakdown["rows"]} == {"US": 62, "RU": 65, "JP": 8}
    assert response.context["shift"]["periods"] == [{"period": 2022, "total": 35}, {"period": 2025, "total": 100}]
    html = response.content.decode()
    assert "denominator: all findings, total 135" in html
    assert html.count('<div class="analytics-chart"><svg') == 2
    assert "-42.14" in html  # US share 77.14 % in 2022 -> 35 % in 2025
    assert response.context["dated"]["produced_after"] == 35


def test_invalid_filters_show_per_field_errors(admin_client, sample):
    response = admin_client.get(URL, {"weapon": "nope", "from": "yesterday"})
    assert response.status_code == 200
    assert "breakdown" not in response.context
    html = response.content.decode()
    assert "No weapon model or alias" in html
    assert "Enter a valid date." in html


def test_foreign_only_and_item_filter(admin_client, sample):
    response = admin_client.get(URL, {"item": "NEW", "foreign_only": "on"})
    assert response.context["breakdown"]["total"] == 35


def test_page_requires_staff_with_view_permission(client, sample):
    assert client.get(URL).status_code == 302  # to the admin login
    user = f.UserFactory(username="clerk", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_weapon_model_and_recovered_item_pages_link_to_the_page(admin_client, sample):
    weapon, old, _new = sample
    weapon_page = admin_client.get(reverse("admin:provenance_weaponmodel_change", args=[weapon.pk]))
    assert f'href="{URL}?weapon=9M727"' in weapon_page.content.decode()
    item_page = admin_client.get(reverse("admin:provenance_recovereditem_change", args=[old.pk]))
    assert f'href="{URL}?item=OLD"' in item_page.content.decode()
    assert f'href="{URL}"' in admin_client.get(reverse("admin:provenance_recovereditem_changelist")).content.decode()


def test_page_costs_a_fixed_number_of_queries(admin_client, sample, django_assert_num_queries):
    # 1 session, 1 user, 1 weapon check (form), 1 data version, 1 breakdown, 1 shift, 1 produced-after;
    # sanctions coverage: 1 findings grouped by maker with the makers' names, 1 designations in force with the
    # authorities and our ownerships (one UNION)
    with django_assert_num_queries(9):
        admin_client.get(URL, {"weapon": "9M727"})
    # The same page again comes from the cache, kept under the data version.
    with django_assert_num_queries(4):
        first = admin_client.get(URL, {"weapon": "9M727"})
    # Any write gives a new data version: the page is computed again, with the new line.
    f.FindingFactory(item=sample[2], manufacturer=None, country="CN", quantity=3)
    with django_assert_num_queries(9):
        second = admin_client.get(URL, {"weapon": "9M727"})
    assert first.context["breakdown"]["total"] + 3 == second.context["breakdown"]["total"]
