"""Writes for partner sharing: API keys (created hashed, shown once; revoked for good) and the access log."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from provenance.models import AccessLog, Organisation, OrganisationAPIKey

__all__ = ["access_log_record", "api_key_create", "api_key_revoke", "api_key_touch"]

# last_used_at is written at most once per interval per key, so a busy key costs no write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@transaction.atomic
def api_key_create(
    *, organisation: Organisation, name: str, expires: dt.datetime | None = None
) -> tuple[OrganisationAPIKey, str]:
    """Create a key for `organisation`; returns the stored key and the raw key, which is never stored."""
    if expires is not None and timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    return OrganisationAPIKey.objects.create_key(organisation=organisation, name=name[:50], expiry_date=expires)


@transaction.atomic
def api_key_revoke(*, api_key: OrganisationAPIKey) -> OrganisationAPIKey:
    """Revoke `api_key` (cannot be undone); requests with it are refused from now on."""
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
    return api_key


def api_key_touch(*, api_key: OrganisationAPIKey, now: dt.datetime | None = None) -> None:
    """Record that `api_key` was used, unless that was already recorded less than a minute ago."""
    now = now or timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        OrganisationAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def access_log_record(
    *,
    api_key: OrganisationAPIKey | None,
    method: str,
    path: str,
    query: str,
    status: int,
    records: int | None,
) -> AccessLog:
    """Write one access-log row for a partner request (a single INSERT)."""
    return AccessLog.objects.create(
        api_key=api_key,
        organisation_id=api_key.organisation_id if api_key else None,
        method=method[:10],
        path=path[:500],
        query=query[:1000],
        status=status,
        records=records,
    )
