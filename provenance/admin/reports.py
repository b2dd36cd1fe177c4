"""Admin for briefing reports: the list of issued reports (state, TLP, digest, files), a request form, downloads.

Also the "Briefing report" actions used on the weapon-model and recovered-item lists. The admin only
parses input and calls `provenance.services.briefings`; issued reports are records and cannot be edited
or deleted here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from provenance.briefings.params import LANGUAGES, RESTRICTIONS_DATE, active_language, params_from_query
from provenance.filters import AnalyticsParamsForm
from provenance.media import briefing_file_response
from provenance.models import BriefingReport, RecoveredItem, WeaponModel
from provenance.models.items import TLP_COLOUR
from provenance.selectors.analytics import ATTRIBUTION_RULES, PERIOD_RULES, UNIT_RULES
from provenance.services.briefings import FORMATS, briefing_request

STATE_STYLE = {"queued": "#666", "running": "#205081", "done": "#1e6b2e", "failed": "#b00020"}


class BriefingRequestForm(forms.Form):
    """What a briefing covers and how it counts; validated by the shared analytics parameter form."""

    title = forms.CharField(
        label=_("title"), required=False, max_length=300, help_text=_("Default: from the selection.")
    )
    note = forms.CharField(
        label=_("analyst's note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Printed on the cover, as typed."),
    )
    weapon = forms.ModelChoiceField(
        label=_("weapon model"), queryset=WeaponModel.objects.all(), required=False, to_field_name="designation"
    )
    family = forms.ChoiceField(label=_("weapon family"), required=False)
    item = forms.CharField(label=_("recovered item (reference)"), required=False, max_length=100)
    date_from = forms.DateField(label=_("recovered from"), required=False, help_text=_("YYYY-MM-DD"))
    date_to = forms.DateField(label=_("recovered to"), required=False, help_text=_("YYYY-MM-DD"))
    attribution = forms.ChoiceField(
        label=_("attribution"),
        choices=[(key, choice.label) for key, choice in ATTRIBUTION_RULES.items()],
        initial="hq",
    )
    unit = forms.ChoiceField(
        label=_("unit"), choices=[(key, choice.label) for key, choice in UNIT_RULES.items()], initial="units"
    )
    foreign_only = forms.BooleanField(label=_("foreign-made parts only"), required=False)
    period = forms.ChoiceField(
        label=_("year-over-year by"),
        choices=[(key, choice.label) for key, choice in PERIOD_RULES.items()],
        initial="recovered",
    )
    as_of = forms.DateField(label=_("ownership as of"), required=False, help_text=_("Default: today."))
    produced_after = forms.DateField(label=_("produced after"), initial=RESTRICTIONS_DATE, required=False)
    language = forms.ChoiceField(
        label=_("language"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code in LANGUAGES],
        required=False,
        help_text=_("The language the briefing is written in."),
    )
    status = forms.ChoiceField(
        label=_("review status (at least)"),
        choices=AnalyticsParamsForm.base_fields["status"].choices,
        initial="verified",
        required=False,
        help_text=_("Briefings count verified and published items unless you choose otherwise."),
    )
    formats = forms.MultipleChoiceField(
        label=_("formats"),
        choices=[(f, f.upper()) for f in FORMATS],
        initial=list(FORMATS),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        families = WeaponModel.objects.exclude(family="").order_by("family").values_list("family", flat=True)
        self.fields["family"].choices = [("", "---------"), *((f, f) for f in families.distinct())]
        self.fields["language"].initial = active_language()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        query = {
            "title": data.get("title"),
            "note": data.get("note"),
            "weapon": data["weapon"].designation if data.get("weapon") else "",
            "family": data.get("family"),
            "item": data.get("item"),
            "from": data.get("date_from"),
            "to": data.get("date_to"),
            "attribution": data.get("attribution"),
            "unit": data.get("unit"),
            "foreign_only": "1" if data.get("foreign_only") else "",
            "period": data.get("period"),
            "as_of": data.get("as_of"),
            "produced_after": data.get("produced_after"),
            "language": data.get("language") or active_language(),
            "status": data.get("status"),
        }
        try:
            self.params = params_from_query(
                {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in query.items()}
            )
        except ValidationError as error:
            names = {"from": "date_from", "to": "date_to"}
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    self.add_error(names.get(field, field) if names.get(field, field) in self.fields else None, message)
        return data


@admin.register(BriefingReport)
class BriefingReportAdmin(admin.ModelAdmin):
    """Issued briefing reports: read-only records with their files; "Add" opens the request form."""

    list_display = ("title", "state_badge", "tlp_badge", "requested", "created_at", "digest_short", "files")
    list_filter = ("state", "tlp", "organisation")
    search_fields = ("title", "data_digest", "html_sha256", "pdf_sha256", "csv_sha256")
    list_select_related = ("requested_by", "organisation")
    date_hierarchy = "created_at"
    actions = ["issue_again"]
    fields = (
        "title",
        "state_badge",
        "error",
        "tlp_badge",
        "parameters_table",
        "requested_by",
        "organisation",
        "created_at",
        "finished_at",
        "task_id",
        "data_digest",
        "files_with_digests",
    )
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, obj: BriefingReport) -> str:
        return format_html('<b style="color:{}">{}</b>', STATE_STYLE.get(obj.state, "#000"), obj.get_state_display())

    @admin.display(description=_("TLP"), ordering="tlp")
    def tlp_badge(self, obj: BriefingReport) -> str:
        return format_html(
            '<span style="background:#000;color:{};padding:1px 6px;font-weight:bold;white-space:nowrap">TLP:{}</span>',
            TLP_COLOUR.get(obj.tlp, "#fff"),
            obj.tlp,
        )

    @admin.display(description=_("requested by"))
    def requested(self, obj: BriefingReport) -> str:
        who = obj.requested_by.get_username() if obj.requested_by else _("command line")

        return f"{who} for {obj.organisation}" if obj.organisation else who

    @admin.display(description=_("data digest"), ordering="data_digest")
    def digest_short(self, obj: BriefingReport) -> str:
        if not obj.data_digest:
            return "–"
        return format_html('<code title="{}">{}…</code>', obj.data_digest, obj.data_digest[:12])

    @admin.display(description=_("files"))
    def files(self, obj: BriefingReport) -> str:
        links = [(self._download_url(obj, fmt), fmt.upper()) for fmt in FORMATS if getattr(obj, fmt)]
        if not links:
            return obj.error[:80] if obj.state == BriefingReport.State.FAILED else "–"
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    @admin.display(description=_("files and their SHA-256"))
    def files_with_digests(self, obj: BriefingReport) -> str:
        rows = [
            (self._download_url(obj, fmt), fmt.upper(), getattr(obj, f"{fmt}_sha256"))
            for fmt in FORMATS
            if getattr(obj, fmt)
        ]
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a> <code>{}</code>', rows) or "–"

    @admin.display(description=_("parameters"))
    def parameters_table(self, obj: BriefingReport) -> str:
        pairs = [(k, v) for k, v in (obj.parameters or {}).items() if v not in (None, "", [], False)]
        return format_html_join(mark_safe("<br>"), "<b>{}</b>: {}", pairs) or "–"

    def _download_url(self, obj: BriefingReport, fmt: str) -> str:
        return reverse("admin:provenance_briefingreport_download", args=[obj.pk, fmt])

    def get_urls(self):
        # The download is the API's (`provenance.media.briefing_file_response`), for the user logged in.
        urls = [
            path(
                "<int:pk>/download/<str:fmt>/",
                self.admin_site.admin_view(briefing_file_response),
                name="provenance_briefingreport_download",
            ),
        ]
        return urls + super().get_urls()

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        """The request form: parameters in, a queued (or, with the immediate backend, finished) report out."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BriefingRequestForm(request.POST or None, initial=request.GET.dict() or None)
        if request.method == "POST" and form.is_valid():
            report = briefing_request(
                params=form.params, requested_by=request.user, formats=form.cleaned_data["formats"]
            )
            _announce(request, [report])
            return HttpResponseRedirect(reverse("admin:provenance_briefingreport_change", args=[report.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Request a briefing report"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "provenance/briefing/admin_request.html", context)

    @admin.action(description=_("Issue again with the same parameters"), permissions=["add"])
    def issue_again(self, request: HttpRequest, queryset: QuerySet[BriefingReport]) -> None:
        from provenance.briefings.params import BriefingParams

        reports = [
            briefing_request(
                params=BriefingParams.from_json(old.parameters),
                requested_by=request.user,
                organisation=old.organisation,
                formats=old.parameters.get("formats") or FORMATS,
            )
            for old in queryset
        ]
        _announce(request, reports)


def _announce(request: HttpRequest, reports: list[BriefingReport]) -> None:
    for report in reports:
        url = reverse("admin:provenance_briefingreport_change", args=[report.pk])
        if report.state == BriefingReport.State.FAILED:
            messages.error(
                request, format_html(_('Briefing <a href="{}">{}</a> failed: {}'), url, report.pk, report.error)
            )
        else:
            messages.success(
                request,
                format_html(
                    _('Briefing <a href="{}">{}</a> “{}”: {}.'),
                    url,
                    report.pk,
                    report.title,
                    report.get_state_display(),
                ),
            )


def _can_request(request: HttpRequest) -> bool:
    return request.user.has_perm("provenance.add_briefingreport")


@admin.action(description=_("Briefing report"))
def briefing_for_weapon_models(modeladmin, request: HttpRequest, queryset: QuerySet[WeaponModel]):
    """One briefing per selected weapon model, over all its recovered items."""
    if not _can_request(request):
        raise PermissionDenied
    from provenance.briefings.params import BriefingParams

    reports = [
        briefing_request(
            params=BriefingParams(weapon=weapon.designation, language=active_language()), requested_by=request.user
        )
        for weapon in queryset.order_by("designation")
    ]
    _announce(request, reports)
    return HttpResponseRedirect(reverse("admin:provenance_briefingreport_changelist"))


@admin.action(description=_("Briefing report"))
def briefing_for_items(modeladmin, request: HttpRequest, queryset: QuerySet[RecoveredItem]):
    """One briefing over the selected recovered items together."""
    if not _can_request(request):
        raise PermissionDenied
    from provenance.briefings.params import BriefingParams

    references = tuple(queryset.order_by("reference").values_list("reference", flat=True))
    if not references:
        return None
    report = briefing_request(
        params=BriefingParams(items=references, language=active_language()), requested_by=request.user
    )
    _announce(request, [report])
    return HttpResponseRedirect(reverse("admin:provenance_briefingreport_change", args=[report.pk]))
