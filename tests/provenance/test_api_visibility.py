"""Who sees what: anonymous, partner A, partner B and staff, on every endpoint, for every TLP label,
published or not, shared or not. What a list shows, its detail serves; what it hides, detail answers 404."""

import pytest

from provenance.models import Finding, RecoveredItem
from provenance.models.items import TLP
from tests import factories
from tests.provenance.api_world import CALLERS, World, world_fixture  # noqa: F401

ITEM_REFERENCES = [
    f"{tlp}-{status}-{share}" for tlp in TLP.values for status in ("published", "verified") for share in ("none", "A")
] + ["B-OWNED-AMBER"]


def _all_pages(client, url: str) -> list[dict]:
    response = client.get(url, {"page_size": 500})
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return response.json()["results"]


def test_the_rules_as_a_table(world: World):
    # The rules spelled out for partner A, so the oracle in api_world cannot drift from the brief.
    assert world.visible_references("partner_a") == {
        "CLEAR-published-none",
        "CLEAR-published-A",
        "GREEN-published-none",
        "GREEN-published-A",
        "AMBER-published-A",
        "AMBER+STRICT-published-A",
    }
    assert world.visible_references("partner_b") == {
        "CLEAR-published-none",
        "CLEAR-published-A",
        "GREEN-published-none",
        "GREEN-published-A",
        "B-OWNED-AMBER",
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_recovered_items_list_shows_exactly_the_visible_items(world: World, caller: str):
    client = world.client(caller)
    if caller == "anonymous":
        response = client.get("/api/v1/recovered-items/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json()) == {"detail"}
        return
    shown = {row["reference"] for row in _all_pages(client, "/api/v1/recovered-items/")}
    assert shown == world.visible_references(caller)


@pytest.mark.parametrize("caller", CALLERS)
def test_findings_list_shows_exactly_the_findings_of_visible_items(world: World, caller: str):
    client = world.client(caller)
    if caller == "anonymous":
        assert client.get("/api/v1/findings/").status_code == 401
        return
    shown = {row["item"]["reference"] for row in _all_pages(client, "/api/v1/findings/")}
    assert shown == world.visible_references(caller)


@pytest.mark.parametrize("tlp", TLP.values)
@pytest.mark.parametrize("caller", CALLERS)
def test_item_and_finding_details_agree_with_the_lists(world: World, caller: str, tlp: str):
    client = world.client(caller)
    references = [r for r in ITEM_REFERENCES if world.items[r].tlp == tlp]
    listed_items = (
        set() if caller == "anonymous" else {r["reference"] for r in _all_pages(client, "/api/v1/recovered-items/")}
    )
    listed_findings = set() if caller == "anonymous" else {r["id"] for r in _all_pages(client, "/api/v1/findings/")}
    for reference in references:  # published or not x shared or not (x owned by the partner, for AMBER)
        item = world.items[reference]
        finding = Finding.objects.get(item=item)
        item_response = client.get(f"/api/v1/recovered-items/{item.pk}/")
        finding_response = client.get(f"/api/v1/findings/{finding.pk}/")
        if caller == "anonymous":
            assert item_response.status_code == finding_response.status_code == 401, reference
            continue
        visible = reference in world.visible_references(caller)
        assert (reference in listed_items) == visible, reference
        assert (finding.pk in listed_findings) == visible, reference
        expected = 200 if visible else 404
        assert item_response.status_code == expected, reference
        assert finding_response.status_code == expected, reference
        if visible:
            assert item_response.json()["reference"] == reference
            assert [f["id"] for f in item_response.json()["findings"]] == [finding.pk]
        else:
            # 404, never 403: a hidden item is indistinguishable from one that does not exist.
            assert item_response.json() == client.get("/api/v1/recovered-items/999999/").json()


def test_an_inactive_organisation_is_refused(world: World):
    world.partner_a.is_active = False
    world.partner_a.save()
    response = world.client("partner_a").get("/api/v1/weapon-models/")
    assert response.status_code == 401


def test_a_non_staff_session_sees_nothing(world: World, client):
    client.force_login(factories.UserFactory(username="visitor"))
    assert client.get("/api/v1/findings/").status_code == 403
    assert client.get("/api/v1/weapon-models/").status_code == 403


def test_red_items_stay_in_even_when_shared(world: World):
    red = world.items["RED-published-A"]
    assert red.shared_with.filter(pk=world.partner_a.pk).exists()
    assert world.client("partner_a").get(f"/api/v1/recovered-items/{red.pk}/").status_code == 404


def test_partner_output_leaves_out_internal_fields(world: World):
    item = world.items["CLEAR-published-none"]
    client = world.client("partner_a")
    bodies = [
        client.get(f"/api/v1/recovered-items/{item.pk}/").content,
        client.get("/api/v1/recovered-items/").content,
        client.get("/api/v1/findings/").content,
    ]
    for body in bodies:
        for secret in (b"SECRET-ANALYST-NOTE", b"SECRET-SITE", b"SECRET-CUSTODY", b"SECRET-FINDING-NOTE"):
            assert secret not in body
        for field in (b'"notes"', b'"site_details"', b'"custody_notes"', b'"created_by"', b'"shared_with"'):
            assert field not in body
    detail = client.get(f"/api/v1/recovered-items/{item.pk}/").json()
    assert detail["owner"] is None  # the owner did not choose to be named to partners (issue 16)
    assert detail["findings"][0]["manufacturer"]["name"] == "Texas Instruments"


@pytest.mark.parametrize("caller", ["partner_a", "partner_b", "staff"])
def test_breakdown_counts_only_visible_items(world: World, caller: str):
    response = world.client(caller).get("/api/v1/stats/breakdown/", {"weapon": "9M727", "by": "country"})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = sum(f.quantity for f in Finding.objects.filter(item__reference__in=world.visible_references(caller)))
    assert body["total"] == expected
    assert [(row["key"], row["count"], row["share"]) for row in body["rows"]] == [("US", expected, 1.0)]
    assert body["filters"] == {"weapon": "9M727"}


@pytest.mark.parametrize("caller", ["partner_a", "staff"])
def test_shift_counts_only_visible_items(world: World, caller: str):
    response = world.client(caller).get("/api/v1/stats/shift/", {"weapon": "9M727", "period": "recovered"})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = sum(f.quantity for f in Finding.objects.filter(item__reference__in=world.visible_references(caller)))
    assert body["periods"] == [{"period": 2025, "total": expected}]


def test_a_hidden_item_cannot_be_probed_through_the_statistics(world: World):
    client = world.client("partner_b")
    hidden = client.get("/api/v1/stats/breakdown/", {"item": "AMBER-published-A"})
    missing = client.get("/api/v1/stats/breakdown/", {"item": "NO-SUCH-ITEM"})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["errors"]["item"][0].startswith("No recovered item")
    assert set(hidden.json()["errors"]) == set(missing.json()["errors"]) == {"item"}
    visible = client.get("/api/v1/stats/breakdown/", {"item": "B-OWNED-AMBER"})
    assert visible.status_code == 200
    assert visible.json()["total"] == 100


def test_unpublishing_hides_an_item_at_once(world: World):
    item = world.items["CLEAR-published-none"]
    client = world.client("partner_b")
    assert client.get(f"/api/v1/recovered-items/{item.pk}/").status_code == 200
    RecoveredItem.objects.filter(pk=item.pk).update(status=RecoveredItem.Status.VERIFIED)
    assert client.get(f"/api/v1/recovered-items/{item.pk}/").status_code == 404
