"""Issuing briefing reports: record the request, render it (in a background task), keep files and digests.

A `BriefingReport` row is the record of what was issued: the parameters, who asked, for which
organisation (a partner's report counts only what the partner may see), when, the SHA-256 of the data
used and of every rendered file, and the TLP label. Rendering runs through Django's tasks framework: the
immediate backend renders at once (embedded default, tests), the database backend hands it to
`manage.py db_worker` (production).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
from collections.abc import Iterable

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from provenance.briefings.data import briefing_data
from provenance.briefings.exports import write_csv
from provenance.briefings.params import BriefingParams
from provenance.briefings.prose import default_title
from provenance.briefings.render import render_html, render_pdf
from provenance.models import BriefingReport, Organisation

__all__ = ["FORMATS", "briefing_issue", "briefing_render", "briefing_render_task", "briefing_request"]

logger = logging.getLogger(__name__)

FORMATS = ("html", "pdf", "csv")


def briefing_request(
    *,
    params: BriefingParams,
    requested_by=None,
    organisation: Organisation | None = None,
    formats: Iterable[str] = FORMATS,
) -> BriefingReport:
    """Record a briefing request and enqueue its rendering; returns the report (done already when immediate).

    `organisation` restricts the report to what that organisation may see (partner requests); None means
    an internal report over all data.
    """
    report = _briefing_record(params=params, requested_by=requested_by, organisation=organisation, formats=formats)
    # Enqueued directly, not on commit: the database backend writes its task row in the caller's
    # transaction (so the worker sees both together), and the immediate backend renders right here.
    result = briefing_render_task.enqueue(report_id=report.pk)
    BriefingReport.objects.filter(pk=report.pk).update(task_id=str(result.id)[:100])
    report.refresh_from_db()
    return report


def _briefing_record(
    *, params: BriefingParams, requested_by, organisation: Organisation | None, formats
) -> BriefingReport:
    """The queued report of a briefing request (nothing rendered yet)."""
    return BriefingReport.objects.create(
        title=params.title or _("Briefing (being prepared)"),
        parameters={**params.to_json(), "formats": list(_check_formats(formats))},
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        organisation=organisation,
        state=BriefingReport.State.QUEUED,
    )


def briefing_issue(
    *, params: BriefingParams, formats: Iterable[str] = FORMATS, requested_by=None, organisation=None
) -> BriefingReport:
    """Record a briefing and render it in this process, whatever the task backend (the caller waits for it).

    A failed rendering is returned as the report in state `failed`, with its error (and logged).
    """
    report = _briefing_record(params=params, requested_by=requested_by, organisation=organisation, formats=formats)
    with contextlib.suppress(Exception):
        briefing_render(report=report)
    return report


def briefing_render(*, report: BriefingReport) -> BriefingReport:
    """Compute the data, render the formats asked for, store files and digests; mark the report done or failed.

    A failure is recorded on the report (state `failed`, the error text shown in the admin) and re-raised
    so that the task backend records it too.
    """
    formats = _check_formats(report.parameters.get("formats") or FORMATS)
    BriefingReport.objects.filter(pk=report.pk).update(state=BriefingReport.State.RUNNING, error="")
    report.state = BriefingReport.State.RUNNING
    try:
        params = BriefingParams.from_json(report.parameters)
        with translation.override(params.language):
            _render(report=report, params=params, formats=formats)
    except Exception as error:
        logger.exception("Briefing report %s failed", report.pk)
        report.state = BriefingReport.State.FAILED
        report.error = f"{type(error).__name__}: {error}"[:4000]
        report.finished_at = timezone.now()
        BriefingReport.objects.filter(pk=report.pk).update(
            state=report.state, error=report.error, finished_at=report.finished_at
        )
        raise
    return report


def _render(*, report: BriefingReport, params: BriefingParams, formats: tuple[str, ...]) -> None:
    """Render the formats asked for in the active language (the report's) and store them."""
    data = briefing_data(params=params, organisation=report.organisation)
    generated_at = timezone.now()
    files: dict[str, File] = {}
    if "html" in formats or "pdf" in formats:
        html = render_html(
            data,
            generated_at=generated_at,
            requested_by=_who(report),
            organisation=report.organisation.name if report.organisation else "",
            report_id=report.pk,
        )
        if "html" in formats:
            files["html"] = ContentFile(html.encode("utf-8"))
        if "pdf" in formats:
            files["pdf"] = ContentFile(render_pdf(html))
    with contextlib.ExitStack() as cleanup:
        if "csv" in formats:
            # On disk, not in memory: the annex of a large selection runs to a million lines.
            spool = cleanup.enter_context(tempfile.TemporaryFile())
            write_csv(data, spool)
            spool.seek(0)
            files["csv"] = File(spool)
        _store(report=report, params=params, data=data, files=files)


@transaction.atomic
def _store(*, report: BriefingReport, params: BriefingParams, data, files: dict[str, File]) -> None:
    stem = f"briefing-{report.pk}-{data.digest[:12]}"
    for fmt, content in files.items():
        setattr(report, f"{fmt}_sha256", _sha256(content))
        getattr(report, fmt).save(f"{stem}.{fmt}", content, save=False)
    report.title = params.title or default_title(data)
    report.tlp = data.tlp
    report.data_digest = data.digest
    report.state = BriefingReport.State.DONE
    report.finished_at = timezone.now()
    report.save()


def _who(report: BriefingReport) -> str:
    if report.organisation is not None:
        return report.organisation.name
    user = report.requested_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _sha256(content: File) -> str:
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
    content.seek(0)
    return digest.hexdigest()


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(f for f in FORMATS if f in set(formats))
    if not chosen:
        raise ValueError(f"formats must name at least one of {', '.join(FORMATS)}")
    return chosen


@task()
def briefing_render_task(report_id: int) -> str:
    """Render a queued briefing report; returns its final state (a failure is recorded and re-raised).

    Defined beside the service it runs, so the service can enqueue it without importing back from
    `provenance.tasks` (which re-exports it under the path that tasks queued before this move carry).
    """
    report = BriefingReport.objects.select_related("organisation", "requested_by").get(pk=report_id)
    return briefing_render(report=report).state
