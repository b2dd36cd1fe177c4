"""Writes for recovered items, their findings and evidence files (used by the admin and the importers).

The rules of a line live in `provenance.finding_rules` (shared with the import); these services apply them to
model instances: a finding's country is the maker's HQ country; a part of another maker becomes the line's
maker's part of that number; the category comes from the part when none is given; the production year and
week are parsed from the date code. An evidence file is hashed while it streams to storage and is never
overwritten. Each line also stores its item's year recovered and year analysed (for the shifts); every write
of an item or a line keeps them equal.
"""

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from components.models import Category, Part
from components.partnumbers import part_number_key
from manufacturers.models import Manufacturer
from provenance import finding_rules as rules
from provenance.finding_rules import Maker
from provenance.models import EvidenceFile, Finding, RecoveredItem
from provenance.services.item_lock import item_lock
from provenance.services.organisations import organisation_internal
from provenance.services.public_flag import findings_public_sync
from provenance.services.workflow import item_content_changed

__all__ = [
    "EVIDENCE_EXTENSIONS",
    "evidence_file_check",
    "evidence_file_store",
    "finding_attribution",
    "finding_complete",
    "finding_part_for_maker",
    "finding_years_sync",
    "findings_delete",
    "findings_save",
    "item_years",
    "part_for_maker",
    "recovered_item_save",
]

# Photos, scans and documents; anything else (executables, HTML, archives) is refused.
EVIDENCE_EXTENSIONS = frozenset(
    {"jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "heic", "pdf", "txt", "csv", "xlsx", "docx", "odt"}
)


def finding_attribution(
    *, part: Part | None, manufacturer: Manufacturer | None, country: str | None
) -> tuple[Manufacturer | None, str]:
    """Return the (manufacturer, country) a finding line is attributed to, or raise a ValidationError.

    The manufacturer defaults to the part's maker; the country follows `finding_rules.attribution`. A part
    of another maker is not an error: the line names the given maker's part of that number (second source,
    see `finding_part_for_maker`).
    """
    if part is not None and manufacturer is None:
        manufacturer = part.manufacturer
    maker = None if manufacturer is None else Maker(str(manufacturer), str(manufacturer.country))
    code, problems = rules.attribution(maker=maker, country_text=country or "")
    if problems:
        raise rules.problems_error(problems)
    return manufacturer, code


def finding_part_for_maker(*, part: Part, manufacturer: Manufacturer) -> Part:
    """The part of `manufacturer` with `part`'s number: `part` itself, the maker's own, or a new unsaved one.

    The one part/maker rule (second sources, see `provenance.finding_rules`): a new one takes no category
    here; `findings_save` gives it the line's and saves it. Reads only.
    """
    if part.manufacturer_id == manufacturer.pk:
        return part
    key = part_number_key(part.part_number)
    own = Part.objects.filter(manufacturer=manufacturer, part_number_key=key).first()
    return own or Part(manufacturer=manufacturer, part_number=part.part_number, part_number_key=key)


def part_for_maker(*, manufacturer: Manufacturer, part_number: str, category: Category | None = None) -> Part:
    """The Part `manufacturer` holds under `part_number`, created (with `category`) when it has none.

    The writer's side of the part/maker rule for a typed part number (quick entry, any future writer).
    """
    part = Part.objects.filter(manufacturer=manufacturer, part_number_key=part_number_key(part_number)).first()
    if part is None:
        part = Part(manufacturer=manufacturer, part_number=part_number, category=category)
        part.full_clean()
        part.save()
    return part


def finding_complete(*, finding: Finding) -> Finding:
    """Fill what a finding line implies (maker, country, part, category, production date, origin) without saving.

    Raises ValidationError when the line's maker and country contradict each other. A part of another maker
    is replaced by the line's maker's part of that number (unsaved when new: `findings_save` saves it).
    """
    finding.manufacturer, finding.country = finding_attribution(
        part=finding.part, manufacturer=finding.manufacturer, country=str(finding.country or "")
    )
    if finding.part is not None and finding.manufacturer is not None:
        finding.part = finding_part_for_maker(part=finding.part, manufacturer=finding.manufacturer)
    if finding.category_id is None and finding.part is not None and finding.part.category_id is not None:
        finding.category_id = finding.part.category_id
    finding.produced_year, finding.produced_week = rules.production_date(finding.date_code)
    if finding.origin_marking:
        finding.origin_country = rules.origin_country(finding.origin_marking)
    return finding


def item_years(*, recovered_on, analysed_on) -> tuple[int | None, int | None]:
    """The (year recovered, year analysed) that the lines of an item with these dates store."""
    return (recovered_on.year if recovered_on else None, analysed_on.year if analysed_on else None)


def _year_is(field: str, year: int | None) -> Q:
    return Q(**{f"{field}__isnull": True}) if year is None else Q(**{field: year})


def finding_years_sync(*, item: RecoveredItem) -> int:
    """Store `item`'s years on those of its lines that hold other ones; returns the number of lines updated."""
    recovered, analysed = item_years(recovered_on=item.recovered_on, analysed_on=item.analysed_on)
    current = _year_is("recovered_year", recovered) & _year_is("analysed_year", analysed)
    return (
        Finding.objects.filter(item_id=item.pk)
        .exclude(current)
        .update(recovered_year=recovered, analysed_year=analysed)
    )


@transaction.atomic
def findings_save(
    *, item: RecoveredItem, findings: Iterable[Finding], user: AbstractBaseUser | None = None
) -> list[Finding]:
    """Complete and save finding lines of `item`; new lines without a line number go to the end.

    `user` is kept as the one who last changed the item's findings, and a reviewed item goes back to review
    (`provenance.services.workflow.item_content_changed`).
    """
    item_lock(item_ids=[item.pk])
    saved = []
    next_line = (item.findings.aggregate(last=Max("line_no"))["last"] or 0) + 1
    years = item_years(recovered_on=item.recovered_on, analysed_on=item.analysed_on)
    for finding in findings:
        finding.item = item
        finding_complete(finding=finding)
        if finding.part is not None and finding.part.pk is None:
            finding.part = part_for_maker(
                manufacturer=finding.manufacturer, part_number=finding.part.part_number, category=finding.category
            )
        finding.recovered_year, finding.analysed_year = years
        if not finding.line_no:
            finding.line_no = next_line
            next_line += 1
        finding.full_clean(exclude=["item"])
        finding.save()
        saved.append(finding)
    if saved:
        item_content_changed(item=item, user=user)
        findings_public_sync(item_ids=[item.pk])  # new lines, and lines moved here from another item
    return saved


@transaction.atomic
def findings_delete(*, findings: Iterable[Finding], user: AbstractBaseUser | None = None) -> int:
    """Delete finding lines one by one (each deletion kept in the history); returns how many.

    Like `findings_save`, `user` becomes the one who last changed the items' findings, and a reviewed item
    goes back to review.
    """
    findings = list(findings)
    item_lock(item_ids={finding.item_id for finding in findings})
    deleted = 0
    item_ids = set()
    for finding in findings:
        item_ids.add(finding.item_id)
        finding.delete()
        deleted += 1
    for item in RecoveredItem.objects.filter(pk__in=item_ids):
        item_content_changed(item=item, user=user)
    return deleted


@transaction.atomic
def recovered_item_save(*, item: RecoveredItem, user: AbstractBaseUser | None) -> RecoveredItem:
    """Save a recovered item; a new one is owned by the internal organisation unless told otherwise."""
    item_lock(item_ids=[item.pk])
    if item.owner_id is None:
        item.owner = organisation_internal()
    if item.pk is None and item.created_by_id is None and user is not None and user.is_authenticated:
        item.created_by = user
    item.save()
    finding_years_sync(item=item)
    findings_public_sync(item_ids=[item.pk])  # its TLP label may have changed
    return item


def evidence_file_check(*, file: File) -> str:
    """Refuse an upload whose type is not a photo, scan or document; return its base name."""
    original_name = PurePath(file.name or "upload").name
    extension = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        accepted = ", ".join(sorted(EVIDENCE_EXTENSIONS))
        raise ValidationError(
            {
                "file": _("Files of type '.{extension}' are not accepted; use one of: {accepted}.").format(
                    extension=extension, accepted=accepted
                )
            },
            code="file_type",
        )
    if not file.size:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    return original_name


class _HashingFile(File):
    """Wraps an upload so that storage streams it through SHA-256 on its single pass to disk."""

    def __init__(self, upload: File):
        super().__init__(upload.file, name=upload.name)
        self._upload = upload
        self.digest = hashlib.sha256()
        self.size_read = 0

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in self._upload.chunks(chunk_size):
            self.digest.update(chunk)
            self.size_read += len(chunk)
            yield chunk


@transaction.atomic
def evidence_file_store(
    *,
    file: File,
    item: RecoveredItem | None = None,
    finding: Finding | None = None,
    uploaded_by: AbstractBaseUser | None,
    description: str = "",
) -> EvidenceFile:
    """Store an uploaded photo or document, write-once, and record its SHA-256 and size.

    The hash is computed while the upload streams to storage (one pass, never the whole file in memory).
    Storage picks a fresh name when one is taken, so an existing file is never overwritten.
    """
    if item is None and finding is None:
        raise ValidationError(_("Evidence must be attached to a recovered item or a finding."))

    original_name = evidence_file_check(file=file)
    evidence = EvidenceFile(
        item=item,
        finding=finding,
        original_name=original_name[:255],
        content_type=(getattr(file, "content_type", "") or "")[:100],
        description=description,
        uploaded_by=uploaded_by if uploaded_by is not None and uploaded_by.is_authenticated else None,
    )
    field = EvidenceFile._meta.get_field("file")
    hashing = _HashingFile(file)
    stored_name = field.storage.save(field.generate_filename(evidence, original_name), hashing)
    try:
        evidence.file = stored_name
        evidence.sha256 = hashing.digest.hexdigest()
        evidence.size = hashing.size_read
        evidence._history_user = evidence.uploaded_by  # the uploader, also outside a request (commands)
        evidence.save()
    except BaseException:
        field.storage.delete(stored_name)
        raise
    return evidence
