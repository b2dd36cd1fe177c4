"""Who made a part: manufacturers, the names they go by, who owns them, and their sanctions listings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from config.common.countries import country_code_q
from config.common.models import TimeStampedModel
from config.common.text import name_key

__all__ = ["Designation", "Manufacturer", "ManufacturerAlias", "Ownership"]


class Manufacturer(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Canonical name."))
    name_key = models.CharField(_("name key"), max_length=200, unique=True, editable=False)
    country = CountryField(_("HQ country"), help_text=_("Country of the headquarters (ISO alpha-2)."))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reviewed = models.BooleanField(
        _("reviewed"), default=True, help_text=_("Imports create unreviewed manufacturers for an analyst to check.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        constraints = [
            models.CheckConstraint(
                condition=country_code_q("country", allow_blank=False),
                name="%(app_label)s_%(class)s_country_valid",
                violation_error_message=_("Country must be a valid ISO 3166-1 alpha-2 code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name_key = name_key(self.name)
        if Manufacturer.objects.filter(name_key=self.name_key).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"name": _("A manufacturer with this name already exists (ignoring case and spaces).")}
            )

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class ManufacturerAlias(TimeStampedModel):
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("manufacturer")
    )
    alias = models.CharField(_("alias"), max_length=200, help_text=_("A name as printed or as reported."))
    alias_key = models.CharField(_("alias key"), max_length=200, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name = _("manufacturer alias")
        verbose_name_plural = _("manufacturer aliases")

    def __str__(self) -> str:
        return self.alias

    def clean(self) -> None:
        self.alias_key = name_key(self.alias)
        if ManufacturerAlias.objects.filter(alias_key=self.alias_key).exclude(pk=self.pk).exists():
            raise ValidationError({"alias": _("This alias is already in use (ignoring case and spaces).")})

    def save(self, *args, **kwargs):
        self.alias_key = name_key(self.alias)
        super().save(*args, **kwargs)


class Ownership(TimeStampedModel):
    parent = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="subsidiaries", verbose_name=_("parent")
    )
    child = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="owners", verbose_name=_("subsidiary")
    )
    start_on = models.DateField(_("owned since"))
    end_on = models.DateField(_("owned until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child__name", "start_on"]
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("child")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message=_("A manufacturer cannot own itself."),
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["parent", "child", "start_on"], name="%(app_label)s_%(class)s_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} owns {self.child} since {self.start_on}"


class Designation(TimeStampedModel):
    class Authority(models.TextChoices):
        US_OFAC_SDN = "US-OFAC-SDN", _("US OFAC SDN list")
        US_BIS_ENTITY = "US-BIS-EL", _("US BIS Entity List")
        EU = "EU", _("European Union")
        UK = "UK", _("United Kingdom")
        JP = "JP", _("Japan")
        CH = "CH", _("Switzerland")
        CA = "CA", _("Canada")
        AU = "AU", _("Australia")
        UA_NSDC = "UA-NSDC", _("Ukraine NSDC")
        OTHER = "OTHER", _("Other")

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="designations", verbose_name=_("manufacturer")
    )
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices)
    program = models.CharField(_("programme"), max_length=200, blank=True)
    listed_on = models.DateField(_("listed on"))
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["manufacturer__name", "listed_on"]
        verbose_name = _("sanctions designation")
        verbose_name_plural = _("sanctions designations")
        constraints = [
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=F("listed_on")),
                name="%(app_label)s_%(class)s_delisted_after_listed",
                violation_error_message=_("The delisting date must not be before the listing date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer}: {self.get_authority_display()} {self.listed_on}"
