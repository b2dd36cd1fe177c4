"""Background tasks (Django's tasks framework): immediate in the embedded default and in tests, run by
`manage.py db_worker` (django-tasks-db) in production."""

from django.tasks import task


@task()
def briefing_render_task(report_id: int) -> str:
    """Render a queued briefing report; returns its final state (a failure is recorded and re-raised)."""
    from provenance.models import BriefingReport
    from provenance.services.briefings import briefing_render

    report = BriefingReport.objects.select_related("organisation", "requested_by").get(pk=report_id)
    return briefing_render(report=report).state
