"""The task worker survives a database restart (issue 16, item 8), and its health check says when queued
tasks are not being run."""

import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from provenance.management.commands.task_worker import ReconnectingWorker

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def ping() -> str:
    return "pong"


def _terminate_other_connections() -> int:
    """What a PostgreSQL restart does to every other client: its connection is cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_reconnects_after_a_database_restart(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a server restart: PostgreSQL")
    settings.TASKS = DB_TASKS
    worker = ReconnectingWorker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.pause_s = 0.2

    def run():
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        first = ping.enqueue()
        assert _wait_for(lambda: DBTaskResult.objects.get(pk=first.id).status == "SUCCESSFUL")
        # The worker may be between two polls with no connection open: cut as soon as it holds one.
        assert _wait_for(lambda: _terminate_other_connections() >= 1)
        second = ping.enqueue()
        assert _wait_for(lambda: DBTaskResult.objects.get(pk=second.id).status == "SUCCESSFUL")
        assert thread.is_alive()
    finally:
        worker.running = False
        thread.join(timeout=30)


def test_the_health_check_reports_waiting_tasks(settings, capsys):
    settings.TASKS = DB_TASKS
    call_command("task_worker_health")
    assert capsys.readouterr().out.strip() == "ok"
    ping.enqueue()
    DBTaskResult.objects.update(enqueued_at=DBTaskResult.objects.get().enqueued_at.replace(year=2020))
    with pytest.raises(CommandError, match="has waited"):
        call_command("task_worker_health", "--max-wait", "60")
