"""The review trail of a recovered item: status transitions and the chain of custody (both append-only)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .items import RecoveredItem

__all__ = ["CustodyEvent", "ItemTransition"]


class AppendOnlyModel(models.Model):
    """Rows are added, never changed or deleted (the database refuses it too, see the migration's triggers)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("%(model)s records cannot be changed.") % {"model": self._meta.verbose_name})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("%(model)s records cannot be deleted.") % {"model": self._meta.verbose_name})


class ItemTransition(AppendOnlyModel):
    """One change of a recovered item's review status: from, to, who, when and why."""

    item = models.ForeignKey(
        RecoveredItem, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("recovered item")
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=10, choices=RecoveredItem.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=RecoveredItem.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["item", "at", "id"]
        default_permissions = ("view",)  # written only by provenance.services.workflow
        verbose_name = _("status transition")
        verbose_name_plural = _("status transitions")
        indexes = [models.Index(fields=["item", "at"], name="prov_transition_item_at")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class CustodyEvent(AppendOnlyModel):
    """One hand-over of a physical item (Berkeley Protocol chain of custody)."""

    item = models.ForeignKey(
        RecoveredItem, on_delete=models.PROTECT, related_name="custody_events", verbose_name=_("recovered item")
    )
    occurred_at = models.DateTimeField(_("when"))
    received_from = models.CharField(_("received from"), max_length=200, blank=True)
    handed_to = models.CharField(_("handed to"), max_length=200)
    place = models.CharField(_("where"), max_length=200, blank=True)
    purpose = models.CharField(_("why"), max_length=300, blank=True)
    seal_number = models.CharField(_("seal or bag number"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["item", "occurred_at", "id"]
        default_permissions = ("add", "view")  # append-only
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        indexes = [models.Index(fields=["item", "occurred_at"], name="prov_custody_item_at")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M}: {self.received_from or '?'} → {self.handed_to}"
