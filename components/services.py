"""Writes for components: reference-data upserts of HS codes and categories."""

from components.models import Category, HSCode
from config.common.services import Outcome, object_upsert


def hs_code_upsert(*, code: str, description: str, chpl_tier: str) -> tuple[HSCode, Outcome]:
    """Create or update an HS-6 code and its CHPL tier."""
    return object_upsert(HSCode, lookup={"code": code}, values={"description": description, "chpl_tier": chpl_tier})


def category_upsert(*, name: str, hs_code: HSCode | None) -> tuple[Category, Outcome]:
    """Create or update a category (matched case-insensitively) and its typical HS code."""
    existing = Category.objects.filter(name__iexact=name).first()
    lookup = {"pk": existing.pk} if existing else {"name": name}
    return object_upsert(Category, lookup=lookup, values={"hs_code": hs_code})
