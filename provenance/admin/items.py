"""Admin: items."""
