"""The review workflow: roles × actions, four eyes, reviewed items reopened by a change, TLP and sharing rules,
status in the numbers, and the property that no user alone gets an item published."""

import contextlib
import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance.models import Finding, ItemTransition, RecoveredItem
from provenance.roles import ROLES, roles_sync
from provenance.services.findings import findings_save
from provenance.services.teardown import teardown_import
from provenance.services.workflow import ACTIONS, TransitionRefused, item_transition, sharing_change_errors
from tests import factories

pytestmark = pytest.mark.django_db

Status = RecoveredItem.Status

# What each role may do (superuser: everything). The table the matrix checks the groups against.
ALLOWED = {
    "analyst": {"submit_for_review"},
    "reviewer": {"verify", "return_to_draft"},
    "publisher": {"publish", "return_to_draft"},
    "partner liaison": set(),
    "viewer": set(),
    "superuser": set(ACTIONS),
}


@pytest.fixture
def roles(db):
    roles_sync()  # the migration made them; a transactional test before this one may have flushed them


def person(username: str, *role_names: str, superuser: bool = False):
    user = factories.UserFactory(username=username, is_staff=True, is_superuser=superuser)
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


def item_in(status: str, **kwargs) -> RecoveredItem:
    return factories.RecoveredItemFactory(status=status, tlp="AMBER", **kwargs)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(ALLOWED))
def test_role_action_matrix_in_the_admin_list(client, roles, role, action):
    """Every role × every action, through the recovered-items list's action with a comment."""
    user = (
        person("actor", role, superuser=role == "superuser") if role != "superuser" else person("actor", superuser=True)
    )
    submitter = person("submitter", "analyst")
    start = ACTIONS[action].sources[0]
    item = item_in(start, submitted_by=submitter)
    client.force_login(user)
    response = client.post(
        reverse("admin:provenance_recovereditem_changelist"),
        {"action": action, "_selected_action": [item.pk], "comment": "checked against the photos"},
        follow=True,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    if action in ALLOWED[role]:
        assert item.status == ACTIONS[action].target
        transition = ItemTransition.objects.get(item=item)
        assert (transition.from_status, transition.to_status, transition.by, transition.comment) == (
            start,
            ACTIONS[action].target,
            user,
            "checked against the photos",
        )
        assert any("1 item(s) done" in m for m in shown), shown
    else:
        assert item.status == start
        assert not ItemTransition.objects.filter(item=item).exists()
        assert any("you may not" in m and ACTIONS[action].permission in m for m in shown), shown


@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_from_a_status_it_does_not_apply_to_is_refused(roles, action):
    superuser = person("root", superuser=True)
    wrong = next(s for s in Status.values if s not in ACTIONS[action].sources)
    item = item_in(wrong)
    with pytest.raises(TransitionRefused) as refused:
        item_transition(item=item, action=action, user=superuser)
    assert refused.value.code == "conflict"
    item.refresh_from_db()
    assert item.status == wrong


def test_the_role_groups_hold_exactly_the_table(roles):
    for name, codes in ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(codes), name
    viewer = set(ROLES["viewer"])
    assert all(code.split(".")[1].startswith("view_") for code in viewer)


def test_four_eyes_the_submitter_and_the_last_editor_of_findings_may_not_verify(roles):
    both = person("both", "analyst", "reviewer")
    other = person("other", "reviewer")
    item = item_in(Status.DRAFT)
    item_transition(item=item, action="submit_for_review", user=both)
    with pytest.raises(TransitionRefused, match="another reviewer must verify"):
        item_transition(item=item, action="verify", user=both)

    editor = person("editor", "analyst", "reviewer")
    findings_save(item=item, findings=[Finding(country="US", quantity=2)], user=editor)
    item.refresh_from_db()
    assert item.findings_changed_by == editor
    with pytest.raises(TransitionRefused):
        item_transition(item=item, action="verify", user=editor)
    item_transition(item=item, action="verify", user=other, comment="second pair of eyes")
    item.refresh_from_db()
    assert item.status == Status.VERIFIED


def test_a_changed_finding_sends_a_published_item_back_to_submitted(roles):
    analyst = person("analyst2", "analyst")
    item = item_in(Status.PUBLISHED)
    findings_save(item=item, findings=[Finding(country="US", quantity=4)], user=analyst)
    item.refresh_from_db()
    assert (item.status, item.submitted_by, item.findings_changed_by) == (Status.SUBMITTED, analyst, analyst)
    transition = ItemTransition.objects.get(item=item)
    assert (transition.action, transition.from_status, transition.to_status) == (
        "content_changed",
        "published",
        "submitted",
    )


def test_a_reimport_that_changes_a_verified_item_sends_it_back_to_review(roles):
    factories.InternalOrganisationFactory()
    factories.WeaponModelFactory(designation="9M727")
    importer = person("importer", "analyst")
    first = b"item_ref,weapon,recovered_on,manufacturer_country,quantity\nKYIV-1,9M727,2025-09-07,US,3\n"
    assert not teardown_import(file=io.BytesIO(first), filename="a.csv", user=importer).errors
    item = RecoveredItem.objects.get(reference="KYIV-1")
    assert (item.status, item.findings_changed_by) == (Status.DRAFT, importer)
    RecoveredItem.objects.filter(pk=item.pk).update(status=Status.VERIFIED)
    # The same file again changes nothing, so the item stays verified.
    assert teardown_import(file=io.BytesIO(first), filename="a.csv", user=importer).items_unchanged == 1
    item.refresh_from_db()
    assert item.status == Status.VERIFIED
    changed = first.replace(b",US,3", b",US,4")
    assert not teardown_import(file=io.BytesIO(changed), filename="a.csv", user=importer).errors
    item.refresh_from_db()
    assert (item.status, item.submitted_by) == (Status.SUBMITTED, importer)
    assert ItemTransition.objects.get(item=item).comment == "teardown import"


def test_lowering_a_tlp_needs_a_reviewer_and_sharing_a_publisher(roles):
    analyst = person("a", "analyst")
    reviewer = person("r", "reviewer")
    publisher = person("p", "publisher")
    item = item_in(Status.DRAFT)
    assert "tlp" in sharing_change_errors(user=analyst, item=item, tlp="CLEAR", shared_with_changed=False)
    assert sharing_change_errors(user=analyst, item=item, tlp="RED", shared_with_changed=False) == {}
    assert sharing_change_errors(user=reviewer, item=item, tlp="CLEAR", shared_with_changed=False) == {}
    assert "shared_with" in sharing_change_errors(user=reviewer, item=item, tlp=None, shared_with_changed=True)
    assert sharing_change_errors(user=publisher, item=item, tlp=None, shared_with_changed=True) == {}


def test_analyst_cannot_lower_the_tlp_in_the_admin_and_status_is_read_only(client, roles):
    from tests.provenance.test_admin import item_post

    analyst = person("a", "analyst")
    weapon = factories.WeaponModelFactory(designation="9M727")
    item = item_in(Status.DRAFT, weapon_model=weapon, reference="KYIV-TLP")
    client.force_login(analyst)
    url = reverse("admin:provenance_recovereditem_change", args=[item.pk])
    data = item_post(weapon, reference="KYIV-TLP", owner=str(item.owner_id), tlp="CLEAR", status="published")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Lowering a TLP label (TLP:AMBER → TLP:CLEAR) needs a reviewer." in response.content.decode()
    data["tlp"] = "RED"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.tlp, item.status) == ("RED", Status.DRAFT)


def test_item_page_buttons_apply_the_action_and_show_the_transition(client, roles):
    analyst = person("ana", "analyst")
    item = item_in(Status.DRAFT, reference="KYIV-BTN")
    client.force_login(analyst)
    page = client.get(reverse("admin:provenance_recovereditem_change", args=[item.pk])).content.decode()
    assert 'id="review-submit_for_review"' in page
    assert 'id="review-verify"' not in page
    url = reverse("admin:provenance_recovereditem_review", args=[item.pk, "submit_for_review"])
    response = client.post(url, {"review_comment": "all 100 lines entered"}, follow=True)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    page = response.content.decode()
    assert "all 100 lines entered" in page
    assert 'id="review-status">submitted<' in page
    listing = client.get(reverse("admin:provenance_itemtransition_changelist") + "?to_status=submitted")
    assert "KYIV-BTN" in listing.content.decode()


def test_api_review_action_follows_the_same_rules(client, roles):
    analyst = person("ana", "analyst")
    viewer = person("vi", "viewer")
    item = item_in(Status.DRAFT)
    url = reverse("api:recovered-item-review", args=[item.pk])
    client.force_login(analyst)
    response = client.post(url, {"action": "submit_for_review", "comment": "ready"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["transition"]["to"] == "submitted"
    assert client.post(url, {"action": "verify"}, content_type="application/json").status_code == 403
    assert client.post(url, {"action": "publish"}, content_type="application/json").status_code == 403
    root = person("root", superuser=True)
    client.force_login(root)
    assert client.post(url, {"action": "publish"}, content_type="application/json").status_code == 409
    client.force_login(viewer)
    assert client.post(url, {"action": "return_to_draft"}, content_type="application/json").status_code == 403


def test_review_item_and_grant_role_commands(roles):
    factories.UserFactory(username="olena")
    factories.UserFactory(username="taras")
    out = io.StringIO()
    call_command("grant_role", "olena", "analyst", stdout=out)
    call_command("grant_role", "taras", "reviewer", "publisher", stdout=out)
    assert "taras: publisher, reviewer" in out.getvalue()
    item = item_in(Status.DRAFT, reference="KYIV-CMD")
    call_command("review_item", "KYIV-CMD", "--action", "submit_for_review", "--user", "olena", stdout=out)
    with pytest.raises(Exception, match="you may not verify"):
        call_command("review_item", "KYIV-CMD", "--action", "verify", "--user", "olena", stdout=out)
    call_command("review_item", "KYIV-CMD", "--action", "verify", "--user", "taras", stdout=out)
    call_command("review_item", "KYIV-CMD", "--action", "publish", "--user", "taras", stdout=out)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert list(item.transitions.values_list("by__username", flat=True)) == ["olena", "taras", "taras"]


# --- no user alone publishes --------------------------------------------------------------------------------


class _RolledBack(Exception):
    pass


STEPS = ["submit_for_review", "verify", "publish", "return_to_draft", "change_findings"]


def test_one_user_alone_never_gets_an_item_published(roles):
    """Whatever one user (holding every role) does, in any order, the item is never published."""
    factories.InternalOrganisationFactory()
    weapon = factories.WeaponModelFactory()
    alone = person("alone", *ROLES, superuser=True)
    statuses_seen = set()
    reached = []  # sequences checked to their end

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=10))
    def one_user(steps):
        try:
            with transaction.atomic():  # each example on its own; rolled back at the end
                one_sequence(steps)
                raise _RolledBack
        except _RolledBack:
            reached.append(steps)

    def one_sequence(steps):
        item = factories.RecoveredItemFactory(weapon_model=weapon, status=Status.DRAFT)
        for step in steps:
            if step == "change_findings":
                findings_save(item=item, findings=[Finding(country="US", quantity=1)], user=alone)
            else:
                with contextlib.suppress(TransitionRefused):
                    item_transition(item=item, action=step, user=alone)
            item.refresh_from_db()
            statuses_seen.add(item.status)
            assert item.status not in (Status.VERIFIED, Status.PUBLISHED)

    one_user()
    assert len(reached) >= 100  # every generated sequence ran to the end and was checked at each step
    assert Status.SUBMITTED in statuses_seen  # the sequences did get items into review


def test_two_people_do_get_an_item_published(roles):
    """The property above is not vacuous: an analyst and a reviewer-publisher publish with the same steps."""
    analyst = person("ana", "analyst")
    other = person("rev", "reviewer", "publisher")
    item = item_in(Status.DRAFT)
    item_transition(item=item, action="submit_for_review", user=analyst)
    item_transition(item=item, action="verify", user=other)
    item_transition(item=item, action="publish", user=other)
    assert item.status == Status.PUBLISHED


# --- status in the numbers ---------------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def breakdown_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("breakdown", "--weapon", "9M727", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_a_draft_item_does_not_change_the_verified_breakdown(demo):
    assert set(RecoveredItem.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    draft = factories.RecoveredItemFactory(
        reference="KYIV-DRAFT", weapon_model=RecoveredItem.objects.get(reference="UA-2025-9M727-SAMPLE").weapon_model,
        status=Status.DRAFT, recovered_on=dt.date(2025, 10, 1),
    )  # fmt: skip
    findings_save(item=draft, findings=[Finding(country="US", quantity=4)])
    period = ("--from", "2025-01-01", "--to", "2025-12-31")
    verified = breakdown_json(*period, "--status", "verified")
    working = breakdown_json(*period)
    assert {r["key"]: r["count"] for r in verified["rows"]}["US"] == 35
    assert {r["key"]: r["count"] for r in working["rows"]}["US"] == 39
    assert (verified["status"], working["status"]) == ("verified", "any")
    table = io.StringIO()
    call_command("breakdown", "--weapon", "9M727", *period, "--status", "verified", stdout=table)
    assert "status: verified or published items" in table.getvalue().splitlines()[0]
    csv_out = io.StringIO()
    call_command("shift", "--weapon", "9M727", "--format", "csv", stdout=csv_out)
    assert "status: working view: all statuses" in csv_out.getvalue().splitlines()[0]


def test_briefings_count_verified_items_and_say_so(demo):
    from provenance.briefings.data import briefing_data
    from provenance.briefings.params import BriefingParams, params_from_query

    params = params_from_query({"weapon": "9M727", "from": "2025-01-01", "to": "2025-12-31"})
    assert params.status == "verified"
    draft = factories.RecoveredItemFactory(
        reference="KYIV-DRAFT-B", weapon_model=RecoveredItem.objects.get(reference="UA-2025-9M727-SAMPLE").weapon_model,
        status=Status.DRAFT, recovered_on=dt.date(2025, 10, 1), tlp="RED",
    )  # fmt: skip
    findings_save(item=draft, findings=[Finding(country="US", quantity=4)])
    data = briefing_data(params=params)
    assert {r["key"]: r["count"] for r in data.tables["country"]["rows"]}["US"] == 35
    assert data.tlp != "RED"  # the draft's label does not raise the briefing's
    assert "KYIV-DRAFT-B" not in {i["reference"] for i in data.items}
    # A report stored before the workflow counted every status, and still reloads as such.
    assert BriefingParams.from_json({"weapon": "9M727"}).status == "any"


def test_partner_stats_count_published_items_whatever_status_is_asked(client, demo):
    from provenance.services.sharing import api_key_create

    partner = factories.OrganisationFactory()
    _key, raw = api_key_create(organisation=partner, name="k")
    response = client.get(
        "/api/v1/stats/breakdown/?weapon=9M727&status=any", headers={"authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    staff = factories.StaffUserFactory(username="staff-stats")
    client.force_login(staff)
    assert client.get("/api/v1/stats/breakdown/?weapon=9M727").json()["status"] == "any"
    assert client.get("/api/v1/stats/breakdown/?weapon=9M727&status=verified").json()["status"] == "verified"
    assert client.get("/api/v1/stats/breakdown/?weapon=9M727&status=bogus").status_code == 400


# --- history that says what changed ------------------------------------------------------------------------


def test_history_shows_changed_finding_lines_with_the_reason_and_refuses_to_revert(client, roles):
    from tests.provenance.test_admin import item_post

    analyst = person("ana", "analyst")
    weapon = factories.WeaponModelFactory(designation="9M727")
    item = item_in(Status.PUBLISHED, weapon_model=weapon, reference="KYIV-HIST")
    line = factories.FindingFactory(item=item, line_no=1, country="US", quantity=3)
    client.force_login(analyst)
    url = reverse("admin:provenance_recovereditem_change", args=[item.pk])
    data = item_post(
        weapon,
        {"id": line.pk, "line_no": 1, "country": "US", "quantity": 4},
        initial_findings=1,
        reference="KYIV-HIST",
        owner=str(item.owner_id),
        change_reason="recount from photo 12",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    item.refresh_from_db()
    assert (item.status, item.findings_changed_by) == (Status.SUBMITTED, analyst)
    history = client.get(reverse("admin:provenance_recovereditem_history", args=[item.pk])).content.decode()
    section = history[history.index('id="finding-changes"') :]
    assert "quantity:</strong> 3 &rarr; 4" in section
    assert "recount from photo 12" in section
    assert "ana" in section
    version = item.history.earliest("history_date")
    revert = reverse("admin:provenance_recovereditem_simple_history", args=[item.pk, version.history_id])
    assert client.post(revert, {}).status_code == 403
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_admin_analytics_page_says_which_statuses_it_counts(client, roles):
    client.force_login(person("vi", "viewer"))
    page = client.get(reverse("admin:provenance_analytics")).content.decode()
    assert "working view: all statuses" in page
    page = client.get(reverse("admin:provenance_analytics") + "?status=verified").content.decode()
    assert "status: verified or published items" in page


def test_transition_list_runs_the_same_queries_for_3_or_30_transitions(client, roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(person("vi", "viewer"))
    root = person("root", superuser=True)
    url = reverse("admin:provenance_itemtransition_changelist")
    counts = []
    for items in (1, 10):
        for _ in range(items):
            item = item_in(Status.DRAFT)
            item_transition(item=item, action="submit_for_review", user=root)
            item_transition(item=item, action="return_to_draft", user=root)
            item_transition(item=item, action="submit_for_review", user=root)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
