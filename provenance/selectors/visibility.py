"""Who may see which recovered items, findings and reference rows: the one place visibility is decided.

Every API queryset and every statistic served to a partner goes through this module. The rules follow
MISP's publish gate and TLP 2.0:

- internal users (active, `is_staff`) see what their model permissions let them see in the admin: with
  `provenance.view_recovereditem` every item and finding, with `view_manufacturer`, `view_part`,
  `view_strike`, `view_weaponmodel` every row of that reference table; without the permission, nothing;
- a partner organisation (active) sees only `published` items, and of those:
  - TLP:CLEAR and TLP:GREEN items: every active partner organisation;
  - TLP:AMBER and TLP:AMBER+STRICT items: only the owner organisation and the organisations the item is
    explicitly shared with (`RecoveredItem.shared_with`);
  - TLP:RED items: nobody outside the instance, not even organisations in `shared_with`;
- anyone else (anonymous, an inactive organisation, a non-staff user without an organisation key) sees
  nothing through the API;
- briefing reports: a partner sees its own organisation's reports, staff with `view_briefingreport` every
  report, anyone else none (`briefing_reports_visible_to`: the API and the admin's downloads);
- the public (the catalogue's pages, no login) sees only `published` TLP:CLEAR items, their findings, and
  the photos of those an analyst marked public (`items_public`, `findings_public`, `evidence_public`).
  `findings_public` reads the rule as stored on each line (`Finding.public`, kept by
  `provenance.services.public_flag` from `items_public`): the fast path over 1,000,000 lines;
  `findings_public_flag_leaks` tells whether any flagged line's item the rule now hides (one cheap query).

Reference data follows the evidence it came with. An import creates the manufacturers, parts, categories and
strikes of a draft or RED item; they must not reach a partner before the item does:
- a manufacturer: once it is reviewed (`Manufacturer.reviewed`: loaded reference data, or checked by an
  analyst), or when it is the maker of a finding the partner may see;
- a part (with its category): when a finding the partner may see uses it (a catalogue part number can say
  what was found where: parts have no review of their own);
- a strike (date and place of an attack): when an item the partner may see came from it;
- weapon models: all (public designations; imports never create them).
Each is one EXISTS subquery in the list's own query, so the query count of a list does not change.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from components.models import Part
from manufacturers.models import Manufacturer
from provenance.models import BriefingReport, EvidenceFile, Finding, Organisation, RecoveredItem, Strike, WeaponModel
from provenance.models.items import TLP

__all__ = [
    "briefing_reports_visible_to",
    "evidence_public",
    "findings_public",
    "findings_public_flag_leaks",
    "findings_visible_to",
    "internal_user_may_view",
    "is_staff_user",
    "items_public",
    "items_visible_to",
    "manufacturers_visible_to",
    "parts_visible_to",
    "strikes_visible_to",
    "weapon_models_visible_to",
]

BROADLY_SHARED = (TLP.CLEAR, TLP.GREEN)
SHARED_ON_REQUEST = (TLP.AMBER, TLP.AMBER_STRICT)
PUBLIC = (TLP.CLEAR,)


def is_staff_user(user) -> bool:
    """True for an active staff user: the instance's own analysts (what they see depends on their permissions)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def internal_user_may_view(user, model) -> bool:
    """True when `user` is active staff holding `model`'s view permission: the admin's own rule for reading."""
    meta = model._meta
    return is_staff_user(user) and user.has_perm(f"{meta.app_label}.view_{meta.model_name}")


def _visible_q(*, organisation: Organisation, prefix: str = "") -> Q:
    """The partner rule as a Q on RecoveredItem, or on a model reaching it through `prefix` (`item__`)."""
    shared_ids = RecoveredItem.shared_with.through.objects.filter(organisation_id=organisation.pk).values(
        "recovereditem_id"
    )
    # A subquery rather than a join on shared_with, so an item shared with several organisations is
    # neither duplicated nor needs DISTINCT (which would break aggregates and pagination).
    restricted = Q(**{f"{prefix}owner_id": organisation.pk}) | Q(**{f"{prefix}pk__in": shared_ids})
    return Q(**{f"{prefix}status": RecoveredItem.Status.PUBLISHED}) & (
        Q(**{f"{prefix}tlp__in": BROADLY_SHARED}) | (Q(**{f"{prefix}tlp__in": SHARED_ON_REQUEST}) & restricted)
    )


def _partner(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.is_active


def items_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[RecoveredItem]:
    """The recovered items `organisation` (an API key's owner) or `user` (a session user) may see."""
    if internal_user_may_view(user, RecoveredItem):
        return RecoveredItem.objects.all()
    if not _partner(organisation):
        return RecoveredItem.objects.none()
    return RecoveredItem.objects.filter(_visible_q(organisation=organisation))


def findings_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[Finding]:
    """The findings of the items the caller may see (a finding is exactly as visible as its item)."""
    if internal_user_may_view(user, RecoveredItem):
        return Finding.objects.all()
    if not _partner(organisation):
        return Finding.objects.none()
    return Finding.objects.filter(_visible_q(organisation=organisation, prefix="item__"))


def _reference(model, organisation: Organisation | None, user, partner_q) -> QuerySet:
    """`model`'s rows: all for an internal user with its view permission, `partner_q()` for a partner."""
    if internal_user_may_view(user, model):
        return model.objects.all()
    if not _partner(organisation):
        return model.objects.none()
    return model.objects.filter(partner_q())


def manufacturers_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[Manufacturer]:
    """Reviewed manufacturers, and the makers of the findings the caller may see."""

    def partner_q() -> Q:
        findings = findings_visible_to(organisation=organisation).filter(manufacturer_id=OuterRef("pk"))
        return Q(reviewed=True) | Q(Exists(findings))

    return _reference(Manufacturer, organisation, user, partner_q)


def parts_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[Part]:
    """The parts used by the findings the caller may see."""

    def partner_q() -> Q:
        return Q(Exists(findings_visible_to(organisation=organisation).filter(part_id=OuterRef("pk"))))

    return _reference(Part, organisation, user, partner_q)


def strikes_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[Strike]:
    """The strikes the items the caller may see came from."""

    def partner_q() -> Q:
        return Q(Exists(items_visible_to(organisation=organisation).filter(strike_id=OuterRef("pk"))))

    return _reference(Strike, organisation, user, partner_q)


def weapon_models_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[WeaponModel]:
    """Every weapon model (public designations, never created by an import)."""
    return _reference(WeaponModel, organisation, user, Q)


def briefing_reports_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[BriefingReport]:
    """The briefing reports `organisation` (an API key's owner) or `user` (a session user) may read and download."""
    if organisation is not None:
        return BriefingReport.objects.filter(organisation=organisation)
    if internal_user_may_view(user, BriefingReport):
        return BriefingReport.objects.all()
    return BriefingReport.objects.none()


def _public_q(*, prefix: str = "") -> Q:
    """The public rule as a Q on RecoveredItem, or on a model reaching it through `prefix`."""
    return Q(**{f"{prefix}status": RecoveredItem.Status.PUBLISHED, f"{prefix}tlp__in": PUBLIC})


def items_public() -> QuerySet[RecoveredItem]:
    """The recovered items anyone may see without logging in: published and TLP:CLEAR."""
    return RecoveredItem.objects.filter(_public_q())


def findings_public() -> QuerySet[Finding]:
    """The findings of the public items: those whose stored flag says so (the rule of `items_public`, stored
    on each line by `provenance.services.public_flag.findings_public_sync`; partial indexes serve it)."""
    return Finding.objects.filter(public=True)


def findings_public_flag_leaks() -> bool:
    """True when a line is flagged public although the rule hides its item (a write that bypassed the services):
    the catalogue then shows nothing until the flags are repaired (`manage.py public_flags`)."""
    hidden_items = RecoveredItem.objects.exclude(_public_q())
    return Finding.objects.filter(public=True, item_id__in=hidden_items.values("pk")).exists()


def evidence_public() -> QuerySet[EvidenceFile]:
    """Photos marked public (their metadata-free copy made) of a public item or of a public item's finding."""
    return EvidenceFile.objects.filter(public=True).filter(
        (Q(finding__isnull=True) & _public_q(prefix="item__")) | _public_q(prefix="finding__item__")
    )
