"""Browser tests leave no database session behind: the test database must drop cleanly at the end of the run.

The connection that used to stay open was the test body's own, opened while Playwright's event loop ran (see
`browser_page` in test_admin_e2e.py, which now closes it). This check fails the run, naming the sessions,
if a connection outlives the browser tests again, instead of leaving the test database behind.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_session(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, left(query, 120) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            left_open = cursor.fetchall()
    assert not left_open, f"database sessions left open by the browser tests: {left_open}"
