"""Who may see which recovered items and findings: the one place visibility is decided.

Every API queryset and every statistic served to a partner goes through `items_visible_to` or
`findings_visible_to`. The rules follow MISP's publish gate and TLP 2.0:

- staff users (active, `is_staff`) see everything;
- a partner organisation (active) sees only `published` items, and of those:
  - TLP:CLEAR and TLP:GREEN items: every active partner organisation;
  - TLP:AMBER and TLP:AMBER+STRICT items: only the owner organisation and the organisations the item is
    explicitly shared with (`RecoveredItem.shared_with`);
  - TLP:RED items: nobody outside the instance, not even organisations in `shared_with`;
- anyone else (anonymous, an inactive organisation, a non-staff user without an organisation key) sees
  nothing through the API;
- the public (the catalogue's pages, no login) sees only `published` TLP:CLEAR items, their findings, and
  the photos of those an analyst marked public (`items_public`, `findings_public`, `evidence_public`).

Weapon models, strikes, manufacturers and parts are reference data (public designations, public attack
events, company registers, catalogue part numbers): every partner sees all of them.
"""

from django.db.models import Q, QuerySet

from provenance.models import EvidenceFile, Finding, Organisation, RecoveredItem
from provenance.models.items import TLP

__all__ = [
    "evidence_public",
    "findings_public",
    "findings_visible_to",
    "is_staff_user",
    "items_public",
    "items_visible_to",
    "reference_data_visible_to",
]

BROADLY_SHARED = (TLP.CLEAR, TLP.GREEN)
SHARED_ON_REQUEST = (TLP.AMBER, TLP.AMBER_STRICT)
PUBLIC = (TLP.CLEAR,)


def is_staff_user(user) -> bool:
    """True for an active staff user: the instance's own analysts, who see everything."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


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


def items_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[RecoveredItem]:
    """The recovered items `organisation` (an API key's owner) or `user` (a session user) may see."""
    if is_staff_user(user):
        return RecoveredItem.objects.all()
    if organisation is None or not organisation.is_active:
        return RecoveredItem.objects.none()
    return RecoveredItem.objects.filter(_visible_q(organisation=organisation))


def findings_visible_to(*, organisation: Organisation | None = None, user=None) -> QuerySet[Finding]:
    """The findings of the items the caller may see (a finding is exactly as visible as its item)."""
    if is_staff_user(user):
        return Finding.objects.all()
    if organisation is None or not organisation.is_active:
        return Finding.objects.none()
    return Finding.objects.filter(_visible_q(organisation=organisation, prefix="item__"))


def reference_data_visible_to(*, organisation: Organisation | None = None, user=None) -> bool:
    """Weapon models, strikes, manufacturers and parts: staff and every active organisation see them all."""
    return is_staff_user(user) or (organisation is not None and organisation.is_active)


def _public_q(*, prefix: str = "") -> Q:
    """The public rule as a Q on RecoveredItem, or on a model reaching it through `prefix`."""
    return Q(**{f"{prefix}status": RecoveredItem.Status.PUBLISHED, f"{prefix}tlp__in": PUBLIC})


def items_public() -> QuerySet[RecoveredItem]:
    """The recovered items anyone may see without logging in: published and TLP:CLEAR."""
    return RecoveredItem.objects.filter(_public_q())


def findings_public() -> QuerySet[Finding]:
    """The findings of the public items."""
    return Finding.objects.filter(_public_q(prefix="item__"))


def evidence_public() -> QuerySet[EvidenceFile]:
    """Photos marked public (their metadata-free copy made) of a public item or of a public item's finding."""
    return EvidenceFile.objects.filter(public=True).filter(
        (Q(finding__isnull=True) & _public_q(prefix="item__")) | _public_q(prefix="finding__item__")
    )
