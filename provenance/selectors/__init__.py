"""Reads and aggregates for provenance, one module per area (`provenance.selectors.analytics`)."""
