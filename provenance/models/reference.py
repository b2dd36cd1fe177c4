"""Weapon models and their aliases, strikes (attack events) and sources (citations)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from config.common.countries import country_code_q
from config.common.models import TimeStampedModel
from config.common.text import localized, name_key

__all__ = ["Source", "Strike", "WeaponAlias", "WeaponModel"]


class Source(TimeStampedModel):
    class Reliability(models.TextChoices):
        """Source reliability, as in the Admiralty (NATO) grading."""

        A = "A", _("A: completely reliable")
        B = "B", _("B: usually reliable")
        C = "C", _("C: fairly reliable")
        D = "D", _("D: not usually reliable")
        E = "E", _("E: unreliable")
        F = "F", _("F: reliability cannot be judged")

    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=400)
    url = models.URLField(_("URL"), max_length=500, blank=True, db_index=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices, default="F")
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class WeaponModel(TimeStampedModel):
    class Kind(models.TextChoices):
        CRUISE_MISSILE = "cruise missile", _("cruise missile")
        BALLISTIC_MISSILE = "ballistic missile", _("ballistic missile")
        AIR_LAUNCHED_CRUISE_MISSILE = "air-launched cruise missile", _("air-launched cruise missile")
        AIR_LAUNCHED_BALLISTIC_MISSILE = "air-launched ballistic missile", _("air-launched ballistic missile")
        LOITERING_MUNITION = "loitering munition", _("loitering munition")
        UAV = "UAV", _("UAV")
        GUIDED_BOMB = "guided bomb", _("guided bomb")
        ROCKET = "rocket", _("rocket")
        OTHER = "other", _("other")

    designation = models.CharField(_("designation"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_uk = models.CharField(_("name in Ukrainian"), max_length=200, blank=True)
    family = models.CharField(_("family"), max_length=100, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, default=Kind.OTHER)
    origin_country = CountryField(_("origin country"), help_text=_("The country that builds the weapon."))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["designation"]
        verbose_name = _("weapon model")
        verbose_name_plural = _("weapon models")
        constraints = [
            models.CheckConstraint(
                condition=country_code_q("origin_country", allow_blank=False),
                name="%(app_label)s_%(class)s_origin_country_valid",
                violation_error_message=_("Origin country must be a valid ISO 3166-1 alpha-2 code."),
            ),
        ]

    @property
    def local_name(self) -> str:
        """The name in the active language (Ukrainian where one is kept)."""
        return localized(self.name, self.name_uk)

    def __str__(self) -> str:
        name = self.local_name
        return f"{self.designation} {name}" if name and name != self.designation else self.designation


class WeaponAlias(TimeStampedModel):
    weapon_model = models.ForeignKey(
        WeaponModel, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("weapon model")
    )
    alias = models.CharField(_("alias"), max_length=100)
    alias_key = models.CharField(_("alias key"), max_length=100, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name = _("weapon alias")
        verbose_name_plural = _("weapon aliases")

    def __str__(self) -> str:
        return self.alias

    def clean(self) -> None:
        self.alias_key = name_key(self.alias)
        if WeaponAlias.objects.filter(alias_key=self.alias_key).exclude(pk=self.pk).exists():
            raise ValidationError({"alias": _("This alias is already in use (ignoring case and spaces).")})

    def save(self, *args, **kwargs):
        self.alias_key = name_key(self.alias)
        super().save(*args, **kwargs)


class Strike(TimeStampedModel):
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    launched_summary = models.CharField(
        _("launched (as reported)"), max_length=300, blank=True, help_text=_("e.g. '605 drones and 13 missiles'")
    )
    launched_count = models.PositiveIntegerField(_("launched"), null=True, blank=True)
    intercepted_count = models.PositiveIntegerField(_("intercepted"), null=True, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="strikes", verbose_name=_("sources"))
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("strike")
        verbose_name_plural = _("strikes")
        constraints = [
            models.CheckConstraint(
                condition=Q(intercepted_count__isnull=True)
                | Q(launched_count__isnull=True)
                | Q(intercepted_count__lte=models.F("launched_count")),
                name="%(app_label)s_%(class)s_intercepted_le_launched",
                violation_error_message=_("More intercepted than launched."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.place}".strip()
