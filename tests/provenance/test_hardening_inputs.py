"""Bad input answered with a 400 and a message, never a 500 (issue 16, item 9); stored files only through
permission checks and no URL list on a 404 (item 11); headers (item 12); the smaller ones of item 13."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from provenance.models import BriefingReport, OrganisationAPIKey
from provenance.services.findings import evidence_file_store
from tests import factories
from tests.provenance.api_world import World, world_fixture  # noqa: F401

# --- item 9: 500s from bad input ----------------------------------------------------------------------------


def test_a_nul_byte_in_a_briefing_title_is_a_400(world: World):
    response = world.client("partner_a").post(
        "/api/v1/briefings/", {"title": "a\u0000b", "formats": ["csv"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["Must not contain NUL characters."]
    assert not BriefingReport.objects.exists()


@pytest.mark.parametrize("endpoint", ["findings", "manufacturers", "recovered-items"])
def test_a_nul_byte_in_a_query_is_a_400(world: World, endpoint: str):
    response = world.client("partner_a").get(f"/api/v1/{endpoint}/", {"search": "a\u0000b"})
    assert response.status_code == 400
    assert response.json()["errors"]["search"] == ["Must not contain NUL characters."]


def test_a_thousand_search_terms_are_a_400(world: World):
    terms = " ".join(f"t{n}" for n in range(1000))
    response = world.client("partner_a").get("/api/v1/findings/", {"search": terms})
    assert response.status_code == 400
    assert response.json()["errors"]["search"] == ["At most 10 search terms."]
    assert world.client("partner_a").get("/api/v1/findings/", {"search": "a b c"}).status_code == 200


def test_a_dollar_in_a_maker_name_does_not_break_the_charts(admin_client, db):
    weapon = factories.WeaponModelFactory(designation="9M727")
    item = factories.RecoveredItemFactory(weapon_model=weapon, recovered_on=dt.date(2025, 1, 1))
    maker = factories.ManufacturerFactory(name="Bad $\\undefinedmacro$ Devices", country="US")
    factories.FindingFactory(item=item, manufacturer=maker, quantity=3)
    response = admin_client.get("/admin/provenance/analytics/", {"weapon": "9M727", "by": "manufacturer"})
    assert response.status_code == 200
    assert "Bad $\\undefinedmacro$ Devices" in response.content.decode()


# --- item 11: stored files only through permission checks ---------------------------------------------------


@pytest.fixture
def evidence(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = factories.RecoveredItemFactory()
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 secret photo", content_type="image/jpeg")
    return evidence_file_store(file=upload, item=item, uploaded_by=None)


def test_evidence_is_not_served_without_login(evidence, client):
    url = evidence.file.url
    assert url.startswith("/media/evidence/")
    assert client.get(url).status_code == 404
    staff = Client()
    staff.force_login(factories.UserFactory(username="plain-staff", is_staff=True))
    assert staff.get(url).status_code == 404  # staff without view_evidencefile
    user = factories.UserFactory._meta.model.objects.get(username="plain-staff")
    user.user_permissions.add(Permission.objects.get(codename="view_evidencefile"))
    response = staff.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 secret photo"
    assert response["Content-Disposition"].startswith("attachment")


def test_briefing_files_under_media_need_the_view_permission(world: World, client):
    created = world.client("partner_a").post(
        "/api/v1/briefings/", {"formats": ["html"]}, content_type="application/json"
    )
    report = BriefingReport.objects.get(pk=created.json()["id"])
    url = report.html.url
    assert client.get(url).status_code == 404
    assert world.client("partner_b").get(url).status_code == 404
    assert world.staff_client.get(url).status_code == 200


def test_the_404_page_does_not_list_the_urls(client, db):
    from django.conf import settings

    assert settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"admin/" not in response.content and b"URLconf" not in response.content


def test_the_local_default_has_debug_off(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.delenv("DEBUG", raising=False)
    assert importlib.reload(base).DEBUG is False


# --- item 12: headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["findings/", "stats/breakdown/", "briefings/"])
def test_api_responses_are_not_stored(world: World, endpoint: str):
    client = world.client("partner_a")
    for _ in range(2):  # a miss, then a hit of the response cache
        response = client.get(f"/api/v1/{endpoint}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_the_admin_sends_a_content_security_policy(admin_client):
    response = admin_client.get("/admin/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


# --- item 13: the smaller ones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "Unknown country code “ZZ”: give an ISO alpha-2 code such as US."),
        ({"weapon": "NOPE"}, "weapon", "No weapon model or alias “NOPE”."),
        ({"colour": "red"}, "colour", "Unknown parameter"),
    ],
)
def test_typos_in_filters_are_a_400(world: World, params: dict, field: str, message: str):
    response = world.client("partner_a").get("/api/v1/findings/", params)
    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)
    assert world.client("partner_a").get("/api/v1/findings/", {"country": "us", "weapon": "9M727"}).status_code == 200


def test_the_api_root_answers_json(world: World):
    response = world.client("partner_a").get("/api/v1/")
    assert response.status_code == 404
    assert "/api/docs/" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_load_nothing_from_other_sites(client, db, url: str):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page
    assert "<script>" not in page  # no inline script: the CSP allows only this site's files


def test_an_api_key_that_expired_before_it_was_made_is_refused(db):
    factories.OrganisationFactory(name="Partner NGO")
    with pytest.raises(CommandError, match="in the past"):
        call_command("create_api_key", "--org", "Partner NGO", "--expires", "2020-01-01", stdout=io.StringIO())
    assert not OrganisationAPIKey.objects.exists()


def test_the_briefing_admin_page_shows_line_breaks_not_br(admin_client, db):
    created = admin_client.post(
        "/api/v1/briefings/", {"weapon": "", "formats": ["csv", "html"]}, content_type="application/json"
    )
    report = BriefingReport.objects.get(pk=created.json()["id"])
    page = admin_client.get(reverse("admin:provenance_briefingreport_change", args=[report.pk])).content.decode()
    assert "&lt;br&gt;" not in page
    assert "<br>" in page


def test_the_owner_is_named_only_when_it_chose_so(world: World):
    item = world.items["CLEAR-published-none"]

    def owner_seen_by(caller: str) -> str | None:
        return world.client(caller).get(f"/api/v1/recovered-items/{item.pk}/").json()["owner"]

    assert owner_seen_by("partner_a") is None
    assert owner_seen_by("staff") == "Internal"
    world.internal.named_as_owner = True
    world.internal.save()
    assert owner_seen_by("partner_a") == "Internal"
    owned = world.items["B-OWNED-AMBER"]
    assert world.client("partner_b").get(f"/api/v1/recovered-items/{owned.pk}/").json()["owner"] == "Partner B"


# --- item 5: what a partner may cost -------------------------------------------------------------------------


def test_a_partner_cannot_queue_more_than_its_quota_of_briefings(world: World, settings):
    from provenance.models import BriefingReport as Report

    settings.BRIEFING_QUEUE_PER_ORGANISATION = 2
    for _ in range(2):  # queued, as a worker would find them
        Report.objects.create(organisation=world.partner_a, parameters={}, title="waiting")
    response = world.client("partner_a").post(
        "/api/v1/briefings/", {"formats": ["csv"]}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.BRIEFING_QUEUE_RETRY_AFTER)
    assert "2 briefings of your organisation" in response.json()["detail"]
    # Another organisation is not held up.
    other = world.client("partner_b").post("/api/v1/briefings/", {"formats": ["csv"]}, content_type="application/json")
    assert other.status_code == 201


@pytest.mark.django_db(transaction=True)  # a cancelled statement aborts the enclosing transaction
def test_a_slow_partner_query_is_stopped_and_the_timeout_stays_with_partners(world: World, settings, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    import provenance.api.views as views

    def slow_breakdown(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        return {}

    settings.API_PARTNER_STATEMENT_TIMEOUT_MS = 200
    monkeypatch.setattr(views, "breakdown", slow_breakdown)
    response = world.client("partner_a").get("/api/v1/stats/breakdown/")
    assert response.status_code == 503
    assert "narrow the filters" in response.json()["detail"]
    # A staff request afterwards runs with the server's default.
    monkeypatch.undo()
    assert world.staff_client.get("/admin/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
