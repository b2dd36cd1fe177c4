"""`manage.py task_worker_health [--max-wait SECONDS]`: exit 0 when the database answers and no task has waited
longer than `--max-wait` (default 300) to be picked up, else exit 1 with the reason (for a container or
systemd health check next to `task_worker`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Check that queued tasks are being run (exit 1 when the oldest waits longer than --max-wait)."

    def add_arguments(self, parser):
        parser.add_argument("--max-wait", type=int, default=300, help="Seconds a ready task may wait (300).")

    def handle(self, *args, max_wait: int, **options):
        try:
            oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        except DatabaseError as error:
            raise CommandError(f"The database does not answer: {error}") from None
        if oldest is not None and timezone.now() - oldest > dt.timedelta(seconds=max_wait):
            waited = int((timezone.now() - oldest).total_seconds())
            raise CommandError(f"A task has waited {waited} s to be run: is `manage.py task_worker` running?")
        self.stdout.write("ok")
