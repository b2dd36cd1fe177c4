"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options) that survives a database restart.

`db_worker` exits on the first `OperationalError` (PostgreSQL restarted, the network dropped), leaving the
briefings queued until someone restarts it by hand. This worker catches the error, closes the broken
connections and tries again with a growing pause (1 s up to 30 s), logging each attempt; it stops only when
told to (SIGINT / SIGTERM, `--batch`, `--max-tasks`). `manage.py task_worker_health` checks it from outside.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.management.commands import db_worker

from config.common.commands import LanguageMixin

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
                logger.warning(
                    _("Database unavailable (%(error)s); retrying in %(seconds).0f s."),
                    {"error": error, "seconds": pause},
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE_S)


class Command(LanguageMixin, db_worker.Command):
    help = gettext_lazy("Run queued tasks (briefing reports), reconnecting after a database restart.")

    def handle(self, *args, **options) -> None:
        original, db_worker.Worker = db_worker.Worker, ReconnectingWorker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
