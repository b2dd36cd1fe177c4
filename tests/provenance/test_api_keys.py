"""Key hygiene, throttling, the access log and errors: what a partner (or an attacker) sees."""

import datetime as dt
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from provenance.models import AccessLog, OrganisationAPIKey
from provenance.services.sharing import access_log_record, api_key_create, api_key_revoke
from tests import factories
from tests.provenance.api_world import World, world_fixture  # noqa: F401


def _bearer(key: str) -> Client:
    return Client(headers={"authorization": f"Bearer {key}"})


def _every_stored_value() -> str:
    """Every value of every row of every table, as one text (the test database is small)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_the_raw_key_is_never_stored(world: World):
    _bearer(world.key_a).get("/api/v1/findings/")  # also writes last_used_at and an access-log row
    prefix, secret = world.key_a.split(".")
    stored = _every_stored_value()
    assert prefix in stored  # the lookup prefix is stored, by design
    assert secret not in stored
    assert world.key_a not in stored
    api_key = OrganisationAPIKey.objects.get(prefix=prefix)
    assert api_key.hashed_key.startswith("sha512$$")


def test_create_api_key_command_prints_the_key_once(db, capsys):
    organisation = factories.OrganisationFactory(name="Researchers Ltd")
    call_command("create_api_key", "--org", "researchers ltd", "--expires", "2099-12-31", "--name", "bulk reader")
    out, err = capsys.readouterr()
    raw_key = out.strip()
    api_key = OrganisationAPIKey.objects.get(organisation=organisation)
    assert raw_key.startswith(api_key.prefix + ".")
    assert api_key.name == "bulk reader"
    assert api_key.expiry_date == dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    assert "cannot be shown again" in err
    assert raw_key not in err
    assert _bearer(raw_key).get("/api/v1/weapon-models/").status_code == 200


def test_create_api_key_command_refuses_an_unknown_organisation_or_a_bad_date(db):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_api_key", "--org", "Nobody")
    factories.OrganisationFactory(name="Partner")
    with pytest.raises(CommandError, match="must be a date"):
        call_command("create_api_key", "--org", "Partner", "--expires", "next week")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer abc.def",
        "Bearer a b",
        "Bearer",
        "Api-Key whatever",
    ],
)
def test_malformed_or_unknown_keys_are_refused(world: World, header: str):
    response = Client(headers={"authorization": header}).get("/api/v1/findings/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(world: World):
    prefix = world.key_a.split(".")[0]
    assert _bearer(f"{prefix}.{'x' * 32}").get("/api/v1/findings/").status_code == 401


def test_expired_and_revoked_keys_are_refused(world: World):
    expired, expired_key = api_key_create(
        organisation=world.partner_a, name="old", expires=timezone.now() + dt.timedelta(seconds=60)
    )
    OrganisationAPIKey.objects.filter(pk=expired.pk).update(expiry_date=timezone.now() - dt.timedelta(seconds=1))
    response = _bearer(expired_key).get("/api/v1/findings/")
    assert response.status_code == 401
    assert response.json() == {"detail": "API key has expired."}

    client = _bearer(world.key_b)
    assert client.get("/api/v1/findings/").status_code == 200
    api_key_revoke(api_key=OrganisationAPIKey.objects.get(prefix=world.key_b.split(".")[0]))
    assert client.get("/api/v1/findings/").status_code == 401


def test_last_used_at_is_recorded_at_most_once_a_minute(world: World, django_assert_num_queries):
    api_key = OrganisationAPIKey.objects.get(prefix=world.key_a.split(".")[0])
    assert api_key.last_used_at is None
    client = _bearer(world.key_a)
    client.get("/api/v1/parts/")
    api_key.refresh_from_db()
    first = api_key.last_used_at
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=30)
    # The same request again, from the response cache: 1 key lookup, 1 data version, 1 access-log INSERT, and
    # no second UPDATE of the key.
    with django_assert_num_queries(3):
        client.get("/api/v1/parts/")
    api_key.refresh_from_db()
    assert api_key.last_used_at == first
    OrganisationAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/v1/parts/")
    api_key.refresh_from_db()
    assert api_key.last_used_at > first


def test_partner_keys_are_read_only(world: World):
    client = _bearer(world.key_a)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/weapon-models/", data={}, content_type="application/json")
        assert response.status_code == 403, method
        assert "detail" in response.json()
    # Staff get 405: the API has no write operations at all.
    assert world.client("staff").post("/api/v1/weapon-models/", {}).status_code in (403, 405)


def test_throttling_per_key_answers_429_with_retry_after(world: World, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner": "3/minute"}}
    client_a = _bearer(world.key_a)
    for _ in range(3):
        assert client_a.get("/api/v1/weapon-models/").status_code == 200
    response = client_a.get("/api/v1/weapon-models/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"]
    # Another partner's key has its own budget.
    assert _bearer(world.key_b).get("/api/v1/weapon-models/").status_code == 200
    # Staff sessions are not throttled.
    for _ in range(5):
        assert world.client("staff").get("/api/v1/weapon-models/").status_code == 200
    assert AccessLog.objects.filter(status=429, organisation=world.partner_a).count() == 1


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _require_redis() -> None:
    if not _redis_reachable(REDIS_URL):
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI starts it)")
        pytest.skip(f"no Redis at {REDIS_URL}")


REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}


def test_throttle_counts_live_in_a_shared_cache_that_every_worker_sees(world: World, settings):
    _require_redis()
    settings.CACHES = REDIS_CACHE
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner": "2/minute"}}
    import redis
    from django.core.cache import cache

    cache.clear()
    prefix = world.key_a.split(".")[0]
    client_a = _bearer(world.key_a)
    assert [client_a.get("/api/v1/weapon-models/").status_code for _ in range(3)] == [200, 200, 429]
    # Another worker has its own connection to the same Redis: it sees this key's three requests.
    other_worker = redis.Redis.from_url(REDIS_URL)
    counters = other_worker.keys(f"*throttle:partner:{prefix}:*")
    assert [int(other_worker.get(key)) for key in counters] == [3]
    assert 0 < other_worker.ttl(counters[0]) <= 61
    cache.clear()


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_concurrent_requests_of_one_key_are_all_counted(backend, settings):
    """32 threads at once, 8 requests each, a limit of 100: exactly 100 pass, whatever the interleaving
    (DRF's own throttle, which reads, appends to and writes back a history, let all 256 through on Redis)."""
    if backend == "redis":
        _require_redis()
        settings.CACHES = REDIS_CACHE
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner": "100/hour"}}
    from django.core.cache import cache

    from provenance.api.throttling import PartnerKeyRateThrottle

    cache.clear()
    request = SimpleNamespace(auth=OrganisationAPIKey(prefix=f"concurrent-{backend}"))
    barrier = threading.Barrier(32)

    def burst() -> list[bool]:
        barrier.wait()
        return [PartnerKeyRateThrottle().allow_request(request, None) for _ in range(8)]

    with ThreadPoolExecutor(max_workers=32) as pool:
        allowed = [ok for results in pool.map(lambda _: burst(), range(32)) for ok in results]
    assert allowed.count(True) == 100
    cache.clear()


def test_every_partner_request_is_logged(world: World):
    client = _bearer(world.key_a)
    item = world.items["CLEAR-published-none"]
    hidden = world.items["RED-published-none"]
    client.get("/api/v1/findings/", {"weapon": "9M727", "page_size": 2})
    client.get(f"/api/v1/recovered-items/{item.pk}/")
    client.get(f"/api/v1/recovered-items/{hidden.pk}/")
    client.get("/api/v1/stats/breakdown/", {"weapon": "9M727"})
    client.get("/api/v1/findings/", {"produced_from": "soon"})
    world.client("staff").get("/api/v1/findings/")  # staff sessions are not partner requests
    rows = list(AccessLog.objects.order_by("pk").values_list("method", "path", "query", "status", "records"))
    assert rows == [
        ("GET", "/api/v1/findings/", "weapon=9M727&page_size=2", 200, 2),
        ("GET", f"/api/v1/recovered-items/{item.pk}/", "", 200, 1),
        ("GET", f"/api/v1/recovered-items/{hidden.pk}/", "", 404, 0),
        ("GET", "/api/v1/stats/breakdown/", "weapon=9M727", 200, 1),
        ("GET", "/api/v1/findings/", "produced_from=soon", 400, 0),
    ]
    assert set(AccessLog.objects.values_list("organisation__name", flat=True)) == {"Partner A"}
    assert AccessLog.objects.filter(api_key__prefix=world.key_a.split(".")[0]).count() == 5


def test_errors_are_json_with_a_detail(world: World):
    client = _bearer(world.key_a)
    bad_filter = client.get("/api/v1/findings/", {"produced_from": "soon", "manufacturer": "-3"})
    assert bad_filter.status_code == 400
    assert bad_filter.json()["detail"] == "Invalid request parameters."
    assert set(bad_filter.json()["errors"]) == {"produced_from", "manufacturer"}
    bad_stats = client.get("/api/v1/stats/breakdown/", {"by": "colour", "weapon": "9X999", "from": "yesterday"})
    assert bad_stats.status_code == 400
    assert set(bad_stats.json()["errors"]) == {"by", "weapon", "from"}
    missing = client.get("/api/v1/findings/999999/")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}
    assert client.get("/api/v1/findings/", {"page": 150}).status_code == 404  # past the last page
    too_deep = client.get("/api/v1/findings/", {"page": 999})  # 49,950 rows deep: over API_MAX_PAGE_DEPTH
    assert too_deep.status_code == 400 and "narrow the filters" in too_deep.json()["errors"]["page"][0]
    html = client.get("/api/v1/findings/", headers={"accept": "text/html"})
    assert html.status_code == 406
    assert html["Content-Type"] == "application/json"


def test_page_size_is_capped(world: World):
    item = world.items["CLEAR-published-none"]
    maker = factories.ManufacturerFactory(name="Analog Devices")
    for n in range(505):
        factories.FindingFactory.build(item=item, manufacturer=maker, line_no=100 + n).save()
    response = _bearer(world.key_a).get("/api/v1/findings/", {"page_size": 10_000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 500
    assert response.json()["count"] > 500


def test_no_cors_headers_by_default(world: World):
    response = _bearer(world.key_a).get("/api/v1/findings/", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_admin_shows_a_new_key_once_and_revokes(world: World, admin_client):
    response = admin_client.post(
        "/admin/provenance/organisationapikey/add/",
        {"organisation": world.partner_b.pk, "name": "from the admin", "expiry_date_0": "", "expiry_date_1": ""},
    )
    assert response.status_code == 302, response.content
    api_key = OrganisationAPIKey.objects.get(name="from the admin")
    message = next(str(m) for m in get_messages(response.wsgi_request))
    raw_key = message.split("is: ")[1].split(". ")[0]
    assert raw_key.startswith(api_key.prefix + ".")
    assert _bearer(raw_key).get("/api/v1/parts/").status_code == 200
    change_url = f"/admin/provenance/organisationapikey/{api_key.pk}/change/"
    assert raw_key in admin_client.get(change_url).content.decode()  # the message, on the next page
    assert raw_key not in admin_client.get(change_url).content.decode()  # and never again
    admin_client.post(
        "/admin/provenance/organisationapikey/",
        {"action": "revoke_keys", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    assert api_key.revoked
    assert _bearer(raw_key).get("/api/v1/parts/").status_code == 401


def test_a_keys_history_shows_who_revoked_it_and_cannot_bring_it_back(world: World, admin_client, staff_user):
    api_key, raw_key = api_key_create(organisation=world.partner_b, name="to revoke")
    admin_client.post(
        "/admin/provenance/organisationapikey/",
        {"action": "revoke_keys", "_selected_action": [api_key.pk]},
    )
    history = list(api_key.history.order_by("history_date").values_list("history_type", "revoked", "history_user"))
    assert history == [("+", False, None), ("~", True, staff_user.pk)]
    page = admin_client.get(f"/admin/provenance/organisationapikey/{api_key.pk}/history/").content.decode()
    assert "Changed" in page and staff_user.username in page

    created = api_key.history.earliest("history_date")
    version_url = f"/admin/provenance/organisationapikey/{api_key.pk}/history/{created.history_id}/"
    assert "Revert" not in admin_client.get(version_url).content.decode()
    response = admin_client.post(version_url, {"name": "to revoke", "expiry_date_0": "", "expiry_date_1": ""})

    assert response.status_code == 403
    api_key.refresh_from_db()
    assert api_key.revoked
    assert _bearer(raw_key).get("/api/v1/parts/").status_code == 401


def test_admin_access_log_is_read_only_and_filterable(world: World, admin_client):
    _bearer(world.key_a).get("/api/v1/findings/")
    _bearer(world.key_b).get("/api/v1/findings/999999/")
    listing = admin_client.get("/admin/provenance/accesslog/", {"status": "404"})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    by_org = admin_client.get(
        "/admin/provenance/accesslog/", {"organisation__id__exact": world.partner_a.pk, "endpoint": "findings"}
    )
    assert by_org.context["cl"].result_count == 1
    assert admin_client.get("/admin/provenance/accesslog/add/").status_code == 403
    row = AccessLog.objects.first()
    assert admin_client.post(f"/admin/provenance/accesslog/{row.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_access_logs_asynchronous_commit_does_not_leak_into_other_writes():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    key = factories.OrganisationAPIKeyFactory()
    with CaptureQueriesContext(connection) as captured:
        row = access_log_record(api_key=key, method="GET", path="/api/v1/parts/", query="", status=200, records=1)
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements[:2] == ["BEGIN", "SET LOCAL synchronous_commit TO OFF"], statements
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert AccessLog.objects.get(pk=row.pk).records == 1
