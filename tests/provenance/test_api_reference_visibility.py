"""Reference data (manufacturers, parts, strikes) reaches a partner only through evidence it may see, or
once reviewed (issue 16, item 1); staff sessions need the admin's view permissions (issue 16, item 2)."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from components.models import Part
from manufacturers.models import Manufacturer
from provenance.models import BriefingReport, Strike
from provenance.services.teardown import teardown_import
from tests import factories
from tests.provenance.api_world import CALLERS, World, world_fixture  # noqa: F401

ENDPOINT_OF = {"manufacturers": Manufacturer, "parts": Part, "strikes": Strike}


def _names(client: Client, endpoint: str, **params) -> set[str]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    key = {"manufacturers": "name", "parts": "part_number", "strikes": "place"}[endpoint]
    return {row[key] for row in response.json()["results"]}


@pytest.fixture
def traced_world(world: World) -> World:
    """Every item of the world gets its own strike, unreviewed maker and part, named after the item."""
    for reference, item in world.items.items():
        maker = factories.ManufacturerFactory(name=f"maker-{reference}", reviewed=False)
        part = factories.PartFactory(manufacturer=maker, part_number=f"part-{reference}")
        item.strike = factories.StrikeFactory(place=f"strike-{reference}")
        item.save()
        factories.FindingFactory(item=item, part=part, manufacturer=maker, quantity=1)
    return world


@pytest.mark.parametrize("caller", CALLERS[1:])
@pytest.mark.parametrize("endpoint", list(ENDPOINT_OF))
def test_reference_rows_follow_the_items_the_caller_may_see(traced_world: World, caller: str, endpoint: str):
    client = traced_world.client(caller)
    visible = traced_world.visible_references(caller)
    prefix = {"manufacturers": "maker", "parts": "part", "strikes": "strike"}[endpoint]
    expected = {f"{prefix}-{reference}" for reference in visible}
    if endpoint == "manufacturers":
        expected |= set(Manufacturer.objects.filter(reviewed=True).values_list("name", flat=True))
    elif endpoint == "parts":
        expected |= {p for p in Part.objects.values_list("part_number", flat=True) if not p.startswith("part-")}
    seen = _names(client, endpoint)
    assert seen == expected
    hidden = ENDPOINT_OF[endpoint].objects.exclude(
        pk__in=[row["id"] for row in client.get(f"/api/v1/{endpoint}/", {"page_size": 500}).json()["results"]]
    )
    for row in hidden[:3]:  # a hidden row answers 404, like a missing one
        assert client.get(f"/api/v1/{endpoint}/{row.pk}/").status_code == 404


def test_a_reviewed_manufacturer_is_listed_without_evidence(world: World):
    factories.ManufacturerFactory(name="Catalogue Maker", reviewed=True)
    factories.ManufacturerFactory(name="Unchecked Maker", reviewed=False)
    names = _names(world.client("partner_b"), "manufacturers", search="Maker")
    assert names == {"Catalogue Maker"}


def test_a_draft_import_does_not_leak_its_reference_data(world: World):
    """The red-team probe: a draft item's maker, part and strike place, searched for with any partner key."""
    csv = (
        "item_ref,weapon,place,strike_date,part_number,manufacturer,manufacturer_country,category\n"
        "X,9M727,Secret Bunker,2025-09-30,QX-9000,Omega Covert Ltd,TW,Covert Tx\n"
    )
    result = teardown_import(file=io.BytesIO(csv.encode()), filename="x.csv")
    assert result.ok, result.errors
    for caller in ("partner_a", "partner_b"):
        client = world.client(caller)
        assert _names(client, "manufacturers", search="Omega") == set()
        assert _names(client, "parts", search="QX") == set()
        assert _names(client, "strikes", place="Secret") == set()
    assert _names(world.staff_client, "manufacturers", search="Omega") == {"Omega Covert Ltd"}


def test_an_amber_makers_stays_with_the_organisations_it_is_shared_with(world: World):
    item = world.items["AMBER-published-A"]
    maker = factories.ManufacturerFactory(name="Amber Only Maker", reviewed=False)
    factories.FindingFactory(item=item, manufacturer=maker)
    assert _names(world.client("partner_a"), "manufacturers", search="Amber Only") == {"Amber Only Maker"}
    assert _names(world.client("partner_b"), "manufacturers", search="Amber Only") == set()


@pytest.fixture
def bare_staff(db) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="bare", is_staff=True))
    return client


ALL_ENDPOINTS = ["weapon-models", "strikes", "manufacturers", "parts", "recovered-items", "findings"]


@pytest.mark.parametrize("endpoint", [*ALL_ENDPOINTS, "stats/breakdown", "stats/shift", "briefings"])
def test_staff_without_permissions_is_refused_as_in_the_admin(world: World, bare_staff: Client, endpoint: str):
    assert bare_staff.get("/admin/provenance/recovereditem/").status_code == 403
    response = bare_staff.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 403
    assert "permission" in response.json()["detail"]


def test_staff_with_view_permissions_sees_what_the_admin_shows(world: World, bare_staff: Client):
    user = factories.UserFactory._meta.model.objects.get(username="bare")
    codenames = ["view_recovereditem", "view_finding", "view_manufacturer", "view_briefingreport"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    assert bare_staff.get("/admin/provenance/recovereditem/").status_code == 200
    body = bare_staff.get("/api/v1/recovered-items/", {"page_size": 500}).json()
    assert {row["reference"] for row in body["results"]} == set(world.items)  # RED and drafts: as in the admin
    assert bare_staff.get("/api/v1/findings/").status_code == 200
    assert bare_staff.get("/api/v1/manufacturers/").status_code == 200
    assert bare_staff.get("/api/v1/parts/").status_code == 403  # no view_part
    assert bare_staff.get("/api/v1/briefings/").status_code == 200
    # Requesting a briefing needs the add permission too.
    assert bare_staff.post("/api/v1/briefings/", {}, content_type="application/json").status_code == 403
    assert not BriefingReport.objects.exists()
