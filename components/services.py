"""Writes for components: reference-data upserts of HS codes and categories; a finding line's part."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from components.models import Category, HSCode, Part
from components.partnumbers import part_number_key
from config.common.services import Outcome, object_upsert


def hs_code_upsert(*, code: str, description: str, chpl_tier: str) -> tuple[HSCode, Outcome]:
    """Create or update an HS-6 code and its CHPL tier."""
    return object_upsert(HSCode, lookup={"code": code}, values={"description": description, "chpl_tier": chpl_tier})


def category_upsert(*, name: str, hs_code: HSCode | None) -> tuple[Category, Outcome]:
    """Create or update a category (matched case-insensitively) and its typical HS code."""
    existing = Category.objects.filter(name__iexact=name).first()
    lookup = {"pk": existing.pk} if existing else {"name": name}
    return object_upsert(Category, lookup=lookup, values={"hs_code": hs_code})


def part_for_line(*, part_number: str, manufacturer, category: Category | None = None) -> Part | None:
    """The part a finding line names: found by its normalised number under its manufacturer, else a new one.

    The teardown import's rule: a part is one manufacturer's part number (compared upper case, without
    spaces or dashes), created for that manufacturer when the catalogue does not hold it (taking the line's
    category); a part number needs a manufacturer. A new part is returned unsaved: the caller saves it
    with its line, in the same transaction (`part_save_new`), so a refused form leaves nothing behind.
    """
    if not part_number or not part_number.strip():
        return None
    key = part_number_key(part_number)
    if not key:
        raise ValidationError({"part_number": _("A part number needs letters or digits.")})
    if manufacturer is None:
        raise ValidationError({"part_number": _("A part number needs a manufacturer: choose one.")})
    found = Part.objects.filter(manufacturer=manufacturer, part_number_key=key).select_related("manufacturer")
    return found.first() or Part(
        manufacturer=manufacturer, part_number=" ".join(part_number.split()), part_number_key=key, category=category
    )


def part_save_new(*, parts: list[Part]) -> None:
    """Save the new (unsaved) parts among `parts`; two lines naming the same new part share one row."""
    saved: dict[tuple, Part] = {}
    for part in parts:
        if part.pk is not None:
            continue
        same = saved.get((part.manufacturer_id, part.part_number_key))
        if same is None:
            part.save()
            saved[(part.manufacturer_id, part.part_number_key)] = part
        else:
            part.pk, part._state.adding = same.pk, False
