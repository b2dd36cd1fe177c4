"""Briefing reports: immutable snapshots of what was reported, from which data, to whom."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .items import TLP

__all__ = ["BriefingReport"]


class BriefingReport(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    title = models.CharField(_("title"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    organisation = models.ForeignKey(
        "provenance.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("for organisation"),
        help_text=_("Set when a partner requested the report: it counts only what that partner may see."),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=100, blank=True)
    tlp = models.CharField(_("TLP"), max_length=12, choices=TLP.choices, default=TLP.CLEAR)
    data_digest = models.CharField(_("data digest (SHA-256)"), max_length=64, blank=True)
    html = models.FileField(_("HTML"), upload_to="reports/%Y/%m/", blank=True)
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    csv = models.FileField(_("CSV"), upload_to="reports/%Y/%m/", blank=True)
    csv_sha256 = models.CharField(_("CSV SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("briefing report")
        verbose_name_plural = _("briefing reports")

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.title
