"""Writes for partner sharing: API keys (created hashed, shown once; revoked for good) and the access log."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    if expires is not None and expires <= timezone.now():
        raise ValidationError({"expires": [_("The expiry date is in the past: the key would never work.")]})
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
    client_ip: str | None = None,
) -> AccessLog:
    """Write one access-log row for a partner request (a single INSERT).

    On PostgreSQL, outside a transaction (as the API's requests run), the row is committed asynchronously
    (`synchronous_commit = off` for its own transaction alone): the request does not wait for the WAL flush,
    a disk sync per request, which under load cost a fifth of the API's throughput. The row is written
    atomically all the same and reaches the disk within a fraction of a second (3 x wal_writer_delay at
    most); only a crash of the database server in that interval could lose it. Every other write (the
    evidence, keys, imports) keeps synchronous commits. Inside a caller's transaction the row is simply
    part of it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return _access_log_create(api_key, method, path, query, status, records, client_ip)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return _access_log_create(api_key, method, path, query, status, records, client_ip)


def _access_log_create(api_key, method, path, query, status, records, client_ip=None) -> AccessLog:
    return AccessLog.objects.create(
        api_key=api_key,
        organisation_id=api_key.organisation_id if api_key else None,
        method=method[:10],
        path=path[:500],
        query=query[:1000],
        status=status,
        records=records,
        client_ip=client_ip or None,
    )
