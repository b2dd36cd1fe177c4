"""The API's response cache: a repeated request is answered from it, and no change to the evidence (through
the services, a bulk update, raw SQL, sharing, unpublishing, a rollback) is ever answered stale."""

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from provenance.models import AccessLog, DataVersionWeight, Finding, RecoveredItem
from provenance.models.items import TLP
from provenance.selectors.data_version import data_version
from provenance.services.data_version import data_version_tracked_tables
from provenance.services.findings import recovered_item_save
from provenance.services.sharing import access_log_record, api_key_revoke, api_key_touch
from tests import factories
from tests.provenance.api_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

BREAKDOWN = "/api/v1/stats/breakdown/?weapon=9M727&by=country"


def _get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code in (200, 404), response.content
    return response


def _total(response) -> int:
    return sum(row["count"] for row in response.json()["rows"])


# --- the data version -------------------------------------------------------------------------------------


def test_every_evidence_table_is_tracked_and_the_per_request_ones_are_not():
    tables = set(data_version_tracked_tables())
    assert {
        "provenance_finding",
        "provenance_recovereditem",
        "provenance_recovereditem_shared_with",
        "provenance_recovereditem_sources",
        "provenance_organisation",
        "provenance_source",
        "provenance_weaponmodel",
        "manufacturers_manufacturer",
        "manufacturers_ownership",
        "components_part",
        "components_category",
    } <= tables
    # Written by every partner request (a cached response must survive them), or never shown by one.
    assert not tables & {
        "provenance_accesslog",
        "provenance_organisationapikey",
        "provenance_briefingreport",
        "provenance_dataversion",
        "provenance_dataversionweight",
    }
    assert not any(table.startswith(("provenance_historical", "manufacturers_historical")) for table in tables)


def test_the_database_has_a_trigger_on_every_tracked_table():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'provenance_data_version'"
            )
        else:
            cursor.execute(  # the weights' own trigger compacts them
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND tbl_name != %s",
                [DataVersionWeight._meta.db_table],
            )
        triggered = {row[0] for row in cursor.fetchall()}
    assert triggered == set(data_version_tracked_tables())


def test_every_kind_of_write_changes_the_version():
    item = factories.RecoveredItemFactory()
    finding = factories.FindingFactory(item=item)
    maker = factories.ManufacturerFactory()
    partner = factories.OrganisationFactory()
    writes = {
        "service save": lambda: recovered_item_save(item=item, user=None),
        "bulk update": lambda: RecoveredItem.objects.filter(pk=item.pk).update(tlp=TLP.RED),
        "m2m add": lambda: item.shared_with.add(partner),
        "m2m remove": lambda: item.shared_with.remove(partner),
        "insert": lambda: factories.FindingFactory(item=item),
        "delete": lambda: Finding.objects.filter(pk=finding.pk).delete(),
        "raw SQL": lambda: connection.cursor().execute(
            "UPDATE manufacturers_manufacturer SET country = 'JP' WHERE id = %s", [maker.pk]
        ),
    }
    seen = {data_version()}
    for name, write in writes.items():
        write()
        version = data_version()
        assert version not in seen, name
        seen.add(version)


def test_what_a_partner_request_writes_does_not_change_the_version():
    key = factories.OrganisationAPIKeyFactory()
    before = data_version()
    api_key_touch(api_key=key)
    access_log_record(api_key=key, method="GET", path="/api/v1/findings/", query="", status=200, records=3)
    assert data_version() == before


def test_a_rolled_back_version_is_never_used_again():
    item = factories.RecoveredItemFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        RecoveredItem.objects.filter(pk=item.pk).update(tlp=TLP.RED)
        rolled_back = data_version()
        raise RuntimeError("rollback")
    RecoveredItem.objects.filter(pk=item.pk).update(tlp=TLP.AMBER)
    assert data_version() != rolled_back


# --- the cache in the API ---------------------------------------------------------------------------------


def test_a_repeated_request_is_answered_from_the_cache_and_still_logged(world):
    client = world.client("partner_a")
    first = _get(client, "/api/v1/recovered-items/")
    with CaptureQueriesContext(connection) as captured:
        second = _get(client, "/api/v1/recovered-items/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert len(captured.captured_queries) == 3  # key lookup, data version, access-log INSERT
    logged = list(AccessLog.objects.filter(organisation=world.partner_a).values_list("status", "records"))
    assert logged == [(200, len(world.visible_references("partner_a")))] * 2


def test_unpublishing_or_turning_red_hides_an_item_at_once(world):
    client = world.client("partner_b")
    item = world.items["GREEN-published-none"]
    url = f"/api/v1/recovered-items/{item.pk}/"
    for _ in range(2):
        assert _get(client, url).status_code == 200
    before = _total(_get(client, BREAKDOWN))
    assert _get(client, BREAKDOWN)["X-Cache"] == "hit"

    item.status = RecoveredItem.Status.VERIFIED
    recovered_item_save(item=item, user=None)
    assert _get(client, url).status_code == 404
    assert _total(_get(client, BREAKDOWN)) == before - item.findings.get().quantity
    refs = {row["reference"] for row in _get(client, "/api/v1/recovered-items/").json()["results"]}
    assert item.reference not in refs

    RecoveredItem.objects.filter(pk=item.pk).update(status=RecoveredItem.Status.PUBLISHED)
    assert _get(client, url).status_code == 200
    RecoveredItem.objects.filter(pk=item.pk).update(tlp=TLP.RED)  # a bulk update: no signal, no save()
    assert _get(client, url).status_code == 404


def test_one_organisations_cached_response_is_never_served_to_another(world):
    item = world.items["AMBER-published-A"]
    url = f"/api/v1/recovered-items/{item.pk}/"
    assert _get(world.client("partner_a"), url).status_code == 200
    assert _get(world.client("partner_a"), url)["X-Cache"] == "hit"
    assert _get(world.client("partner_b"), url).status_code == 404
    a_total = _total(_get(world.client("partner_a"), BREAKDOWN))
    b_total = _total(_get(world.client("partner_b"), BREAKDOWN))
    assert a_total != b_total

    item.shared_with.add(world.partner_b)
    assert _get(world.client("partner_b"), url).status_code == 200
    assert _total(_get(world.client("partner_b"), BREAKDOWN)) == b_total + item.findings.get().quantity


def test_a_revoked_key_is_refused_even_for_a_cached_response(world):
    client = world.client("partner_a")
    assert _get(client, "/api/v1/findings/")["X-Cache"] == "miss"
    assert _get(client, "/api/v1/findings/")["X-Cache"] == "hit"
    api_key_revoke(api_key=world.partner_a.api_keys.get())
    assert client.get("/api/v1/findings/").status_code == 401


def test_an_inactive_organisation_is_refused_even_for_a_cached_response(world):
    client = world.client("partner_a")
    _get(client, BREAKDOWN)
    world.partner_a.is_active = False
    world.partner_a.save()
    assert client.get(BREAKDOWN).status_code == 401


def test_errors_are_not_cached(world):
    client = world.client("partner_a")
    for _ in range(2):
        response = client.get("/api/v1/stats/breakdown/?by=colour")
        assert response.status_code == 400
        assert "X-Cache" not in response


def test_the_cache_can_be_turned_off(world, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    client = world.client("partner_a")
    for _ in range(2):
        response = _get(client, BREAKDOWN)
        assert "X-Cache" not in response


# --- the invariant ----------------------------------------------------------------------------------------

change = st.tuples(
    st.sampled_from(["tlp", "status", "share", "unshare", "quantity"]),
    st.integers(0, 3),  # which item
    st.sampled_from(TLP.values),
)
CALLERS = ("partner_a", "partner_b", "staff")
URLS = ("/api/v1/recovered-items/", "/api/v1/findings/", BREAKDOWN, "/api/v1/stats/shift/?weapon=9M727")


@hypothesis_settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(change, min_size=1, max_size=6))
def test_a_cached_response_always_equals_a_fresh_one(world, changes):
    rest_framework = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner": "1000000/minute"}}
    with override_settings(REST_FRAMEWORK=rest_framework):
        _change_and_compare(world, changes)


def _change_and_compare(world, changes) -> None:
    items = list(world.items.values())[:4]
    for kind, n, tlp in changes:
        item = items[n]
        if kind == "tlp":
            RecoveredItem.objects.filter(pk=item.pk).update(tlp=tlp)
        elif kind == "status":
            RecoveredItem.objects.filter(pk=item.pk).update(
                status=RecoveredItem.Status.PUBLISHED if tlp in (TLP.CLEAR, TLP.AMBER) else RecoveredItem.Status.DRAFT
            )
        elif kind == "share":
            item.shared_with.add(world.partner_b)
        elif kind == "unshare":
            item.shared_with.clear()
        else:
            Finding.objects.filter(item=item).update(quantity=len(tlp))
        for caller in CALLERS:
            client = world.client(caller)
            for url in URLS:
                cached = [client.get(url) for _ in range(2)]
                assert cached[1].get("X-Cache") == "hit", (caller, url, cached[1].status_code, cached[1].content[:300])
                with override_settings(API_RESPONSE_CACHE_SECONDS=0):
                    fresh = client.get(url)
                assert cached[0].content == cached[1].content == fresh.content, (caller, url)
