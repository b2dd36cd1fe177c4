"""Partner API for briefings: a partner's report counts only what the partner may see, and only it sees it."""

import hashlib

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
    assert body["tlp"] == max(visible_tlps, key=order.index)  # the label as items carry it ("AMBER", not "TLP:AMBER")
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
    assert set(response.json()["errors"]) == {"formats", "weapon", "unit"}  # every message at once
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


def test_the_body_is_typed_and_unknown_keys_are_refused(world):
    body = {"weapon": ["9M727"], "foreign_only": "maybe", "formats": "pdf", "from": 20240101, "colour": "red"}
    response = world.client("partner_a").post(URL, body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"weapon", "foreign_only", "formats", "from", "colour"}
    takes = "Unknown parameter; this endpoint takes: as_of, attribution, family, foreign_only, formats, from, "
    assert errors["colour"][0].startswith(takes)
    assert errors["from"] == ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    not_an_object = world.client("partner_a").post(URL, ["weapon"], content_type="application/json")
    assert not_an_object.status_code == 400
    assert not BriefingReport.objects.exists()


def test_a_bad_value_gets_the_message_the_statistics_give(world):
    client = world.client("partner_a")
    body = {"unit": "kg", "attribution": "ceo", "to": "2024-02-30", "language": "de"}
    posted = client.post(URL, body, content_type="application/json").json()["errors"]
    asked = client.get("/api/v1/stats/breakdown/", {"unit": "kg", "attribution": "ceo", "to": "2024-02-30"}).json()
    for name in ("unit", "attribution", "to"):
        assert posted[name] == asked["errors"][name]
    assert posted["language"] == ["Choose one of: uk, en."]


def test_a_report_shows_its_parameters_and_files(world):
    client = world.client("partner_a")
    body = {"weapon": "9M727", "foreign_only": True, "from": "2020-01-01", "status": "any", "formats": ["csv", "html"]}
    created = client.post(URL, body, content_type="application/json").json()
    report = BriefingReport.objects.get(pk=created["id"])
    shown = client.get(f"{URL}{report.pk}/").json()
    assert shown == created
    parameters = shown["parameters"]
    assert (parameters["weapon"], parameters["foreign_only"], parameters["date_from"]) == ("9M727", True, "2020-01-01")
    assert parameters["status"] == "published"  # a partner counts published items, whatever it asks for
    assert parameters["formats"] == ["html", "csv"]
    assert shown["files"] == {
        "html": {"url": f"http://testserver/api/v1/briefings/{report.pk}/html/", "sha256": report.html_sha256},
        "csv": {"url": f"http://testserver/api/v1/briefings/{report.pk}/csv/", "sha256": report.csv_sha256},
    }


def test_the_admin_and_the_api_serve_a_file_alike(world):
    staff = world.client("staff")
    created = staff.post(URL, {"formats": ["csv", "html"]}, content_type="application/json").json()
    for fmt in ("csv", "html"):
        api = staff.get(created["files"][fmt]["url"])
        admin = staff.get(reverse("admin:provenance_briefingreport_download", args=[created["id"], fmt]))
        assert api.status_code == admin.status_code == 200
        for header in ("Content-Type", "Content-Disposition", "Content-Security-Policy", "X-Content-Type-Options"):
            assert api[header] == admin[header], header
        content = b"".join(api.streaming_content)
        assert content == b"".join(admin.streaming_content)
        assert hashlib.sha256(content).hexdigest() == created["files"][fmt]["sha256"]
    assert api["Content-Disposition"].startswith("inline")  # the HTML opens in the browser, under its policy
    assert "default-src 'none'" in api["Content-Security-Policy"]
    assert staff.get(f"{URL}{created['id']}/pdf/").status_code == 404  # not rendered
    assert staff.get(f"{URL}{created['id']}/docx/").status_code == 404
