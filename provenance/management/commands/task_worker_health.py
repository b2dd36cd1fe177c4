"""`manage.py task_worker_health [--max-wait SECONDS]`: exit 0 when the database answers and no task has waited
longer than `--max-wait` (default 300) to be picked up, else exit 1 with the reason (for a container or
systemd health check next to `task_worker`)."""

import datetime as dt

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from config.common.commands import LocalizedCommand


class Command(LocalizedCommand):
    help = gettext_lazy("Check that queued tasks are being run (exit 1 when the oldest waits longer than --max-wait).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-wait", type=int, default=300, help=gettext_lazy("Seconds a ready task may wait (300).")
        )

    def handle(self, *args, max_wait: int, **options):
        try:
            oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        except DatabaseError as error:
            raise CommandError(_("The database does not answer: {error}").format(error=error)) from None
        if oldest is not None and timezone.now() - oldest > dt.timedelta(seconds=max_wait):
            waited = int((timezone.now() - oldest).total_seconds())
            raise CommandError(
                _("A task has waited {seconds} s to be run: is `manage.py task_worker` running?").format(seconds=waited)
            )
        self.stdout.write(_("ok"))
