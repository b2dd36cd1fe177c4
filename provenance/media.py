"""Stored files (evidence, rendered briefings) are served only through this module, in every settings module.

`media_file_view`: `MEDIA_URL` points here, so every link the admin builds (`FieldFile.url`) passes the
permission check. A file is served to an active staff user holding the view permission of the row that stores
it (an evidence file, or a briefing report); to anyone else, and for any other path, it does not exist (404).

`briefing_file_response`: a rendered briefing by report and format, the one download behind both the admin's
links and the API's `/api/v1/briefings/<id>/<fmt>/`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest

from config.common.exports import CONTENT_TYPES
from provenance.models import BriefingReport, EvidenceFile, Organisation
from provenance.selectors.visibility import briefing_reports_visible_to, internal_user_may_view
from provenance.services.briefings import FORMATS

__all__ = ["briefing_file_response", "media_file_view"]

# A rendered briefing may show itself (inline styles, embedded images) and nothing else: no script, no request.
BRIEFING_FILE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


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


def briefing_file_response(
    request: HttpRequest, pk: int, fmt: str, *, organisation: Organisation | None = None
) -> FileResponse:
    """The `fmt` file (html, pdf or csv) of briefing report `pk`, to `organisation` (an API key's owner) or else to
    the request's user: a staff user without the view permission of reports is refused (403, as in the admin); a
    report the caller may not read, or a format it was not rendered in, does not exist (404). The HTML opens in the
    browser (under `BRIEFING_FILE_POLICY`), PDF and CSV download as files."""
    if organisation is None and not internal_user_may_view(request.user, BriefingReport):
        raise PermissionDenied
    report = briefing_reports_visible_to(organisation=organisation, user=request.user).filter(pk=pk).first()
    if report is None or fmt not in FORMATS or not getattr(report, fmt):
        raise Http404
    response = FileResponse(
        getattr(report, fmt).open("rb"),
        content_type=CONTENT_TYPES[fmt],
        as_attachment=fmt != "html",
        filename=f"briefing-{report.pk}-TLP-{report.tlp}.{fmt}",
    )
    response["Content-Security-Policy"] = BRIEFING_FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
