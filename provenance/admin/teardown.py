"""Admin: the "Import teardown list" page (upload, preview, confirm) and the teardown export actions.

The page lives at /admin/provenance/teardown-import/ (a page of `config.admin.ProjectAdminSite`, as the
analytics page is) and is linked from the recovered-item list. Step one stores the upload in a private
temporary directory under a random token kept in the session and shows a dry run (what would be created
and changed, or every error); step two re-validates the same file and imports it. Both steps call
`provenance.services.teardown.teardown_import`; the admin holds no import logic of its own.
"""

import csv
import secrets
import tempfile
import time
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from config.common.exports import CONTENT_TYPES, escape_formula
from config.common.uploads import size_limited_upload, upload_too_large
from provenance.services.teardown import teardown_export, teardown_import

__all__ = ["TEARDOWN_EXPORT_ACTIONS", "teardown_import_view"]

_SESSION_KEY = "teardown_uploads"
_UPLOAD_EXTENSIONS = (".csv", ".xlsx")


def _upload_dir() -> Path:
    """Where uploads wait between preview and confirm: private, outside MEDIA_ROOT (never served)."""
    directory = Path(
        getattr(settings, "TEARDOWN_UPLOAD_DIR", Path(tempfile.gettempdir()) / "provenance-teardown-uploads")
    )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


class TeardownUploadForm(forms.Form):
    """The upload: a .csv or .xlsx file within TEARDOWN_MAX_BYTES, and an optional source URL."""

    file = forms.FileField(
        label=gettext_lazy("Teardown list"), help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file, header row first.")
    )
    source_url = forms.URLField(
        label=gettext_lazy("Source URL"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Recorded on every row that has no source_url of its own."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension not in _UPLOAD_EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file (this one is '%s').") % (extension or "none"))
        too_large = upload_too_large(upload.size, "TEARDOWN_MAX_BYTES")
        if too_large:
            raise forms.ValidationError(too_large)
        return upload


_UPLOAD_MAX_AGE_S = 24 * 3600


def _store_upload(request: HttpRequest, upload, source_url: str) -> str:
    token = secrets.token_urlsafe(24)
    extension = PurePath(upload.name).suffix.lower()
    directory = _upload_dir()
    cutoff = time.time() - _UPLOAD_MAX_AGE_S
    for stale in directory.iterdir():  # previews never confirmed or cancelled
        if stale.is_file() and stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    target = directory / f"{token}{extension}"
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    uploads = request.session.get(_SESSION_KEY, {})
    uploads[token] = {"path": str(target), "filename": PurePath(upload.name).name, "source_url": source_url}
    request.session[_SESSION_KEY] = uploads
    return token


def _pop_upload(request: HttpRequest, token: str) -> dict | None:
    uploads = request.session.get(_SESSION_KEY, {})
    entry = uploads.pop(token, None)
    request.session[_SESSION_KEY] = uploads
    return entry


def _discard(entry: dict) -> None:
    Path(entry["path"]).unlink(missing_ok=True)


def _too_large(request: HttpRequest, message: str) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Import teardown list"),
        "form": TeardownUploadForm(),
        "too_large": message,
    }
    return TemplateResponse(request, "admin/provenance/teardown/import.html", context, status=413)


@csrf_exempt  # `size_limited_upload` checks the size, then the CSRF token (which reads the body)
def teardown_import_view(request: HttpRequest) -> HttpResponse:
    """Refuse an oversized upload from its Content-Length, before a byte of it is read or stored."""
    if not (request.user.has_perm("provenance.add_recovereditem") and request.user.has_perm("provenance.add_finding")):
        raise PermissionDenied
    return _teardown_import_steps(request)


@size_limited_upload("TEARDOWN_MAX_BYTES", _too_large)
def _teardown_import_steps(request: HttpRequest) -> HttpResponse:
    """Upload -> preview (dry run) -> confirm (import); the same service underneath."""
    context = {**admin.site.each_context(request), "title": _("Import teardown list")}
    changelist = reverse("admin:provenance_recovereditem_changelist")
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        entry = _pop_upload(request, token)
        if entry is None:
            messages.error(request, _("That upload has expired or was already imported: upload the file again."))
            return HttpResponseRedirect(reverse("admin:provenance_teardown_import"))
        try:
            if "cancel" in request.POST:
                messages.info(request, _("Import cancelled; nothing was written."))
                return HttpResponseRedirect(reverse("admin:provenance_teardown_import"))
            result = teardown_import(
                file=entry["path"],
                filename=entry["filename"],
                source_url=entry["source_url"] or None,
                user=request.user,
            )
        finally:
            _discard(entry)
        if result.ok:
            messages.success(request, _("%(file)s imported: %(summary)s") % {
                "file": entry["filename"], "summary": result.summary()
            })  # fmt: skip
            return HttpResponseRedirect(changelist)
        context.update({"form": TeardownUploadForm(), "result": result, "filename": entry["filename"]})
        context.update(_error_context(request, result))
        return TemplateResponse(request, "admin/provenance/teardown/import.html", context)

    form = TeardownUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source_url = form.cleaned_data.get("source_url") or ""
        token = _store_upload(request, upload, source_url)
        entry = request.session[_SESSION_KEY][token]
        result = teardown_import(
            file=entry["path"], filename=entry["filename"], source_url=source_url or None, dry_run=True
        )
        if not result.ok:
            _discard(_pop_upload(request, token))
            token = None
        context.update({"form": TeardownUploadForm(), "result": result, "token": token, "filename": upload.name})
        context.update(_error_context(request, result))
    else:
        context["form"] = form
    return TemplateResponse(request, "admin/provenance/teardown/import.html", context)


_REPORTS_SESSION_KEY = "teardown_error_reports"


def _error_context(request: HttpRequest, result) -> dict:
    """The errors the page shows (the first TEARDOWN_ERRORS_SHOWN) and, when there are more, a link to all of
    them as a CSV file (written to the private upload directory, streamed back by `teardown_error_report_view`)."""
    shown = settings.TEARDOWN_ERRORS_SHOWN
    context = {"errors_shown": result.errors[:shown], "error_report": None}
    if len(result.errors) <= shown:
        return context
    token = secrets.token_urlsafe(24)
    with open(_upload_dir() / f"{token}.errors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
        for error in result.errors:
            writer.writerow([error.row or "", error.column, escape_formula(error.value), escape_formula(error.message)])
    request.session[_REPORTS_SESSION_KEY] = [*request.session.get(_REPORTS_SESSION_KEY, [])[-9:], token]
    context["error_report"] = reverse("admin:provenance_teardown_errors", args=[token])
    return context


def teardown_error_report_view(request: HttpRequest, token: str) -> HttpResponse:
    """The error report of one of this session's previews, as a CSV download."""
    path_ = _upload_dir() / f"{token}.errors.csv"
    if token not in request.session.get(_REPORTS_SESSION_KEY, []) or not path_.is_file():
        raise Http404
    return FileResponse(open(path_, "rb"), as_attachment=True, filename="teardown-errors.csv", content_type="text/csv")


# --- export actions on the recovered-item list -------------------------------------------------------------


def _export_response(queryset, format: str) -> HttpResponse:
    response = HttpResponse(teardown_export(items=queryset, format=format), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="teardown.{format}"'
    return response


@admin.action(description=gettext_lazy("Export teardown list (CSV)"), permissions=["view"])
def export_teardown_csv(modeladmin, request, queryset):
    """Download the selected items' findings as a teardown CSV (formula-safe)."""
    return _export_response(queryset, "csv")


@admin.action(description=gettext_lazy("Export teardown list (XLSX)"), permissions=["view"])
def export_teardown_xlsx(modeladmin, request, queryset):
    """Download the selected items' findings as a teardown XLSX workbook."""
    return _export_response(queryset, "xlsx")


@admin.action(description=gettext_lazy("Export teardown list (JSON)"), permissions=["view"])
def export_teardown_json(modeladmin, request, queryset):
    """Download the selected items' findings as teardown JSON."""
    return _export_response(queryset, "json")


TEARDOWN_EXPORT_ACTIONS = [export_teardown_csv, export_teardown_xlsx, export_teardown_json]
