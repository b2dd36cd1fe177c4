"""A small world for the public catalogue: one published TLP:CLEAR sample, and one sample of every kind that
must stay hidden (published GREEN, AMBER, AMBER+STRICT and RED; a CLEAR draft), each with its own weapon,
maker, country, category, part, marking and internal notes, so a leak of any of them shows as text."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from manufacturers.models import Manufacturer
from provenance.models import Finding, RecoveredItem
from provenance.services.findings import evidence_file_store
from provenance.services.photos import evidence_public_set
from tests import factories

# (reference, status, TLP, weapon, maker, maker's country, category) of the samples that must stay hidden.
HIDDEN = [
    ("HIDDEN-GREEN", "published", "GREEN", "HX-GREEN", "Greenmaker", "JP", "greencat"),
    ("HIDDEN-AMBER", "published", "AMBER", "HX-AMBER", "Ambermaker", "DE", "ambercat"),
    ("HIDDEN-STRICT", "published", "AMBER+STRICT", "HX-STRICT", "Strictmaker", "FR", "strictcat"),
    ("HIDDEN-RED", "published", "RED", "HX-RED", "Redmaker", "CH", "redcat"),
    ("HIDDEN-DRAFT", "draft", "CLEAR", "HX-DRAFT", "Draftmaker", "NL", "draftcat"),
    ("HIDDEN-VERIFIED", "verified", "CLEAR", "HX-VERIFIED", "Verifiedmaker", "KR", "verifiedcat"),
]
INTERNAL = ["SECRET-NOTE", "SECRET-SITE", "SECRET-CUSTODY", "SECRET-FINDING-NOTE", "secret-uploader", "SECRET-DESC"]


def gps_jpeg(*, size=(1200, 900), colour=(200, 40, 40)) -> bytes:
    """A JPEG with EXIF camera, time and a GPS position (Kyiv), as a phone would write it."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "SpyPhone 9"  # Model
    exif[0x0132] = "2025:09:07 10:31:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (50.0, 27.0, 1.5), 3: "E", 4: (30.0, 31.0, 2.5)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name: str = "board.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else gps_jpeg(), content_type="image/jpeg")


@dataclass
class CatalogueWorld:
    public_item: RecoveredItem
    public_finding: Finding
    public_maker: Manufacturer
    parent_maker: Manufacturer
    hidden_findings: dict[str, Finding] = field(default_factory=dict)
    hidden_makers: dict[str, Manufacturer] = field(default_factory=dict)


def build_world() -> CatalogueWorld:
    owner = factories.InternalOrganisationFactory()
    uploader = factories.StaffUserFactory(username="secret-uploader")
    weapon = factories.WeaponModelFactory(designation="9M727", name="Iskander-K cruise missile")
    parent = factories.ManufacturerFactory(name="Analog Devices", country="US")
    maker = factories.ManufacturerFactory(name="Maxim Integrated", country="US")
    factories.OwnershipFactory(parent=parent, child=maker, start_on=dt.date(2021, 8, 26))
    category = factories.CategoryFactory(name="microcontroller")
    part = factories.PartFactory(manufacturer=maker, part_number="MAX2769")
    source = factories.SourceFactory(title="Iskander teardown 2025", publisher="GUR")
    item = factories.RecoveredItemFactory(
        reference="KYIV-2025-09-07-CAB",
        weapon_model=weapon,
        owner=owner,
        place="Kyiv",
        notes="SECRET-NOTE",
        site_details="SECRET-SITE",
        custody_notes="SECRET-CUSTODY",
        status="published",
        tlp="CLEAR",
    )
    item.sources.add(source)
    finding = factories.FindingFactory(
        item=item,
        part=part,
        manufacturer=maker,
        category=category,
        marking="MAX2769 ETI 2235",
        date_code="2235",
        produced_year=2022,
        produced_week=35,
        quantity=2,
        notes="SECRET-FINDING-NOTE",
        source=source,
    )
    factories.FindingFactory(item=item, manufacturer=None, country="RU", quantity=5, marking="RUSSIAN-PART")
    world = CatalogueWorld(public_item=item, public_finding=finding, public_maker=maker, parent_maker=parent)
    for reference, status, tlp, designation, maker_name, country, category_name in HIDDEN:
        hidden_item = factories.RecoveredItemFactory(
            reference=reference,
            weapon_model=factories.WeaponModelFactory(designation=designation),
            owner=owner,
            status=status,
            tlp=tlp,
            place=f"{reference}-PLACE",
        )
        hidden_maker = factories.ManufacturerFactory(name=maker_name, country=country)
        hidden_part = factories.PartFactory(manufacturer=hidden_maker, part_number=f"{maker_name.upper()}-PN")
        world.hidden_findings[reference] = factories.FindingFactory(
            item=hidden_item,
            part=hidden_part,
            manufacturer=hidden_maker,
            category=factories.CategoryFactory(name=category_name),
            marking=f"{reference}-MARK",
            quantity=7,
        )
        world.hidden_makers[reference] = hidden_maker
        evidence = evidence_file_store(
            file=upload(f"{reference}.jpg"), item=hidden_item, uploaded_by=uploader, description="SECRET-DESC"
        )
        evidence_public_set(evidence=evidence, public=True)
    return world


def hidden_texts() -> list[str]:
    """Every string of the hidden samples and of the internal fields that must never reach a public page."""
    texts = list(INTERNAL)
    for reference, _status, _tlp, designation, maker_name, _country, category_name in HIDDEN:
        texts += [reference, designation, maker_name, category_name, f"{maker_name.upper()}-PN"]
    return texts
