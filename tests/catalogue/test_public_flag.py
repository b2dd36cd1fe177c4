"""The stored public flag (`Finding.public`) agrees with the visibility rule (`items_public`) after every write
the services make: review transitions, TLP changes, new, moved and deleted lines, a teardown-style bulk
change; and the catalogue refuses to serve when a write bypassed them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.models import Finding, RecoveredItem
from provenance.models.items import TLP
from provenance.selectors.visibility import findings_public, findings_public_flag_leaks, items_public
from provenance.services.findings import findings_delete, findings_save, recovered_item_save
from provenance.services.public_flag import findings_public_sync
from provenance.services.workflow import ACTIONS, TransitionRefused, item_content_changed, item_transition
from tests import factories

pytestmark = pytest.mark.django_db

REACHED = {"checks": 0, "public_lines_seen": 0, "transitions_done": 0}

# Starting states, public ones more often (a sequence must have something to hide).
STATUSES = st.sampled_from(["published", "draft", "published", "submitted", "verified"])
TLPS = st.sampled_from(["CLEAR", "RED", "CLEAR", "GREEN", "AMBER"])
# One step of a sequence: (what, which item, argument).
STEPS = st.one_of(
    st.tuples(st.just("transition"), st.integers(0, 1), st.sampled_from(sorted(ACTIONS))),
    st.tuples(st.just("tlp"), st.integers(0, 1), st.sampled_from(TLP.values)),
    st.tuples(st.just("add line"), st.integers(0, 1), st.none()),
    st.tuples(st.just("move line"), st.integers(0, 1), st.none()),
    st.tuples(st.just("delete line"), st.integers(0, 1), st.none()),
    st.tuples(st.just("facts changed"), st.integers(0, 1), st.none()),
)


def _assert_flag_agrees_with_rule() -> None:
    by_flag = set(findings_public().values_list("pk", flat=True))
    by_rule = set(Finding.objects.filter(item__in=items_public()).values_list("pk", flat=True))
    assert by_flag == by_rule
    assert not findings_public_flag_leaks()
    REACHED["checks"] += 1
    REACHED["public_lines_seen"] += len(by_flag)


def _apply(step, items, users) -> None:
    kind, index, argument = step
    item = RecoveredItem.objects.get(pk=items[index].pk)
    other = RecoveredItem.objects.get(pk=items[1 - index].pk)
    if kind == "transition":
        # Whoever may do it: a reviewer who neither submitted the item nor last changed its lines.
        busy = {item.submitted_by_id, item.findings_changed_by_id}
        user = next(u for u in users if u.pk not in busy)
        try:
            item_transition(item=item, action=argument, user=user)
            REACHED["transitions_done"] += 1
        except TransitionRefused:
            pass
    elif kind == "tlp":
        item.tlp = argument
        recovered_item_save(item=item, user=users[0])
    elif kind == "add line":
        findings_save(item=item, findings=[Finding(country="RU", quantity=2)], user=users[0])
    elif kind == "move line":
        line = other.findings.first()
        if line is not None:
            findings_save(item=item, findings=[line], user=users[1])
    elif kind == "delete line":
        findings_delete(findings=list(item.findings.all()[:1]), user=users[2])
    else:
        item_content_changed(item=item, user=users[0], findings=False)


@pytest.fixture
def cast(db):
    users = [factories.UserFactory(is_staff=True, is_superuser=True) for _ in range(3)]
    return users


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.lists(st.tuples(STATUSES, TLPS), min_size=2, max_size=2),
    steps=st.lists(STEPS, min_size=1, max_size=12),
)
def test_flag_agrees_with_the_rule_after_every_step(cast, start, steps):
    with transaction.atomic():
        items = [factories.RecoveredItemFactory(status=status, tlp=tlp) for status, tlp in start]
        for item in items:
            factories.FindingFactory.create_batch(2, item=item)
        _assert_flag_agrees_with_rule()
        for step in steps:
            _apply(step, items, cast)
            _assert_flag_agrees_with_rule()
        transaction.set_rollback(True)


def test_the_property_test_reached_public_lines_and_transitions():
    """Run after the property test (same module, file order): it checked often, and saw public lines."""
    if REACHED["checks"] == 0:
        pytest.skip("run together with the property test")
    print(f"flag checks: {REACHED}")
    assert REACHED["checks"] >= 80
    assert REACHED["public_lines_seen"] > 0
    assert REACHED["transitions_done"] > 0


def test_publishing_shows_the_lines_and_a_red_label_hides_them(cast):
    reviewer = cast[0]
    item = factories.RecoveredItemFactory(status="verified", tlp="CLEAR")
    lines = factories.FindingFactory.create_batch(3, item=item)
    assert not findings_public().exists()
    item_transition(item=item, action="publish", user=reviewer)
    assert set(findings_public()) == set(lines)
    item.tlp = TLP.RED
    recovered_item_save(item=item, user=reviewer)
    assert not findings_public().exists()


def test_a_write_that_bypasses_the_services_stops_the_catalogue_until_repaired(client, cast):
    cache.clear()
    item = factories.RecoveredItemFactory(status="published", tlp="CLEAR")
    factories.FindingFactory(item=item, marking="ONCE-PUBLIC")
    assert "ONCE-PUBLIC" in client.get("/en/components/").content.decode()
    RecoveredItem.objects.filter(pk=item.pk).update(tlp=TLP.RED)  # no service: the flag stays set
    assert findings_public_flag_leaks()
    response = client.get("/en/components/")
    assert response.status_code == 503 and "ONCE-PUBLIC" not in response.content.decode()
    assert client.get(f"/en/components/{item.findings.get().pk}/").status_code == 503
    call_command("public_flags")
    assert not findings_public_flag_leaks()
    response = client.get("/en/components/")
    assert response.status_code == 200 and "ONCE-PUBLIC" not in response.content.decode()


def test_sync_writes_only_the_lines_that_change(cast):
    item = factories.RecoveredItemFactory(status="published", tlp="CLEAR")
    factories.FindingFactory.create_batch(4, item=item)
    assert findings_public_sync(item_ids=[item.pk]) == 0
    Finding.objects.filter(item=item).update(public=False)
    assert findings_public_sync() == 4


def test_a_public_line_moved_to_a_draft_sample_is_no_longer_public(cast):
    public = factories.RecoveredItemFactory(status="published", tlp="CLEAR")
    draft = factories.RecoveredItemFactory(status="draft", tlp="CLEAR")
    line = factories.FindingFactory(item=public, marking="MOVED")
    assert findings_public().filter(pk=line.pk).exists()
    findings_save(item=draft, findings=[line], user=cast[0])
    assert not findings_public().filter(marking="MOVED").exists()
