"""Recovered weapon samples, the component lines found in them, and the files that document both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from components.models import Category, Part
from config.common.countries import country_code_q
from config.common.models import TimeStampedModel
from manufacturers.models import Manufacturer
from provenance.finding_rules import NEEDS_MAKER_OR_COUNTRY, QUANTITY_POSITIVE
from provenance.storage import public_media_storage

from .reference import Source, Strike, WeaponModel
from .sharing import Organisation

__all__ = ["TLP", "DatePrecision", "EvidenceFile", "Finding", "RecoveredItem"]


class DatePrecision(models.TextChoices):
    """How much of a date is known: `2025-09-07`, `2025-09` or `2025` (stored as the first day)."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 labels, from the least to the most restricted."""

    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)

    @classmethod
    def highest(cls, values) -> "TLP":
        """The most restrictive of `values` (CLEAR when there are none)."""
        present = [v for v in values if v]
        return cls(max(present, key=cls.rank)) if present else cls.CLEAR


# The colour of each TLP label (FIRST's TLP 2.0 palette), for the admin's badges and the briefing's banner.
TLP_COLOUR = {"CLEAR": "#ffffff", "GREEN": "#33ff00", "AMBER": "#ffc000", "AMBER+STRICT": "#ffc000", "RED": "#ff2b2b"}


class RecoveredItem(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        PUBLISHED = "published", _("published")

        @classmethod
        def at_least(cls, status: str) -> list[str]:
            """The statuses that count for the analytics filter `status` (`any` or the lowest status)."""
            if status == "any":
                return list(cls.values)
            return list(cls.values)[list(cls.values).index(status) :]

    reference = models.CharField(
        _("reference"), max_length=100, unique=True, help_text=_("The analyst's reference, e.g. KYIV-2025-09-07-CAB.")
    )
    weapon_model = models.ForeignKey(
        WeaponModel, on_delete=models.PROTECT, related_name="items", verbose_name=_("weapon model")
    )
    strike = models.ForeignKey(
        Strike, on_delete=models.SET_NULL, null=True, blank=True, related_name="items", verbose_name=_("strike")
    )
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recovered_on_precision = models.CharField(
        _("recovered-on precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    analysed_on = models.DateField(_("analysed on"), null=True, blank=True)
    analysed_on_precision = models.CharField(
        _("analysed-on precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("City or oblast; shared."))
    site_details = models.TextField(
        _("site details"), blank=True, help_text=_("Exact site, coordinates: internal, never shared.")
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    notes = models.TextField(_("analyst notes"), blank=True, help_text=_("Internal, never shared."))
    custody_notes = models.TextField(_("chain of custody"), blank=True, help_text=_("Internal, never shared."))
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="items", verbose_name=_("owner organisation")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    tlp = models.CharField(_("TLP"), max_length=12, choices=TLP.choices, default=TLP.AMBER)
    shared_with = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="items_shared",
        verbose_name=_("shared with"),
        help_text=_("Organisations that may see this item when it is TLP:AMBER or TLP:AMBER+STRICT."),
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="items", verbose_name=_("sources"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Kept by provenance.services.workflow for the four-eyes rule: neither may verify the item.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    findings_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("findings last changed by"),
    )
    history = HistoricalRecords(m2m_fields=[shared_with, sources])

    class Meta:
        ordering = ["-recovered_on", "reference"]
        verbose_name = _("recovered item")
        verbose_name_plural = _("recovered items")
        permissions = [
            ("submit_recovereditem", _("Can submit a recovered item for review")),
            ("verify_recovereditem", _("Can verify a recovered item (four eyes)")),
            ("return_recovereditem", _("Can return a recovered item to draft")),
            ("publish_recovereditem", _("Can publish a verified recovered item")),
            ("share_recovereditem", _("Can share a recovered item with organisations")),
            ("lower_tlp", _("Can lower the TLP label of a recovered item")),
        ]
        indexes = [
            models.Index(fields=["weapon_model", "recovered_on"], name="prov_item_weapon_recovered"),
            models.Index(fields=["status", "tlp"], name="prov_item_status_tlp"),
        ]

    def __str__(self) -> str:
        return self.reference


class Finding(TimeStampedModel):
    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        PROBABLE = "probable", _("probable")
        POSSIBLE = "possible", _("possible")

    item = models.ForeignKey(
        RecoveredItem,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("recovered item"),
        db_index=False,  # prov_finding_item_line (item, line_no) serves every lookup by item
    )
    line_no = models.PositiveIntegerField(_("line"), default=0, help_text=_("Position in the teardown list."))
    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, null=True, blank=True, related_name="findings", verbose_name=_("part")
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("manufacturer"),
        db_index=False,  # prov_finding_maker_qty (manufacturer, quantity) serves lookups and per-maker sums
    )
    country = CountryField(
        _("maker's country"), blank=True, help_text=_("The maker's HQ country, or the only thing known.")
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name=_("category")
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    marking = models.TextField(_("marking"), blank=True)
    date_code = models.CharField(_("date code"), max_length=40, blank=True)
    produced_year = models.PositiveSmallIntegerField(_("produced (year)"), null=True, blank=True)
    produced_week = models.PositiveSmallIntegerField(_("produced (week)"), null=True, blank=True)
    lot_code = models.CharField(_("lot code"), max_length=60, blank=True)
    origin_marking = models.CharField(_("origin marking"), max_length=100, blank=True)
    origin_country = CountryField(_("origin country"), blank=True, help_text=_("From the origin marking."))
    module = models.CharField(_("module"), max_length=200, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.CONFIRMED
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name=_("source")
    )
    notes = models.TextField(_("notes"), blank=True)
    # The item's year recovered and year analysed, stored on each line so that a shift over 1,000,000 lines
    # groups one table instead of joining the items (kept by provenance.services.findings.finding_years_sync).
    recovered_year = models.PositiveSmallIntegerField(_("year recovered (of the item)"), null=True, editable=False)
    analysed_year = models.PositiveSmallIntegerField(_("year analysed (of the item)"), null=True, editable=False)
    # The public rule of `provenance.selectors.visibility` (item published and TLP:CLEAR) stored on each line, so
    # that the public catalogue reads one table through small partial indexes instead of joining 1,000,000
    # lines to their items. Kept by provenance.services.public_flag.findings_public_sync, which every service
    # that changes an item's status or TLP, or a line's item, calls; False (hidden) unless it says otherwise.
    public = models.BooleanField(_("public (derived)"), default=False, db_default=False, editable=False)
    history = HistoricalRecords(
        excluded_fields=["recovered_year", "analysed_year", "public"],  # derived from the item, whose history has them
        no_db_index=["part", "manufacturer", "category", "source"],  # history is read by line or item only
        # No database FK from 100,000 history rows of an import to the importing user (each would be checked at
        # commit); Django still sets the user to NULL when the account is deleted.
        user_db_constraint=False,
    )

    class Meta:
        ordering = ["item", "line_no", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="%(app_label)s_%(class)s_quantity_positive",
                violation_error_message=QUANTITY_POSITIVE,
            ),
            models.CheckConstraint(
                condition=~Q(country="") | Q(manufacturer__isnull=False),
                name="%(app_label)s_%(class)s_country_or_manufacturer",
                violation_error_message=NEEDS_MAKER_OR_COUNTRY,
            ),
            models.CheckConstraint(
                condition=country_code_q("country", allow_blank=True),
                name="%(app_label)s_%(class)s_country_valid",
                violation_error_message=_("Country must be a valid ISO 3166-1 alpha-2 code."),
            ),
            models.CheckConstraint(
                condition=country_code_q("origin_country", allow_blank=True),
                name="%(app_label)s_%(class)s_origin_country_valid",
                violation_error_message=_("Origin country must be a valid ISO 3166-1 alpha-2 code."),
            ),
            models.CheckConstraint(
                condition=Q(produced_week__isnull=True) | Q(produced_week__gte=1, produced_week__lte=53),
                name="%(app_label)s_%(class)s_produced_week_range",
                violation_error_message=_("Production week must be between 1 and 53."),
            ),
        ]
        indexes = [
            models.Index(fields=["item", "line_no"], name="prov_finding_item_line"),
            models.Index(fields=["country"], name="prov_finding_country"),
            # The manufacturers list counts and sums each maker's lines from this index alone.
            models.Index(fields=["manufacturer", "quantity"], name="prov_finding_maker_qty"),
            models.Index(fields=["produced_year"], name="prov_finding_produced_year"),
            # The public catalogue: its default order (newest first), each filter with its count and option list,
            # all index-only scans over the public lines alone (about a seventh of them).
            *(
                models.Index(fields=fields, name=name, condition=Q(public=True))
                for fields, name in (
                    (["id"], "prov_finding_public_id"),
                    (["item", "id"], "prov_finding_public_item"),
                    (["manufacturer", "id"], "prov_finding_public_maker"),
                    (["country", "id"], "prov_finding_public_country"),
                    (["category", "id"], "prov_finding_public_category"),
                )
            ),
        ]

    def __str__(self) -> str:
        what = self.part or self.manufacturer or self.country or "?"
        return f"{self.item_id}#{self.line_no}: {self.quantity} x {what}"


class EvidenceFile(TimeStampedModel):
    """A photo or document; its SHA-256 is computed while the upload streams in; never overwritten."""

    item = models.ForeignKey(
        RecoveredItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("recovered item"),
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("finding")
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # A photo marked public gets a copy without metadata and a thumbnail (provenance.services.photos); the
    # public catalogue shows those copies, and only for published TLP:CLEAR items.
    public = models.BooleanField(
        _("public photo"),
        default=False,
        help_text=_("Shown in the public catalogue (a copy without location, camera or time) when the item is."),
    )
    public_image = models.FileField(
        _("public copy"), storage=public_media_storage, upload_to="photos/", blank=True, editable=False
    )
    public_thumbnail = models.FileField(
        _("public thumbnail"), storage=public_media_storage, upload_to="photos/", blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(finding__isnull=False),
                name="%(app_label)s_%(class)s_attached",
                violation_error_message=_("Evidence must be attached to a recovered item or a finding."),
            ),
            models.CheckConstraint(
                condition=Q(public=False) | (~Q(public_image="") & ~Q(public_thumbnail="")),
                name="%(app_label)s_%(class)s_public_has_copies",
                violation_error_message=_("A public photo needs its public copy and thumbnail."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.file.name
