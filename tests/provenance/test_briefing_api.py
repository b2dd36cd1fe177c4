"""Partner API for briefings: a partner's report counts only what the partner may see, and only it sees it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provenance.models import BriefingReport
from tests.provenance.api_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/briefings/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _expected_total(world, caller):
    return sum(
        item.findings.get().quantity for ref, item in world.items.items() if ref in world.visible_references(caller)
    )


@pytest.mark.parametrize("caller", ["partner_a", "partner_b", "staff"])
def test_report_counts_only_the_callers_visible_items(world, caller):
    response = world.client(caller).post(URL, {"weapon": "9M727", "formats": ["csv"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "done"
    report = BriefingReport.objects.get(pk=body["id"])
    expected = _expected_total(world, caller)
    assert f"total,{expected}" in report.csv.open("rb").read().decode("utf-8-sig")
    visible_tlps = {world.items[ref].tlp for ref in world.visible_references(caller)}
    order = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
    assert body["tlp"] == "TLP:" + max(visible_tlps, key=order.index)
    assert report.organisation == (None if caller == "staff" else getattr(world, caller))

    download = world.client(caller).get(body["files"]["csv"]["url"])
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "SECRET" not in text  # internal notes, site details and custody never reach a report


def test_partners_see_only_their_own_reports(world):
    mine = world.client("partner_a").post(URL, {"weapon": "9M727", "formats": ["csv"]}, content_type="application/json")
    report_id = mine.json()["id"]
    other = world.client("partner_b")
    assert other.get(f"{URL}{report_id}/").status_code == 404
    assert other.get(reverse("api:briefing-file", args=[report_id, "csv"])).status_code == 404
    assert other.get(URL).json() == []
    assert [r["id"] for r in world.client("partner_a").get(URL).json()] == [report_id]
    assert world.client("partner_a").get(f"{URL}{report_id}/").json()["data_digest"]


def test_hidden_items_cannot_be_probed(world):
    hidden = "RED-published-A"  # exists, but TLP:RED is never shared
    response = world.client("partner_a").post(URL, {"item": hidden}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"item": [f"No recovered item “{hidden}”."]}
    missing = world.client("partner_a").post(URL, {"item": "NOPE"}, content_type="application/json")
    assert missing.json()["errors"] == {"item": ["No recovered item “NOPE”."]}
    assert not BriefingReport.objects.exists()


def test_bad_parameters_get_per_field_errors(world):
    response = world.client("partner_a").post(
        URL, {"weapon": "9M999", "unit": "kg", "formats": ["docx"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"formats"}
    response = world.client("partner_a").post(URL, {"weapon": "9M999", "unit": "kg"}, content_type="application/json")
    assert set(response.json()["errors"]) == {"weapon", "unit"}


def test_anonymous_and_unsafe_methods_are_refused(world):
    assert Client().get(URL).status_code == 401
    assert Client().post(URL, {}, content_type="application/json").status_code == 401
    created = world.client("partner_a").post(URL, {"formats": ["csv"]}, content_type="application/json").json()
    assert world.client("partner_a").delete(f"{URL}{created['id']}/").status_code == 403


def test_list_query_count_does_not_grow(world):
    client = world.client("partner_a")
    client.post(URL, {"formats": ["csv"]}, content_type="application/json")
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(3):
        client.post(URL, {"formats": ["csv"]}, content_type="application/json")
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(URL).json()) == 4
    # key lookup, key touch, the reports page, the access log: the same for one report or four
    assert len(four.captured_queries) == len(one.captured_queries) <= 6


def test_the_schema_declares_every_file_format_a_client_can_download(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/briefings/{id}/{fmt}/"]["get"]
    fmt = next(parameter for parameter in operation["parameters"] if parameter["name"] == "fmt")
    assert sorted(fmt["schema"]["enum"]) == ["csv", "html", "pdf"]
    assert sorted(operation["responses"]["200"]["content"]) == ["application/pdf", "text/csv", "text/html"]
