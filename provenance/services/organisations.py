"""Writes for provenance: every function here is keyword-only, typed and transactional."""

from django.conf import settings

from provenance.models import Organisation

INTERNAL_ORGANISATION_NAME = getattr(settings, "INTERNAL_ORGANISATION_NAME", "Internal")


def organisation_internal() -> Organisation:
    """The instance's own organisation (owner of items entered here), created on first use."""
    organisation, _ = Organisation.objects.get_or_create(
        name=INTERNAL_ORGANISATION_NAME, defaults={"kind": Organisation.Kind.INTERNAL}
    )
    return organisation
