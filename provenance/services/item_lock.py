"""One lock per recovered item, taken by every path that writes an item or its findings (the admin, the
teardown import, the services the API and the workflow call).

`item_lock` must run inside the writer's transaction and before it reads what it is about to change: a
second writer of the same item then waits (PostgreSQL row lock, `SELECT ... FOR UPDATE`) until the first
commits, and reads the first one's result instead of a stale copy. Items are locked in primary-key order so
two writers of several items never deadlock. SQLite has no row locks: it allows one writing transaction at a
time anyway.
"""

from collections.abc import Iterable

from django.db import transaction

from provenance.models import RecoveredItem

__all__ = ["item_lock"]


def item_lock(*, item_ids: Iterable[int] = (), references: Iterable[str] = ()) -> list[int]:
    """Lock the existing items among `item_ids` and `references` until the transaction ends; their ids."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("item_lock() needs a transaction: call it inside transaction.atomic().")
    item_ids, references = [i for i in item_ids if i], list(references)
    if not item_ids and not references:
        return []
    queryset = RecoveredItem.objects.none()
    if item_ids:
        queryset = RecoveredItem.objects.filter(pk__in=item_ids)
    if references:
        queryset = queryset | RecoveredItem.objects.filter(reference__in=references)
    return list(queryset.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
