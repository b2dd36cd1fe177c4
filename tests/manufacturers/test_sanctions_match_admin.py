"""The review queue: pending candidates with score, strength and reasons; confirm / reject keep who and when."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manufacturers.models import ListedEntity, SanctionMatch
from tests import factories

pytestmark = pytest.mark.django_db
URL = "admin:manufacturers_sanctionmatch_changelist"


def candidate(n, decision="pending", strong=False):
    maker = factories.ManufacturerFactory(name=f"Maker {n}", country="RU")
    entity = ListedEntity.objects.create(source_id=f"e{n}", schema="Company", caption=f"Listed {n} JSC", digest="d")
    decided = {"decided_at": "2026-01-01T00:00:00Z", "decided_via": "test"} if decision != "pending" else {}
    return SanctionMatch.objects.create(
        manufacturer=maker, listed_entity=entity, score=0.72, strong=strong, decision=decision,
        reasons=[f"name 'Maker {n}' ~ listed name 'Listed {n} JSC': similarity 0.80", "names differ"], **decided,
    )  # fmt: skip


def test_queue_shows_pending_candidates_with_reasons_in_constant_queries(admin_client):
    candidate(0)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse(URL))
    for n in range(1, 20):
        candidate(n)
    candidate(99, decision="rejected")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(reverse(URL))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Listed 5 JSC (e5)" in page and "similarity 0.80" in page
    assert "Listed 99 JSC" not in page  # rejected: not in the queue
    assert len(many.captured_queries) == len(few.captured_queries)
    rejected = admin_client.get(reverse(URL), {"decision": "rejected"}).content.decode()
    assert "Listed 99 JSC" in rejected and "Listed 5 JSC" not in rejected


def test_confirm_and_reject_record_who_and_when(admin_client, staff_user):
    first, second = candidate(1), candidate(2)
    for action, match in (("confirm", first), ("reject", second)):
        response = admin_client.post(reverse(URL), {"action": action, "_selected_action": [match.pk]}, follow=True)
        assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, first.decided_by, first.decided_via) == ("confirmed", staff_user, "admin")
    assert (second.decision, second.decided_by) == ("rejected", staff_user)
    assert first.decided_at and second.decided_at
    assert first.history.count() == 2  # created, then decided


def test_a_viewer_without_change_permission_cannot_decide(client):
    from django.contrib.auth.models import Permission

    viewer = factories.StaffUserFactory(username="viewer", is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_sanctionmatch"))
    client.force_login(viewer)
    match = candidate(3)
    response = client.post(reverse(URL), {"action": "confirm", "_selected_action": [match.pk]})
    match.refresh_from_db()
    assert match.decision == "pending"
    assert response.status_code in (200, 302, 403)
