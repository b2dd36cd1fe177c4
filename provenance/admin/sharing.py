"""Admin: sharing."""
