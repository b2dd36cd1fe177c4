"""Who made a part: manufacturers, the names they go by, who owns them, and their sanctions listings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from config.common.countries import country_code_q
from config.common.models import TimeStampedModel
from config.common.text import name_key
from manufacturers.sanctions.identifiers import identifier_clean, identifier_problem

__all__ = [
    "Designation",
    "ListImport",
    "ListedEntity",
    "ListedName",
    "ListedOwnership",
    "Manufacturer",
    "ManufacturerAlias",
    "ManufacturerIdentifier",
    "Ownership",
    "SanctionMatch",
]


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


class ManufacturerIdentifier(TimeStampedModel):
    """A maker's company identifier (INN, OGRN, registration number, LEI...), so the matcher can tell a listed
    company of the same name from another one: an identical identifier is the same company, a different one
    of the same kind another company (`manufacturers.sanctions.matching`).

    `kind` is the FollowTheMoney property name, as on listed entities and in the FtM export. `value` is kept
    clean (upper-case letters and digits). One identifier belongs to one maker.
    """

    class Kind(models.TextChoices):
        INN = "innCode", _("INN (Russian taxpayer number)")
        OGRN = "ogrnCode", _("OGRN (Russian state registration number)")
        REGISTRATION = "registrationNumber", _("registration number")
        TAX = "taxNumber", _("tax number")
        VAT = "vatCode", _("VAT number")
        LEI = "leiCode", _("LEI (legal entity identifier)")
        OKPO = "okpoCode", _("OKPO")
        DUNS = "dunsCode", _("DUNS number")

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("manufacturer")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    value = models.CharField(
        _("identifier"), max_length=64, help_text=_("As printed; spaces, dashes and a bracketed label are dropped.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the identifier comes from."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("company identifier")
        verbose_name_plural = _("company identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message=_("This identifier already belongs to a manufacturer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        problem = identifier_problem(self.kind, self.value or "")
        if problem:
            raise ValidationError({"value": problem})
        self.value = identifier_clean(self.value)

    def save(self, *args, **kwargs):
        self.value = identifier_clean(self.value)
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


class ListImport(TimeStampedModel):
    """One imported list file: what it was, its digest, what it changed, who imported it and when.

    A dry run is not recorded. Counts are per entity line: `created` new rows, `changed` rows whose content
    differed, `unchanged` rows already as the file says, `skipped` lines of schemata we do not keep
    (`skipped_by_schema` says which), `deleted` rows a delta file removed.
    """

    class Format(models.TextChoices):
        FTM = "ftm", _("FollowTheMoney entity stream")
        CSL = "csl", _("US Consolidated Screening List CSV")
        EU_JOURNAL = "eu-journal", _("EU Official Journal extract CSV")

    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Who publishes the list."))
    file_name = models.CharField(_("file name"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    skipped_by_schema = models.JSONField(_("skipped by schema"), default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_via = models.CharField(
        _("imported via"), max_length=100, blank=True, help_text=_("The command or page that ran the import.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sanctions list import")
        verbose_name_plural = _("sanctions list imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name


class ListedEntity(models.Model):
    """A company or organisation as a sanctions or export-control list publishes it (FtM Company,
    Organization or LegalEntity; a CSL row; an EU Official Journal row).

    `source_id` is the source's entity id (FtM `id`) and is stable: a re-import updates the row in place and
    never deletes and recreates it, so matches and their decisions (SanctionMatch) survive. A delta `DEL`
    marks the row `removed_at` instead of deleting it; readers of designations should ignore removed
    entities. `names` holds every name of the entity (name, alias, previous and weak aliases) in source
    order; each also has a ListedName row for candidate blocking.
    """

    source_id = models.CharField(_("source id"), max_length=255, unique=True)
    schema = models.CharField(_("schema"), max_length=50, help_text=_("FollowTheMoney schema."))
    caption = models.CharField(_("name"), max_length=1000)
    names = models.JSONField(_("names and aliases"), default=list, blank=True)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("ISO 3166-1 alpha-2 codes, upper case.")
    )
    identifiers = models.JSONField(
        _("identifiers"),
        default=dict,
        blank=True,
        help_text=_("By kind: registrationNumber, innCode, ogrnCode, leiCode, ... each a list."),
    )
    websites = models.JSONField(_("websites"), default=list, blank=True)
    datasets = models.JSONField(_("datasets"), default=list, blank=True)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    raw = models.JSONField(_("entity as published"), default=dict, blank=True)
    digest = models.CharField(_("content digest"), max_length=64, editable=False)
    import_run = models.ForeignKey(
        ListImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entities",
        verbose_name=_("last changed by import"),
    )
    removed_at = models.DateTimeField(
        _("removed from the list at"), null=True, blank=True, help_text=_("Set when a delta file deletes it.")
    )

    class Meta:
        ordering = ["caption"]
        verbose_name = _("listed entity")
        verbose_name_plural = _("listed entities")

    def __str__(self) -> str:
        return self.caption


class ListedName(models.Model):
    """One name of a listed entity (name, alias, weak alias, previous name), for lookups by name.

    `key` is `config.common.text.name_key(name)` (NFKC, case-folded, single spaces), indexed: an exact lookup
    ignoring case and spacing. The matcher builds its own keys across scripts and legal forms from
    `ListedEntity.names` (see `manufacturers.sanctions.names`).
    """

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        ALIAS = "alias", _("alias")
        WEAK_ALIAS = "weakAlias", _("weak alias")
        PREVIOUS_NAME = "previousName", _("previous name")

    entity = models.ForeignKey(ListedEntity, on_delete=models.CASCADE, related_name="name_rows")
    name = models.CharField(_("name"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NAME)
    key = models.CharField(_("normalised key"), max_length=255, db_index=True, blank=True)

    class Meta:
        ordering = ["entity", "kind", "name"]
        verbose_name = _("listed name")
        verbose_name_plural = _("listed names")

    def __str__(self) -> str:
        return self.name


class ListedOwnership(models.Model):
    """Who owns a listed entity, and how much of it (FtM Ownership), so a listing can reach a subsidiary."""

    source_id = models.CharField(_("source id"), max_length=255, unique=True)
    owner = models.ForeignKey(
        ListedEntity, on_delete=models.CASCADE, related_name="owned_assets", verbose_name=_("owner")
    )
    asset = models.ForeignKey(
        ListedEntity, on_delete=models.CASCADE, related_name="listed_owners", verbose_name=_("asset")
    )
    percentage = models.DecimalField(_("percentage"), max_digits=6, decimal_places=3, null=True, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_on = models.DateField(_("owned since"), null=True, blank=True)
    end_on = models.DateField(_("owned until"), null=True, blank=True)
    raw = models.JSONField(_("entity as published"), default=dict, blank=True)
    digest = models.CharField(_("content digest"), max_length=64, editable=False)
    import_run = models.ForeignKey(
        ListImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("import")
    )

    class Meta:
        ordering = ["asset", "owner"]
        verbose_name = _("listed ownership")
        verbose_name_plural = _("listed ownerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="%(app_label)s_%(class)s_percentage_range",
                violation_error_message=_("A percentage lies between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        share = f"{self.percentage:g}% of" if self.percentage is not None else "a share of"
        return f"{self.owner} owns {share} {self.asset}"


def authority_q(field: str) -> Q:
    """A check-constraint condition: `field` holds `EU` or an ISO 3166-1 alpha-2 code."""
    return Q(**{field: "EU"}) | country_code_q(field, allow_blank=False)


class Designation(TimeStampedModel):
    """A sanctions or export-control listing: of a listed entity (imported) or of a manufacturer (entered
    by hand by an analyst, e.g. from an authority's press release); exactly one of the two.

    `authority` is `EU` or the ISO alpha-2 code of a national authority; `program` (the programme id,
    `EU-UKR`, `US-BIS-EL`) tells the lists of one authority apart. `listed_on` is the start date, of the
    kind `date_kind`, taken from `date_source`; it is empty when the source gives none (OFAC SDN rows).
    """

    class Measure(models.TextChoices):
        ASSET_FREEZE = "asset freeze", _("asset freeze")
        EXPORT_CONTROL = "export control", _("export control")
        FINANCIAL = "financial restrictions", _("financial restrictions")
        TRADE = "trade restrictions", _("trade restrictions")
        TRANSPORT = "transport restrictions", _("transport restrictions")
        DEBARMENT = "debarment", _("debarment")
        OTHER = "other", _("other")

    class DateKind(models.TextChoices):
        LISTING = "listing", _("listing")
        ENTRY_INTO_FORCE = "entry into force", _("entry into force")
        FIRST_SEEN = "first seen", _("first seen in the data")
        UNKNOWN = "unknown", _("unknown")

    source_id = models.CharField(
        _("source id"),
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The list's id of this designation (FtM Sanction id); empty when entered by hand."),
    )
    listed_entity = models.ForeignKey(
        ListedEntity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="designations",
        verbose_name=_("listed entity"),
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="designations",
        verbose_name=_("manufacturer"),
    )
    authority = models.CharField(
        _("authority"), max_length=2, help_text=_("EU, or the ISO 3166-1 alpha-2 code of a national authority.")
    )
    program = models.CharField(_("programme"), max_length=200, blank=True, help_text=_("e.g. EU-UKR, US-BIS-EL."))
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices, blank=True)
    provisions = models.TextField(_("provisions"), blank=True)
    listed_on = models.DateField(_("start date"), null=True, blank=True)
    delisted_on = models.DateField(_("end date"), null=True, blank=True)
    date_kind = models.CharField(_("date kind"), max_length=20, choices=DateKind.choices, default=DateKind.LISTING)
    date_source = models.CharField(
        _("date taken from"), max_length=300, blank=True, help_text=_("Where the start date comes from.")
    )
    reason = models.TextField(_("reason"), blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    digest = models.CharField(_("content digest"), max_length=64, blank=True, editable=False)
    import_run = models.ForeignKey(
        ListImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("import")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority", "program", "listed_on", "pk"]
        verbose_name = _("sanctions designation")
        verbose_name_plural = _("sanctions designations")
        constraints = [
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(listed_on__isnull=True) | Q(delisted_on__gte=F("listed_on")),
                name="%(app_label)s_%(class)s_delisted_after_listed",
                violation_error_message=_("The delisting date must not be before the listing date."),
            ),
            models.CheckConstraint(
                condition=Q(listed_entity__isnull=True, manufacturer__isnull=False)
                | Q(listed_entity__isnull=False, manufacturer__isnull=True),
                name="%(app_label)s_%(class)s_entity_or_manufacturer",
                violation_error_message=_("A designation belongs to a listed entity or to a manufacturer, not both."),
            ),
            models.CheckConstraint(
                condition=authority_q("authority"),
                name="%(app_label)s_%(class)s_authority_valid",
                violation_error_message=_("The authority is EU or an ISO 3166-1 alpha-2 country code."),
            ),
            models.CheckConstraint(
                condition=Q(listed_on__isnull=False) | Q(date_kind="unknown"),
                name="%(app_label)s_%(class)s_date_or_unknown",
                violation_error_message=_("Without a start date the date kind is 'unknown'."),
            ),
        ]

    def __str__(self) -> str:
        who = self.manufacturer or self.listed_entity
        when = self.listed_on or _("date unknown")
        return f"{who}: {self.authority} {self.program} {when}".replace("  ", " ")


class SanctionMatch(TimeStampedModel):
    """A candidate: this manufacturer may be this listed entity. A person (or, for a strong match, the
    command `match_sanctions --confirm-strong`) confirms or rejects it.

    Unique per (manufacturer, listed entity); listed entities keep their row across re-imports, so a
    decision survives them. `decided_by` is the user, or null when a command decided (`decided_via` names it).
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="sanction_matches", verbose_name=_("manufacturer")
    )
    listed_entity = models.ForeignKey(
        ListedEntity, on_delete=models.CASCADE, related_name="matches", verbose_name=_("listed entity")
    )
    score = models.FloatField(_("score"))
    strong = models.BooleanField(_("strong"), default=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_via = models.CharField(
        _("decided via"), max_length=100, blank=True, help_text=_("e.g. match_sanctions --confirm-strong.")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["manufacturer__name", "-score"]
        verbose_name = _("sanctions match")
        verbose_name_plural = _("sanctions matches")
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "listed_entity"], name="%(app_label)s_%(class)s_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False),
                name="%(app_label)s_%(class)s_decided_when",
                violation_error_message=_("A decision has a date."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1),
                name="%(app_label)s_%(class)s_score_range",
                violation_error_message=_("A score lies between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} ~ {self.listed_entity} ({self.get_decision_display()})"
