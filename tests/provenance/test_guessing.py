"""Guessing is not free (issue 16, item 10): failed admin logins lock the account out (django-axes), refused
API keys are throttled per client address, and every attempt is logged."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.test import Client, RequestFactory

from config.common.client_ip import client_ip
from provenance.models import AccessLog
from tests import factories
from tests.provenance.api_world import World, world_fixture  # noqa: F401

LOGIN = "/admin/login/"


@pytest.fixture
def admin_user(db):
    user = factories.StaffUserFactory(username="chief")
    user.set_password("the-right-password-42")
    user.save()
    return user


def _login(client: Client, password: str):
    return client.post(LOGIN, {"username": "chief", "password": password, "next": "/admin/"})


def test_wrong_admin_passwords_lock_the_account_out(admin_user, settings):
    client = Client()
    statuses = [_login(client, "guess").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form again, then locked out
    locked = _login(client, "the-right-password-42")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="chief").failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_a_right_password_after_a_few_wrong_ones_logs_in(admin_user, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "guess")
    response = _login(client, "the-right-password-42")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_wrong_api_keys_are_throttled_per_address_and_logged(world: World, settings):
    cache.clear()
    settings.API_BAD_KEY_PER_MINUTE = 5
    prefix = world.key_a.split(".")[0]
    guesser = Client(headers={"authorization": f"Bearer {prefix}.wrong-secret"}, REMOTE_ADDR="203.0.113.7")
    statuses = [guesser.get("/api/v1/findings/").status_code for _ in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    # The right key from the same address is refused too until the minute ends; other addresses are not held up.
    right_here = Client(headers={"authorization": f"Bearer {world.key_a}"}, REMOTE_ADDR="203.0.113.7")
    refused = right_here.get("/api/v1/findings/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    elsewhere = Client(headers={"authorization": f"Bearer {world.key_b}"}, REMOTE_ADDR="198.51.100.2")
    assert elsewhere.get("/api/v1/findings/").status_code == 200
    logged = list(
        AccessLog.objects.filter(client_ip="203.0.113.7").order_by("pk").values_list("status", "api_key", "path")
    )
    assert logged == [(401, None, "/api/v1/findings/")] * 5 + [(429, None, "/api/v1/findings/")] * 4


# --- the client's address behind a proxy ------------------------------------------------------------------


def test_a_spoofed_forwarded_for_from_an_untrusted_address_is_ignored(world: World, admin_user, settings):
    cache.clear()
    settings.API_BAD_KEY_PER_MINUTE = 5
    prefix = world.key_a.split(".")[0]
    # Every try claims another address: without trusted proxies the header changes nothing.
    statuses = [
        Client(
            headers={"authorization": f"Bearer {prefix}.wrong", "x-forwarded-for": f"198.51.100.{n}"},
            REMOTE_ADDR="203.0.113.7",
        )
        .get("/api/v1/findings/")
        .status_code
        for n in range(7)
    ]
    assert statuses == [401] * 5 + [429] * 2
    assert set(AccessLog.objects.values_list("client_ip", flat=True)) == {"203.0.113.7"}
    logins = [
        _login(Client(headers={"x-forwarded-for": f"198.51.100.{n}"}, REMOTE_ADDR="203.0.113.7"), "guess").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert logins[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_trusted_proxy_each_client_is_counted_and_logged_by_its_own_address(
    world: World, admin_user, settings
):
    cache.clear()
    settings.API_BAD_KEY_PER_MINUTE = 5
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    prefix = world.key_a.split(".")[0]

    def via_proxy(forwarded_for: str, **headers) -> Client:
        return Client(headers={"x-forwarded-for": forwarded_for, **headers}, REMOTE_ADDR="10.0.0.5")

    # The guesser writes its own "198.51.100.X" entry; the proxies (10.x) append the address they saw.
    guesses = [
        via_proxy(f"198.51.100.{n}, 203.0.113.9, 10.0.0.7", authorization=f"Bearer {prefix}.wrong")
        .get("/api/v1/findings/")
        .status_code
        for n in range(7)
    ]
    assert guesses == [401] * 5 + [429] * 2
    other = via_proxy("192.0.2.44", authorization=f"Bearer {world.key_b}").get("/api/v1/findings/")
    assert other.status_code == 200  # another client behind the same proxy is not held up
    logged = dict(AccessLog.objects.values_list("client_ip").annotate(n=Count("pk")))
    assert logged == {"203.0.113.9": 7, "192.0.2.44": 1}
    assert _login(via_proxy("203.0.113.9"), "guess").status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_a_trusted_proxy_that_is_not_an_address_is_a_clear_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES: 'proxy\.example'"):
        client_ip(request)
