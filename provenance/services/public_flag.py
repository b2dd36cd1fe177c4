"""Keep `Finding.public` equal to the public rule (`provenance.selectors.visibility.items_public`).

The rule itself lives only in the visibility module; this is the one function that stores it on the lines.
Every service that changes what makes a line public calls it, in the same transaction as the change:
- `provenance.services.workflow` on every status change (submit, verify, publish, return, a change after
  review), the teardown import included (it moves reviewed items through `items_content_changed`);
- `provenance.services.findings.recovered_item_save` (a new TLP label) and `findings_save` (new lines, lines
  moved to another item).
A line nobody synced stays hidden (the column's default is False): a forgotten call hides, it never shows.
Writes that bypass these services (a bulk `update()` of items, raw SQL) must call it themselves;
`python manage.py public_flags` re-checks and repairs every line.
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.models import Finding
from provenance.selectors.visibility import items_public

__all__ = ["findings_public_sync"]


def findings_public_sync(*, item_ids: Iterable[int] | None = None) -> int:
    """Set `public` on the lines of `item_ids` (every line when None) to what the rule says of their item;
    returns the number of lines changed (only those are written)."""
    lines = Finding.objects.all()
    if item_ids is not None:
        lines = lines.filter(item_id__in=list(item_ids))
    public_items = items_public().values("pk")
    shown = lines.filter(public=False, item_id__in=public_items).update(public=True)
    hidden = lines.filter(public=True).exclude(item_id__in=public_items).update(public=False)
    return shown + hidden
