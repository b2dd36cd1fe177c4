"""Admin: teardown."""
