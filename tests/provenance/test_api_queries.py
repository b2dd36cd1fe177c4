"""Query budgets: every list endpoint costs the same number of queries at page size 10 and 100."""

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from provenance.services.sharing import api_key_create
from tests import factories

# Per list endpoint, for a partner key, when the response is not cached yet. Every request pays: 1 key lookup
# (with its organisation), 1 data version (the response cache's key), 1 COUNT for the pagination, 1 page, and
# 1 access-log INSERT; plus one query per prefetched relation.
EXPECTED_PARTNER_QUERIES = {
    "weapon-models": 6,  # + aliases
    "strikes": 6,  # + sources
    "manufacturers": 8,  # + aliases, + designations, + confirmed sanctions matches (none here)
    "parts": 5,  # manufacturer, category (with its HS code) and HS code are joined
    "recovered-items": 5,  # weapon model and owner joined, findings counted in the same query
    "findings": 5,  # item, weapon model, part, manufacturer, category and source joined
}
# The same request again, answered from the cache: key lookup, data version, access-log INSERT.
CACHED_PARTNER_QUERIES = 3
# A staff session: 1 session + 1 user instead of the key lookup, and no access-log row.
EXPECTED_STAFF_QUERIES = dict(EXPECTED_PARTNER_QUERIES)

ROWS = 110


@pytest.fixture
def crowded_world(db):
    """More than 100 of everything, each with its related rows (aliases, sources, designations, findings)."""
    internal = factories.InternalOrganisationFactory()
    partner = factories.OrganisationFactory(name="Partner")
    hs_code = factories.HSCodeFactory()
    category = factories.CategoryFactory(name="microcontroller", hs_code=hs_code)
    for n in range(ROWS):
        weapon = factories.WeaponModelFactory(designation=f"W-{n}")
        factories.WeaponAliasFactory(weapon_model=weapon)
        strike = factories.StrikeFactory()
        strike.sources.add(factories.SourceFactory())
        maker = factories.ManufacturerFactory(name=f"Maker {n}")
        factories.ManufacturerAliasFactory(manufacturer=maker)
        factories.DesignationFactory(manufacturer=maker)
        part = factories.PartFactory(manufacturer=maker, category=category, hs_code=hs_code)
        item = factories.RecoveredItemFactory(weapon_model=weapon, strike=strike, owner=internal, tlp="GREEN")
        item.sources.add(factories.SourceFactory())
        factories.FindingFactory(
            item=item, part=part, manufacturer=maker, category=category, source=factories.SourceFactory()
        )
    _key, raw_key = api_key_create(organisation=partner, name="counted")
    return raw_key


def _queries(client: Client, url: str, page_size: int, cache: str = "miss") -> int:
    if cache == "miss":
        django_cache.clear()  # Nothing kept from an earlier request: not the response, not the list's count.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert response["X-Cache"] == cache
    assert len(response.json()["results"]) == page_size
    return len(captured.captured_queries)


def test_partner_list_queries_do_not_grow_with_the_page(crowded_world):
    # One test for all endpoints: building the crowded world is the slow part.
    client = Client(headers={"authorization": f"Bearer {crowded_world}"})
    client.get("/api/v1/parts/")  # the first request of the minute also records last_used_at
    measured, again = {}, {}
    for endpoint in EXPECTED_PARTNER_QUERIES:
        url = f"/api/v1/{endpoint}/"
        # Each size computed afresh, then asked again: served from the response cache.
        sizes = [(_queries(client, url, size), _queries(client, url, size, "hit")) for size in (10, 100)]
        measured[endpoint] = (sizes[0][0], sizes[1][0])
        again[endpoint] = (sizes[0][1], sizes[1][1])
    assert measured == {endpoint: (n, n) for endpoint, n in EXPECTED_PARTNER_QUERIES.items()}
    assert again == dict.fromkeys(EXPECTED_PARTNER_QUERIES, (CACHED_PARTNER_QUERIES, CACHED_PARTNER_QUERIES))


def test_staff_list_queries_do_not_grow_with_the_page(crowded_world, admin_client):
    # The first request of a connection after a partner's resets the partner statement timeout (PostgreSQL).
    admin_client.get("/api/v1/parts/")
    measured = {
        endpoint: (
            _queries(admin_client, f"/api/v1/{endpoint}/", 10),
            _queries(admin_client, f"/api/v1/{endpoint}/", 100),
        )
        for endpoint in EXPECTED_STAFF_QUERIES
    }
    assert measured == {endpoint: (n, n) for endpoint, n in EXPECTED_STAFF_QUERIES.items()}


def test_item_detail_queries_do_not_grow_with_its_findings(crowded_world, db):
    client = Client(headers={"authorization": f"Bearer {crowded_world}"})
    item = factories.RecoveredItemFactory(tlp="CLEAR")
    client.get("/api/v1/parts/")
    counts = []
    for findings in (1, 60):
        while item.findings.count() < findings:
            factories.FindingFactory(item=item, part=factories.PartFactory(), source=factories.SourceFactory())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/recovered-items/{item.pk}/")
        assert len(response.json()["findings"]) == findings
        counts.append(len(captured.captured_queries))
    # 1 key lookup, 1 data version, 1 item (joined weapon model and owner, findings counted), 1 findings
    # (joined part, manufacturer, category, source), 1 sources, 1 access-log INSERT. The findings added in
    # between changed the data version, so the second request is not answered from the cache.
    assert counts == [6, 6]


def test_paging_through_a_list_counts_it_once(crowded_world):
    client = Client(headers={"authorization": f"Bearer {crowded_world}"})
    django_cache.clear()
    pages, counts, queries = [], set(), []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/findings/", {"page": page, "page_size": 40}).json()
        pages.append(len(body["results"]))
        counts.add(body["count"])
        queries.append(sum(q["sql"].startswith("SELECT COUNT(*)") for q in captured.captured_queries))
    assert (pages, counts, queries) == ([40, 40, ROWS - 80], {ROWS}, [1, 0, 0])
    # A new finding changes the data version: the next page counts again, and sees it.
    factories.FindingFactory(item=factories.RecoveredItemFactory(tlp="CLEAR"))
    body = client.get("/api/v1/findings/", {"page": 3, "page_size": 40}).json()
    assert (body["count"], len(body["results"])) == (ROWS + 1, ROWS + 1 - 80)
