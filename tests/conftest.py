"""Shared fixtures: a small world of users and organisations (owner, partner A, partner B, staff)."""

import pytest

from tests import factories


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
