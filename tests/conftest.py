"""Shared fixtures: a small world of users and organisations (owner, partner A, partner B, staff)."""

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: LocaleMiddleware leaves a request's language active in
    the thread after the response (e.g. Ukrainian after a request with `Accept-Language: uk`)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def internal_org(db):
    return factories.InternalOrganisationFactory()


@pytest.fixture
def staff_user(db):
    return factories.StaffUserFactory(username="analyst")


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client
