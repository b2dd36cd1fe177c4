"""Browser tests run Django's live server, whose request threads are daemon threads: a thread still holding a
database connection when the session ends kept PostgreSQL from dropping the test database, so the next
`make test` found it left behind. Close such connections before the test database is dropped."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_connection_outlives_the_session(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
