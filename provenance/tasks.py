"""Background tasks (Django's tasks framework): immediate in the embedded default and in tests, run by
`manage.py db_worker` (django-tasks-db) in production. Each task is defined beside the service it runs and
listed here."""

from provenance.services.briefings import briefing_render_task

__all__ = ["briefing_render_task"]
