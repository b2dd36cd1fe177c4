"""What a part is: its function (category), its customs classification (HS code, CHPL tier) and its number."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from components.partnumbers import part_number_key
from config.common.models import TimeStampedModel
from config.common.text import localized
from manufacturers.models import Manufacturer

__all__ = ["Category", "ChplTier", "HSCode", "Part"]


class ChplTier(models.TextChoices):
    """Tiers of the Common High Priority List (EU/US/UK/JP, version of 2024-02-23)."""

    TIER_1 = "1", _("Tier 1")
    TIER_2 = "2", _("Tier 2")
    TIER_3A = "3.A", _("Tier 3.A")
    TIER_3B = "3.B", _("Tier 3.B")
    TIER_4A = "4.A", _("Tier 4.A")
    TIER_4B = "4.B", _("Tier 4.B")


class HSCode(TimeStampedModel):
    code = models.CharField(
        _("HS-6 code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("An HS-6 code is six digits."))],
    )
    description = models.CharField(_("description"), max_length=300)
    chpl_tier = models.CharField(_("CHPL tier"), max_length=3, choices=ChplTier.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_code_six_digits",
                violation_error_message=_("An HS-6 code is six digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Category(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    name_uk = models.CharField(_("name in Ukrainian"), max_length=100, blank=True)
    hs_code = models.ForeignKey(
        HSCode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("typical HS code"),
        help_text=_("Used for the CHPL tier of parts in this category that have no HS code of their own."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="%(app_label)s_%(class)s_name_unique_ci",
                violation_error_message=_("A category with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return localized(self.name, self.name_uk)


class Part(TimeStampedModel):
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, related_name="parts", verbose_name=_("manufacturer")
    )
    part_number = models.CharField(_("part number"), max_length=100, help_text=_("As printed."))
    part_number_key = models.CharField(_("normalised part number"), max_length=100, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="parts", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    hs_code = models.ForeignKey(
        HSCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="parts", verbose_name=_("HS code")
    )
    eccn = models.CharField(_("ECCN"), max_length=20, blank=True)
    datasheet_url = models.URLField(_("datasheet URL"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["manufacturer__name", "part_number"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "part_number_key"],
                name="%(app_label)s_%(class)s_unique_per_manufacturer",
                violation_error_message=_("This manufacturer already has a part with this number."),
            ),
            models.CheckConstraint(
                condition=~Q(part_number_key=""),
                name="%(app_label)s_%(class)s_number_not_blank",
                violation_error_message=_("A part number is required."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} ({self.manufacturer})"

    def clean(self) -> None:
        self.part_number_key = part_number_key(self.part_number)
        if not self.part_number_key:
            raise ValidationError({"part_number": _("A part number is required.")})
        clash = Part.objects.filter(manufacturer_id=self.manufacturer_id, part_number_key=self.part_number_key)
        if self.manufacturer_id and clash.exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "part_number": _(
                        "This manufacturer already has a part with this number (ignoring case, spaces and dashes)."
                    )
                }
            )

    def save(self, *args, **kwargs):
        self.part_number_key = part_number_key(self.part_number)
        super().save(*args, **kwargs)
