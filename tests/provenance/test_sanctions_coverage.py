"""Sanctions coverage: the selector, `manage.py sanctions_coverage`, `/api/v1/stats/sanctions/`, and the
designations carried by `/api/v1/manufacturers/`."""

import csv
import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from manufacturers.models import Designation, ListedEntity, ListedOwnership, SanctionMatch
from provenance.selectors.analytics import AnalyticsFilters, breakdown
from provenance.selectors.sanctions import sanctions_coverage
from provenance.services.sharing import api_key_create
from tests import factories
from tests.provenance.api_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ITEM = "KYIV-2025-09-07-CAB"


def listed(source_id, caption, schema="Company"):
    return ListedEntity.objects.create(
        source_id=source_id, schema=schema, caption=caption, names=[caption], digest=source_id
    )


def designate(entity=None, manufacturer=None, authority="EU", listed_on=dt.date(2025, 2, 24), **extra):
    return Designation.objects.create(
        listed_entity=entity, manufacturer=manufacturer, authority=authority, program=extra.pop("program", "EU-UKR"),
        measure=extra.pop("measure", "asset freeze"), listed_on=listed_on,
        source_url="https://eur-lex.europa.eu/eli/reg/2014/269", **extra,
    )  # fmt: skip


def confirm(manufacturer, entity):
    return SanctionMatch.objects.create(
        manufacturer=manufacturer, listed_entity=entity, score=0.97, strong=True, decision="confirmed",
        decided_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), decided_via="test",
    )  # fmt: skip


@pytest.fixture
def cab():
    """One item: Integral 5 (EU-listed, matched), Mikron 3 (EU-listed, match only pending), Subsid 4 (owned 51 %
    by an entity the UK lists), Kalash-owned 2 (owner holds 49 %), Child 1 (our own parent is JP-listed by
    hand), TI 3 (listed by nobody), 2 units of unknown maker. The US lists someone else (no date: OFAC)."""
    weapon = factories.WeaponModelFactory(designation="9M727", origin_country="RU")
    item = factories.RecoveredItemFactory(reference=ITEM, weapon_model=weapon)
    makers = {}
    lines = [("Integral", "BY", 5), ("Mikron", "RU", 3), ("Subsid", "RU", 4), ("Kalash Sub", "RU", 2),
             ("Child", "RU", 1), ("Texas Instruments", "US", 3)]  # fmt: skip
    for name, country, quantity in lines:
        makers[name] = factories.ManufacturerFactory(name=name, country=country)
        factories.FindingFactory(item=item, manufacturer=makers[name], quantity=quantity)
    factories.FindingFactory(item=item, manufacturer=None, country="CN", quantity=2)
    integral = listed("eu-integral", "JSC 'Integral'")
    designate(integral)
    designate(integral, authority="EU", program="EU-BLR", listed_on=dt.date(2025, 3, 27))
    confirm(makers["Integral"], integral)
    mikron = listed("eu-mikron", "Mikron JSC")
    designate(mikron, listed_on=dt.date(2023, 12, 18))
    SanctionMatch.objects.create(manufacturer=makers["Mikron"], listed_entity=mikron, score=0.95, strong=True)
    parent, subsid = listed("gb-parent", "Parent Holding"), listed("subsid", "Subsid LLC")
    designate(parent, authority="GB", program="GB-RUS", listed_on=dt.date(2024, 5, 1))
    confirm(makers["Subsid"], subsid)
    ListedOwnership.objects.create(source_id="own-1", owner=parent, asset=subsid, percentage=51, digest="x")
    kalash, sub = listed("kalash", "Kalash Concern"), listed("kalash-sub", "Kalash Sub LLC")
    designate(kalash, authority="GB", program="GB-RUS", listed_on=dt.date(2024, 5, 1))
    confirm(makers["Kalash Sub"], sub)
    ListedOwnership.objects.create(source_id="own-2", owner=kalash, asset=sub, percentage=49, digest="y")
    our_parent = factories.ManufacturerFactory(name="Parent Corp", country="RU")
    factories.OwnershipFactory(parent=our_parent, child=makers["Child"], start_on=dt.date(2020, 1, 1))
    designate(manufacturer=our_parent, authority="JP", program="JP-METI", listed_on=dt.date(2023, 1, 1))
    designate(listed("ofac-x", "Someone Else"), authority="US", program="US-SDN", listed_on=None, date_kind="unknown")
    return makers


def by_key(result):
    return {row["key"]: row for row in result["rows"]}


def test_coverage_per_maker_with_via_and_summary(cab):
    result = sanctions_coverage(filters=AnalyticsFilters(item=ITEM), as_of=dt.date(2026, 12, 2))
    assert result["authorities"] == ["EU", "GB", "JP", "US"]
    assert result["total"] == 20 and result["status"] == "any" and result["as_of"] == "2026-12-02"
    assert result["filters"] == {"item": ITEM}
    rows = by_key(result)
    assert [r["key"] for r in result["rows"]] == ["Integral", "Subsid", "Mikron", "Texas Instruments", "Kalash Sub",
                                                  None, "Child"]  # fmt: skip
    integral = rows["Integral"]
    assert integral["listed_by"] == ["EU"] and integral["not_listed_by"] == ["GB", "JP", "US"]
    assert integral["designations"][0] == {
        "authority": "EU", "programme": "EU-UKR", "measure": "asset freeze", "listed_on": "2025-02-24",
        "date_kind": "listing", "via": "match", "listed_entity": "eu-integral",
        "source_url": "https://eur-lex.europa.eu/eli/reg/2014/269",
    }  # fmt: skip
    assert rows["Mikron"]["listed_by"] == []  # the match is not confirmed
    assert rows["Subsid"]["listed_by"] == ["GB"] and rows["Subsid"]["designations"][0]["via"] == "owner"
    assert rows["Kalash Sub"]["listed_by"] == []  # 49 % is not control
    assert rows["Child"]["listed_by"] == ["JP"] and rows["Child"]["designations"][0]["via"] == "owner"
    assert rows["Child"]["designations"][0]["owner"] == "Parent Corp"
    assert {k: rows["Subsid"]["designations"][0][k] for k in ("owner", "share")} == {"owner": "Parent Holding",
                                                                                   "share": 51.0}  # fmt: skip
    assert rows[None]["country"] is None and rows[None]["count"] == 2
    assert result["summary"]["EU"] == {"listed": 5, "not_listed": 13, "maker_unknown": 2}
    assert result["summary"]["GB"] == {"listed": 4, "not_listed": 14, "maker_unknown": 2}
    assert result["summary"]["US"] == {"listed": 0, "not_listed": 18, "maker_unknown": 2}


def test_coverage_reads_two_queries_whatever_the_number_of_makers(cab):
    def covered():
        with CaptureQueriesContext(connection) as captured:
            result = sanctions_coverage(filters=AnalyticsFilters(item=ITEM), as_of=dt.date(2026, 12, 2))
        return len(captured.captured_queries), result

    few, _ = covered()
    item = cab["Integral"].findings.first().item
    for n in range(5):
        maker = factories.ManufacturerFactory(name=f"Extra {n}", country="RU")
        factories.FindingFactory(item=item, manufacturer=maker, quantity=1)
        owner = factories.ManufacturerFactory(name=f"Extra owner {n}", country="RU")
        factories.OwnershipFactory(parent=owner, child=maker, start_on=dt.date(2020, 1, 1))
        designate(manufacturer=owner, authority="GB", program="GB-RUS")
        entity = listed(f"extra-{n}", f"Extra {n} JSC")
        designate(entity, authority="US", program="US-BIS-EL")
        confirm(maker, entity)
    # 1 the findings grouped by maker, with the makers' names; 1 the designations in force reaching a maker,
    # the authorities, and our ownerships (one UNION)
    many, result = covered()
    assert few == many == 2
    extra = by_key(result)["Extra 0"]
    assert extra["listed_by"] == ["GB", "US"] and [d["via"] for d in extra["designations"]] == ["owner", "match"]


def test_counts_agree_with_the_breakdown_by_manufacturer(cab):
    filters = AnalyticsFilters(item=ITEM)
    counts = {r["key"]: r["count"] for r in breakdown(filters=filters, by="manufacturer")["rows"]}
    assert {r["key"]: r["count"] for r in sanctions_coverage(filters=filters)["rows"]} == counts


def test_as_of_before_the_listing_and_after_a_delisting(cab):
    before = by_key(sanctions_coverage(filters=AnalyticsFilters(item=ITEM), as_of=dt.date(2025, 1, 1)))
    assert before["Integral"]["listed_by"] == []
    Designation.objects.filter(listed_entity__source_id="eu-integral").update(delisted_on=dt.date(2026, 6, 1))
    later = by_key(sanctions_coverage(filters=AnalyticsFilters(item=ITEM), as_of=dt.date(2026, 6, 1)))
    assert later["Integral"]["listed_by"] == []
    between = by_key(sanctions_coverage(filters=AnalyticsFilters(item=ITEM), as_of=dt.date(2025, 3, 1)))
    assert [d["programme"] for d in between["Integral"]["designations"]] == ["EU-UKR"]


def test_command_json_table_and_formula_safe_csv(cab):
    out = StringIO()
    call_command("sanctions_coverage", "--item", ITEM, "--as-of", "2026-12-02", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["summary"]["EU"]["listed"] == 5
    out = StringIO()
    call_command("sanctions_coverage", "--item", ITEM, "--as-of", "2026-12-02", stdout=out)
    table = out.getvalue()
    assert "designations in force on 2026-12-02" in table
    assert "since 2025-02-24 (listing; match)" in table and "listed (no date" not in table
    Designation.objects.filter(authority="US").update(program="=HYPERLINK()")
    odd = factories.ManufacturerFactory(name="=cmd|calc", country="RU")
    factories.FindingFactory(item=cab["Integral"].findings.first().item, manufacturer=odd, quantity=1)
    out = StringIO()
    call_command("sanctions_coverage", "--item", ITEM, "--format", "csv", "--unit", "parts", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1] == ["key", "label", "country", "count", "EU", "GB", "JP", "US"]
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["Integral"][3] == "1"  # one part type
    assert "'=cmd|calc" in by_name and "=cmd|calc" not in by_name
    assert rows[-3][1] == "units listed"


def test_command_rejects_bad_options(cab):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--item: No recovered item"):
        call_command("sanctions_coverage", "--item", "NOPE")


def test_api_partners_see_only_published_visible_items(world):
    maker = factories.ManufacturerFactory(name="Listed Maker", country="RU")
    entity = listed("eu-x", "Listed Maker JSC")
    designate(entity)
    confirm(maker, entity)
    visible = world.visible_references("partner_a")
    expected = sum(f.quantity for ref, item in world.items.items() if ref in visible for f in item.findings.all())
    response = world.client("partner_a").get("/api/v1/stats/sanctions/")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == expected and body["authorities"] == ["EU"]
    assert body["summary"]["EU"] == {"listed": 0, "not_listed": expected, "maker_unknown": 0}
    staff = world.client("staff").get("/api/v1/stats/sanctions/").json()
    assert staff["total"] > expected
    hidden = next(ref for ref in world.items if ref not in visible)
    refused = world.client("partner_a").get("/api/v1/stats/sanctions/", {"item": hidden})
    assert refused.status_code == 400 and refused.json()["errors"]["item"] == [f"No recovered item “{hidden}”."]
    assert world.client("anonymous").get("/api/v1/stats/sanctions/").status_code in (401, 403)


def test_api_manufacturers_carry_designations_in_constant_queries():
    partner = factories.OrganisationFactory(name="Partner")
    _key, raw = api_key_create(organisation=partner, name="k")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    for n in range(30):
        maker = factories.ManufacturerFactory(name=f"Maker {n}", country="RU")
        factories.DesignationFactory(manufacturer=maker)
        entity = listed(f"e{n}", f"Maker {n} JSC")
        designate(entity)
        confirm(maker, entity)
    client.get("/api/v1/manufacturers/")

    def count(size):
        django_cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/manufacturers/", {"page_size": size})
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()["results"]

    small, _ = count(5)
    large, results = count(30)
    assert small == large == 9
    first = results[0]["designations"]
    assert {(d["authority"], d["via"], d["listed_entity"]) for d in first} == {("US", "manual", None),
                                                                              ("EU", "match", "e0")}  # fmt: skip


def test_admin_analytics_page_has_a_sanctions_section(cab, admin_client):
    response = admin_client.get("/admin/provenance/analytics/", {"item": ITEM, "as_of": "2026-12-02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sanctions: who lists the makers (designations in force on 2026-12-02)" in html
    assert "since 2025-02-24 (listing; match)" in html
    assert response.context["sanctions"]["summary"]["EU"]["listed"] == 5
