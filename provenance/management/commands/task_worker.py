"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that survives a database restart.

`db_worker` exits on the first `OperationalError` (PostgreSQL restarted, the network dropped), leaving the
briefings queued until someone restarts it by hand. This worker catches the error, closes the broken
connections and tries again with a growing pause (1 s up to 30 s), logging each attempt; it stops only when
told to (SIGINT / SIGTERM, `--batch`, `--max-tasks`). `manage.py task_worker_health` checks it from outside.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("provenance.task_worker")

MAX_PAUSE_S = 30.0


class ReconnectingWorker(db_worker.Worker):
    """A `db_worker.Worker` whose loop is restarted after a database error instead of ending the process."""

    pause_s = 1.0

    def run(self) -> None:
        pause = self.pause_s
        while self.running:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning("Database unavailable (%s); retrying in %.0f s.", error, pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_S)


class Command(db_worker.Command):
    help = "Run queued tasks (briefing reports), reconnecting after a database restart."

    def handle(self, *args, **options) -> None:
        original, db_worker.Worker = db_worker.Worker, ReconnectingWorker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
