"""Admin: analytics."""
