"""Sharing with partner organisations (MISP-like): organisations, their API keys, and the access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from config.common.models import TimeStampedModel

__all__ = ["AccessLog", "Organisation", "OrganisationAPIKey"]


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("internal")
        PARTNER = "partner", _("partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PARTNER)
    country = CountryField(_("country"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organisations", verbose_name=_("members")
    )
    notes = models.TextField(_("notes"), blank=True)
    named_as_owner = models.BooleanField(
        _("named as owner to partners"),
        default=False,
        help_text=_("Show this organisation's name as the owner of its items to other partner organisations."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationAPIKey(AbstractAPIKey):
    """A partner's key: stored hashed (prefix + hash), shown once, with expiry and revocation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("organisation")
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    # Who created, renamed, extended or revoked a key, and when (last use is written without a history row).
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")


class AccessLog(models.Model):
    """One partner API request: who, what, and how many records it returned."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    api_key = models.ForeignKey(
        OrganisationAPIKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("API key"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("organisation"),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    query = models.CharField(_("query string"), max_length=1000, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    records = models.PositiveIntegerField(_("records returned"), null=True, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("API access")
        verbose_name_plural = _("API access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.organisation} {self.method} {self.path} {self.status}"
