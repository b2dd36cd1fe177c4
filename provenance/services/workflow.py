"""The review workflow of recovered items: the one place that moves an item's status.

draft → submitted → verified → published, and back to draft when returned. The admin (actions and buttons),
the teardown import, the API and the commands all call these functions; nothing else writes `status`.

Rules:
- each action needs its permission (see `ACTIONS` and `provenance.roles`) and a given current status;
- four eyes: the user who submitted an item or last changed its findings may not verify it;
- only a verified item is published;
- a change to the findings or item-level facts of a verified or published item sends it back to
  `submitted` (as a submission by whoever made the change), so a partner never sees an unreviewed number;
- lowering a TLP label needs `provenance.lower_tlp` (reviewer); changing who an item is shared with needs
  `provenance.share_recovereditem` (publisher);
- every transition is kept (`ItemTransition`: from, to, who, when, comment) and in the item's history;
- every transition stores the public rule on the item's lines again (`findings_public_sync`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from provenance.models import ItemTransition, RecoveredItem
from provenance.models.items import TLP
from provenance.services.public_flag import findings_public_sync

__all__ = [
    "ACTIONS",
    "CONTENT_CHANGED",
    "FACT_FIELDS",
    "Transition",
    "TransitionRefused",
    "item_content_changed",
    "item_transition",
    "items_content_changed",
    "items_transition",
    "sharing_change_errors",
    "transition_check",
]

Status = RecoveredItem.Status

CONTENT_CHANGED = "content_changed"
# Item-level facts that partners and the numbers read (the API serves them in this order): changing one of a
# reviewed item reopens its review.
FACT_FIELDS = (
    "reference",
    "weapon_model",
    "strike",
    "recovered_on",
    "recovered_on_precision",
    "analysed_on",
    "analysed_on_precision",
    "place",
    "serial_number",
)
REVIEWED = (Status.VERIFIED, Status.PUBLISHED)


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    four_eyes: bool = False


ACTIONS: dict[str, Transition] = {
    "submit_for_review": Transition(
        _("Submit for review"), (Status.DRAFT,), Status.SUBMITTED, "provenance.submit_recovereditem"
    ),
    "verify": Transition(
        _("Verify"), (Status.SUBMITTED,), Status.VERIFIED, "provenance.verify_recovereditem", four_eyes=True
    ),
    "publish": Transition(_("Publish"), (Status.VERIFIED,), Status.PUBLISHED, "provenance.publish_recovereditem"),
    "return_to_draft": Transition(
        _("Return to draft"),
        (Status.SUBMITTED, Status.VERIFIED, Status.PUBLISHED),
        Status.DRAFT,
        "provenance.return_recovereditem",
    ),
}


class TransitionRefused(Exception):
    """An action a rule forbids; `message` says which rule, for the user."""

    def __init__(self, message: str, code: str = "forbidden") -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # "forbidden" (role, four eyes, no person) or "conflict" (the item's status)


def _is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def transition_check(*, item: RecoveredItem, action: str, user) -> Transition:
    """Return the transition `user` may apply to `item` now, or raise TransitionRefused saying why not."""
    transition = ACTIONS.get(action)
    if transition is None:
        raise TransitionRefused(
            gettext("Unknown action “%(action)s”; use one of: %(actions)s.")
            % {"action": action, "actions": ", ".join(ACTIONS)},
            code="invalid",
        )
    if not _is_person(user):
        raise TransitionRefused(gettext("A review action needs a signed-in person."))
    if not user.has_perm(transition.permission):
        raise TransitionRefused(
            gettext("%(item)s: you may not %(action)s (permission %(permission)s).")
            % {"item": item, "action": transition.label.lower(), "permission": transition.permission}
        )
    if item.status not in transition.sources:
        raise TransitionRefused(
            gettext("%(item)s is %(status)s; “%(action)s” applies only to %(sources)s items.")
            % {
                "item": item,
                "status": item.get_status_display(),
                "action": transition.label,
                "sources": " / ".join(str(Status(s).label) for s in transition.sources),
            },
            code="conflict",
        )
    if transition.four_eyes and user.pk in (item.submitted_by_id, item.findings_changed_by_id):
        raise TransitionRefused(
            gettext("%(item)s: you submitted it or last changed its findings; another reviewer must verify it.")
            % {"item": item}
        )
    return transition


def _record(*, item: RecoveredItem, action: str, target: str, user, comment: str) -> ItemTransition:
    """Move `item` (locked by the caller) to `target`; keep the transition and a history row with the reason."""
    source = item.status
    item.status = target
    item._history_user = user if _is_person(user) else None
    item._change_reason = f"{action}: {comment}" if comment else action
    item.save(update_fields=["status", "submitted_by", "findings_changed_by", "updated_at"])
    findings_public_sync(item_ids=[item.pk])
    return ItemTransition.objects.create(
        item=item, action=action, from_status=source, to_status=target, by=item._history_user, comment=comment
    )


@transaction.atomic
def item_transition(*, item: RecoveredItem, action: str, user, comment: str = "") -> ItemTransition:
    """Apply `action` to `item` as `user`, or raise TransitionRefused; the item is locked while checked."""
    locked = RecoveredItem.objects.select_for_update().get(pk=item.pk)
    transition = transition_check(item=locked, action=action, user=user)
    if transition.target == Status.SUBMITTED:
        locked.submitted_by = user
    record = _record(item=locked, action=action, target=transition.target, user=user, comment=comment.strip())
    item.status, item.submitted_by_id = locked.status, locked.submitted_by_id
    return record


def items_transition(
    *, items: Iterable[RecoveredItem], action: str, user, comment: str = ""
) -> tuple[list[RecoveredItem], list[tuple[RecoveredItem, str]]]:
    """Apply `action` to each item on its own; returns (done, [(refused item, why)])."""
    done: list[RecoveredItem] = []
    refused: list[tuple[RecoveredItem, str]] = []
    for item in items:
        try:
            item_transition(item=item, action=action, user=user, comment=comment)
        except TransitionRefused as error:
            refused.append((item, error.message))
        else:
            done.append(item)
    return done, refused


@transaction.atomic
def item_content_changed(
    *, item: RecoveredItem, user, findings: bool = True, reason: str = ""
) -> ItemTransition | None:
    """Note that `user` changed `item`'s findings (or, with `findings=False`, its facts).

    A verified or published item goes back to `submitted`, as submitted by `user` (who then may not verify
    it). Returns the transition when there was one.
    """
    person = user if _is_person(user) else None
    locked = RecoveredItem.objects.select_for_update().get(pk=item.pk)
    if findings:
        locked.findings_changed_by = person
    record = None
    if locked.status in REVIEWED:
        locked.submitted_by = person
        default = gettext("Findings changed after review.") if findings else gettext("Item facts changed after review.")
        comment = reason or default
        record = _record(item=locked, action=CONTENT_CHANGED, target=Status.SUBMITTED, user=person, comment=comment)
    elif findings:
        RecoveredItem.objects.filter(pk=locked.pk).update(findings_changed_by=person)
    item.status = locked.status
    item.submitted_by_id, item.findings_changed_by_id = locked.submitted_by_id, locked.findings_changed_by_id
    return record


def items_content_changed(*, item_ids: Iterable[int], user, reason: str = "") -> int:
    """`item_content_changed` for many items (an import); returns how many went back to `submitted`."""
    ids = list(item_ids)
    person = user if _is_person(user) else None
    RecoveredItem.objects.filter(pk__in=ids).exclude(status__in=REVIEWED).update(findings_changed_by=person)
    reviewed = RecoveredItem.objects.filter(pk__in=ids, status__in=REVIEWED)
    count = 0
    for item in reviewed:
        count += item_content_changed(item=item, user=user, reason=reason) is not None
    return count


def sharing_change_errors(
    *, user, item: RecoveredItem | None, tlp: str | None, shared_with_changed: bool
) -> dict[str, str]:
    """Field errors for a TLP or sharing change `user` may not make (empty when allowed).

    A new item starts from TLP:AMBER (what an import gives it): marking it lower is lowering it.
    """
    errors: dict[str, str] = {}
    before = item.tlp if item is not None and item.pk else TLP.AMBER
    if tlp and TLP.rank(tlp) < TLP.rank(before) and not user.has_perm("provenance.lower_tlp"):
        errors["tlp"] = gettext("Lowering a TLP label (%(before)s → %(after)s) needs a reviewer.") % {
            "before": TLP(before).label,
            "after": TLP(tlp).label,
        }
    if shared_with_changed and not user.has_perm("provenance.share_recovereditem"):
        errors["shared_with"] = gettext("Sharing an item with organisations needs a publisher.")
    return errors
