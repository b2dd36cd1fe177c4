"""Admin for the sanctions lists: the imports (with the upload of a list file), the listed entities as the lists
publish them (read only), and the designations, of which an analyst may enter a manufacturer's by hand (from an
authority's press release, say); imported designations are read only.

Imported by `manufacturers.admin` (so the admin's autodiscovery registers it).
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from config.common.uploads import size_limited_upload, upload_too_large
from manufacturers.models import Designation, ListedEntity, ListedOwnership, ListImport
from manufacturers.sanctions.importing import ENTITY_FIELDS, SanctionsImportError, sanctions_list_import

__all__ = ["DesignationForm", "ListUploadForm", "ManualDesignationInline"]


def authority_choices() -> list[tuple[str, str]]:
    return [("", "---------"), ("EU", _("European Union")), *((code, name) for code, name in countries)]


class DesignationForm(forms.ModelForm):
    """A designation entered by hand: the authority chosen from EU and the countries."""

    authority = forms.ChoiceField(label=_("authority"), choices=authority_choices)

    class Meta:
        model = Designation
        fields = [
            "manufacturer",
            "authority",
            "program",
            "measure",
            "listed_on",
            "date_kind",
            "date_source",
            "delisted_on",
            "reason",
            "reference",
            "source_url",
        ]


MANUAL_FIELDS = [f for f in DesignationForm.Meta.fields if f != "manufacturer"]


class ManualDesignationInline(admin.StackedInline):
    """On a manufacturer's page: the designations an analyst entered by hand (imported ones are matched)."""

    model = Designation
    form = DesignationForm
    fields = MANUAL_FIELDS
    extra = 0
    verbose_name = _("designation entered by hand")
    verbose_name_plural = _("designations entered by hand (from an authority's press release, say)")


class ListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("list file"),
        help_text=_(
            "A FollowTheMoney entity stream (entities.ftm.json) or delta, the US Consolidated Screening List CSV, "
            "or an EU Official Journal extract CSV."
        ),
    )
    format = forms.ChoiceField(
        label=_("format"),
        required=False,
        choices=[("", _("guess from the content")), *ListImport.Format.choices],
    )
    dry_run = forms.BooleanField(label=_("check only (write nothing)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        too_large = upload_too_large(upload.size, UPLOAD_LIMIT)
        if too_large:
            raise forms.ValidationError([too_large, LARGER_FILES])
        return upload


LARGER_FILES = _("Import a larger list with the command manage.py import_sanctions FILE.")
UPLOAD_LIMIT = "SANCTIONS_UPLOAD_MAX_BYTES"


@admin.register(ListImport)
class ListImportAdmin(admin.ModelAdmin):
    """The list of imports; "add" is the upload of a list file, through the same service as the command."""

    list_display = ["file_name", "format", "created_at", "created", "changed", "unchanged", "skipped", "deleted"]
    list_filter = ["format"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [
        "format",
        "source",
        "file_name",
        "sha256",
        "size",
        "lines",
        "created",
        "changed",
        "unchanged",
        "skipped",
        "deleted",
        "skipped_by_schema",
        "imported_by",
        "imported_via",
        "created_at",
    ]
    fields = readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        """The upload refuses a file over SANCTIONS_UPLOAD_MAX_BYTES from its Content-Length, before reading it."""
        name = "manufacturers_listimport_add"
        add = size_limited_upload(UPLOAD_LIMIT, self._too_large)(self.add_view)
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != name]
        return [path("add/", self.admin_site.admin_view(add), name=name), *urls]

    def _upload_context(self, request: HttpRequest, form: ListUploadForm) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": _("Upload a sanctions list"),
            "opts": self.model._meta,
            "form": form,
            "errors": [],
            "limit_setting": UPLOAD_LIMIT,
        }

    def _too_large(self, request: HttpRequest, message: str) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:manufacturers_listimport_changelist"))
        context = {**self._upload_context(request, ListUploadForm()), "too_large": [message, LARGER_FILES]}
        return TemplateResponse(request, "admin/manufacturers/listimport/upload.html", context, status=413)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:manufacturers_listimport_changelist"))
        form = ListUploadForm(request.POST or None, request.FILES or None)
        context = self._upload_context(request, form)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = sanctions_list_import(
                    stream=upload,
                    file_name=upload.name,
                    format=form.cleaned_data["format"] or None,
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                    via="admin upload",
                )
            except SanctionsImportError as error:
                context["errors"] = error.lines()
                context["file_name"] = upload.name
            else:
                messages.success(request, f"{upload.name} ({summary.format}): {summary.line()}")
                if summary.list_import is None:
                    return HttpResponseRedirect(reverse("admin:manufacturers_listimport_add"))
                return HttpResponseRedirect(reverse("admin:manufacturers_listimport_changelist"))
        return TemplateResponse(request, "admin/manufacturers/listimport/upload.html", context)


class ListedDesignationInline(admin.TabularInline):
    model = Designation
    fields = ["authority", "program", "measure", "listed_on", "date_kind", "delisted_on", "reference", "source_url"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ListedOwnerInline(admin.TabularInline):
    model = ListedOwnership
    fk_name = "asset"
    fields = ["owner", "percentage", "role", "start_on", "end_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("listed owner")
    verbose_name_plural = _("listed owners")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ListedEntity)
class ListedEntityAdmin(admin.ModelAdmin):
    """Read only: a listed entity is what its list says; a re-import updates it."""

    list_display = ["caption", "schema", "countries", "datasets", "removed_at"]
    list_filter = ["schema", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["caption", "source_id", "name_rows__name"]
    show_facets = admin.ShowFacets.NEVER
    fields = ["source_id", *(name for name in ENTITY_FIELDS if name != "digest")]
    readonly_fields = fields
    inlines = [ListedDesignationInline, ListedOwnerInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    """Every designation; those entered by hand are edited here or on their manufacturer's page."""

    form = DesignationForm
    list_display = ["__str__", "authority", "program", "measure", "listed_on", "date_kind", "delisted_on"]
    list_filter = ["authority", "measure", "date_kind", ("manufacturer", admin.EmptyFieldListFilter)]
    list_select_related = ["manufacturer", "listed_entity"]
    search_fields = ["manufacturer__name", "listed_entity__caption", "program", "reference"]
    autocomplete_fields = ["manufacturer"]
    date_hierarchy = "listed_on"
    show_facets = admin.ShowFacets.NEVER

    def get_fields(self, request, obj=None):
        if obj is not None and obj.listed_entity_id:
            return ["listed_entity", "source_id", *MANUAL_FIELDS, "provisions", "import_run"]
        return DesignationForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.listed_entity_id:
            return self.get_fields(request, obj)
        return []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and obj.listed_entity_id:
            kwargs["form"] = forms.ModelForm
        form = super().get_form(request, obj, change, **kwargs)
        if "manufacturer" in form.base_fields:
            form.base_fields["manufacturer"].required = True
        return form
