"""Admin for the review workflow: the actions and buttons that move an item's status, the transition log,
the chain of custody, the evidence bundle. Everything here calls `provenance.services.workflow` (status),
`provenance.services.custody` (custody events, evidence bundle); the admin holds no rule of its own.

`ReviewWorkflowAdminMixin` is mixed into the recovered-item admin (`provenance.admin.items`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from provenance.models import CustodyEvent, Finding, ItemTransition, RecoveredItem
from provenance.selectors.history import finding_line_changes
from provenance.services.custody import custody_event_record, evidence_bundle_write
from provenance.services.workflow import (
    ACTIONS,
    FACT_FIELDS,
    TransitionRefused,
    item_content_changed,
    item_transition,
    items_transition,
    sharing_change_errors,
)

__all__ = [
    "REVIEW_ACTIONS",
    "CustodyEventInline",
    "ReviewActionForm",
    "ReviewWorkflowAdminMixin",
    "ReviewedItemForm",
]


class ReviewActionForm(ActionForm):
    """The list's action bar, with a comment kept with each transition."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=2000, widget=forms.TextInput(attrs={"size": 40})
    )


class ReviewedItemForm(forms.ModelForm):
    """The item form: TLP and sharing changes are checked against the user's role (the admin sets `user`);
    the reason given is kept in the history of the item and of each finding line saved with it."""

    user = None
    change_reason = forms.CharField(
        label=gettext_lazy("Reason for this change"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=gettext_lazy("Shown in the history of the item and of its finding lines."),
    )

    def clean(self):
        cleaned = super().clean()
        self.instance._change_reason = cleaned.get("change_reason") or None
        if self.user is not None:
            errors = sharing_change_errors(
                user=self.user,
                item=self.instance,
                tlp=cleaned.get("tlp") if "tlp" in self.changed_data or not self.instance.pk else None,
                shared_with_changed="shared_with" in self.changed_data,
            )
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned


class CustodyEventForm(forms.ModelForm):
    class Meta:
        model = CustodyEvent
        fields = ["occurred_at", "received_from", "handed_to", "place", "purpose", "seal_number"]


class CustodyEventInline(admin.TabularInline):
    """The chain of custody, in order; events are added, never changed or deleted."""

    model = CustodyEvent
    form = CustodyEventForm
    fields = [*CustodyEventForm.Meta.fields, "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


def _workflow_action(name: str):
    transition = ACTIONS[name]

    def action(modeladmin, request: HttpRequest, queryset):
        comment = request.POST.get("comment", "")
        done, refused = items_transition(items=queryset, action=name, user=request.user, comment=comment)
        if done:
            modeladmin.message_user(
                request,
                _("%(action)s: %(count)d item(s) done: %(refs)s.")
                % {"action": transition.label, "count": len(done), "refs": ", ".join(str(i) for i in done)},
                messages.SUCCESS,
            )
        for _item, why in refused:
            modeladmin.message_user(request, why, messages.ERROR)

    action.__name__ = name
    action.short_description = transition.label
    return action


WORKFLOW_ACTIONS = [_workflow_action(name) for name in ACTIONS]


@admin.action(description=gettext_lazy("Download evidence bundle (ZIP)"))
def evidence_bundle_action(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose exactly one item for an evidence bundle."), messages.ERROR)
        return None
    return _bundle_response(queryset.get())


def _bundle_response(item: RecoveredItem) -> HttpResponse:
    response = HttpResponse(content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{item.pk}.zip"'
    evidence_bundle_write(item=item, stream=response)
    return response


REVIEW_ACTIONS = [*WORKFLOW_ACTIONS, evidence_bundle_action]


class ReviewWorkflowAdminMixin:
    """Status read-only in the form; actions, buttons and logs of the review workflow on the item's pages."""

    form = ReviewedItemForm
    action_form = ReviewActionForm
    workflow_readonly_fields = ("status", "submitted_by", "findings_changed_by")

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.workflow_readonly_fields]
        if not request.user.has_perm("provenance.share_recovereditem"):
            fields.append("shared_with")
        return fields

    object_history_template = "admin/provenance/recovereditem/object_history.html"

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), (_("Review"), {"fields": ["change_reason"]})]

    def history_view(self, request, object_id, extra_context=None):
        changes = finding_line_changes(item_id=int(object_id)) if str(object_id).isdigit() else []
        return super().history_view(request, object_id, {**(extra_context or {}), "finding_changes": changes})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), CustodyEventInline]

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/review/<str:action>/",
                self.admin_site.admin_view(self.review_view),
                name="provenance_recovereditem_review",
            ),
            path(
                "<path:object_id>/evidence-bundle/",
                self.admin_site.admin_view(self.evidence_bundle_view),
                name="provenance_recovereditem_evidence_bundle",
            ),
        ]
        return urls + super().get_urls()

    def review_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """A button on the item's page: apply `action` with the comment typed beside the buttons."""
        if request.method != "POST":
            raise PermissionDenied
        item = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        try:
            item_transition(item=item, action=action, user=request.user, comment=request.POST.get("review_comment", ""))
        except TransitionRefused as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(item)s is now %(status)s.") % {"item": item, "status": item.get_status_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:provenance_recovereditem_change", args=[item.pk]))

    def evidence_bundle_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        item = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        return _bundle_response(item)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = self.get_object(request, object_id)
        if item is not None:
            extra_context = {
                **(extra_context or {}),
                "review_transitions": ItemTransition.objects.filter(item=item).select_related("by"),
                "review_actions": [
                    (name, transition.label)
                    for name, transition in ACTIONS.items()
                    if item.status in transition.sources and request.user.has_perm(transition.permission)
                ],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is CustodyEvent:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                if inline_form.instance.pk is None and inline_form.has_changed():
                    data = {k: inline_form.cleaned_data.get(k) for k in CustodyEventForm.Meta.fields}
                    formset.new_objects.append(custody_event_record(item=form.instance, user=request.user, **data))
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        reason = form.cleaned_data.get("change_reason") or None
        for formset in formsets:
            if formset.model is Finding:
                for line in formset.forms:
                    line.instance._change_reason = reason
        super().save_related(request, form, formsets, change)
        findings = any(
            fs.model is Finding and (fs.new_objects or fs.changed_objects or fs.deleted_objects) for fs in formsets
        )
        facts = change and any(name in form.changed_data for name in FACT_FIELDS)
        if findings or facts:
            item_content_changed(item=form.instance, user=request.user, findings=findings)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log to read: rows are written by the services, never added, changed or deleted here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ItemTransition)
class ItemTransitionAdmin(ReadOnlyAdmin):
    """Every status transition of every item: read-only, filterable."""

    list_display = ["at", "item", "action", "from_status", "to_status", "by", "comment"]
    list_filter = ["to_status", "from_status", "action", ("by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["item", "by"]
    search_fields = ["item__reference", "comment", "by__username"]
    date_hierarchy = "at"


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    """The chain of custody of every item (events are added on the item's page), read-only."""

    list_display = ["occurred_at", "item", "received_from", "handed_to", "place", "seal_number", "recorded_by"]
    list_select_related = ["item", "recorded_by"]
    search_fields = ["item__reference", "received_from", "handed_to", "seal_number"]
    date_hierarchy = "occurred_at"
