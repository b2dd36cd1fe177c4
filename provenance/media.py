"""Stored files (evidence, rendered briefings) are served only through this view, in every settings module:
`MEDIA_URL` points here, so every link the admin builds (`FieldFile.url`) passes the permission check.

A file is served to an active staff user holding the view permission of the row that stores it (an evidence
file, or a briefing report); to anyone else, and for any other path, it does not exist (404).
"""

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest

from provenance.models import BriefingReport, EvidenceFile
from provenance.selectors.visibility import internal_user_may_view

__all__ = ["media_file_view"]


def _stored_file(user, name: str):
    """The FieldFile stored under `name` that `user` may view, or None."""
    if internal_user_may_view(user, EvidenceFile):
        evidence = EvidenceFile.objects.filter(file=name).first()
        if evidence is not None:
            return evidence.file
    if internal_user_may_view(user, BriefingReport):
        report = BriefingReport.objects.filter(Q(html=name) | Q(pdf=name) | Q(csv=name)).first()
        if report is not None:
            return next(field for field in (report.html, report.pdf, report.csv) if field and field.name == name)
    return None


def media_file_view(request: HttpRequest, name: str) -> FileResponse:
    stored = _stored_file(request.user, name)
    if stored is None:
        raise Http404
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
