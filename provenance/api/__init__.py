"""The partner REST API (`/api/v1/`): read-only, key-authenticated, scoped by `provenance.selectors.visibility`."""
