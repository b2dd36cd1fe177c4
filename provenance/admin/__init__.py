"""The analysts' admin, one module per area; importing them registers their ModelAdmins."""

from . import analytics, items, manufacturers, reports, sharing, teardown  # noqa: F401
