"""End to end in a real browser: an analyst submits an item for review on its page, the same analyst is
refused when trying to verify it, and a reviewer verifies it from the recovered-items list with a comment."""

from django.contrib.auth.models import Group

from provenance.models import ItemTransition, RecoveredItem
from provenance.roles import roles_sync
from tests import factories
from tests.e2e.test_admin_e2e import PASSWORD, SCREENSHOT, browser_page, pytestmark  # noqa: F401


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def staff_with_role(username: str, role: str):
    user = factories.UserFactory(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_analyst_submits_and_a_reviewer_verifies(live_server, browser_page):  # noqa: F811 - the shared fixture
    page = browser_page
    roles_sync()  # a transactional test starts from a flushed database
    staff_with_role("olena", "analyst")
    staff_with_role("taras", "reviewer")
    item = factories.RecoveredItemFactory(reference="KYIV-E2E-REVIEW", status="draft", tlp="AMBER")
    base = live_server.url

    log_in(page, base, "olena")
    page.goto(f"{base}/admin/provenance/recovereditem/{item.pk}/change/")
    assert page.locator("#review-status").inner_text() == "draft"
    assert page.locator("#review-verify").count() == 0  # an analyst has no verify button
    page.fill("#id_review_comment", "all lines entered from the lab sheet")
    page.click("#review-submit_for_review")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("#review-status").inner_text() == "submitted"
    assert "all lines entered from the lab sheet" in page.locator("#review-transitions").inner_text()

    # The analyst tries the list's verify action on her own item: refused, with the reason.
    page.goto(f"{base}/admin/provenance/recovereditem/")
    page.locator("#result_list tbody tr", has_text="KYIV-E2E-REVIEW").locator("input.action-select").check()
    page.select_option("select[name=action]", "verify")
    page.click("button[name=index]")
    assert "you may not verify" in page.locator(".messagelist .error").inner_text()

    log_in(page, base, "taras")
    page.goto(f"{base}/admin/provenance/recovereditem/")
    page.locator("#result_list tbody tr", has_text="KYIV-E2E-REVIEW").locator("input.action-select").check()
    page.select_option("select[name=action]", "verify")
    page.fill("input[name=comment]", "checked against the photos")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-review.png")), full_page=True)

    item.refresh_from_db()
    assert item.status == RecoveredItem.Status.VERIFIED
    assert list(ItemTransition.objects.filter(item=item).values_list("by__username", "to_status", "comment")) == [
        ("olena", "submitted", "all lines entered from the lab sheet"),
        ("taras", "verified", "checked against the photos"),
    ]
