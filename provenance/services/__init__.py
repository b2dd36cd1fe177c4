"""Writes for provenance, one module per area; import from the module (`provenance.services.teardown`)."""
