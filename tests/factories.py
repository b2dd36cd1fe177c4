"""factory-boy factories for every model; tests build small worlds from these."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from components.models import Category, HSCode, Part
from manufacturers.models import (
    Designation,
    ListedEntity,
    ListedOwnership,
    ListImport,
    Manufacturer,
    ManufacturerAlias,
    Ownership,
)
from provenance.models import (
    Finding,
    Organisation,
    OrganisationAPIKey,
    RecoveredItem,
    Source,
    Strike,
    WeaponAlias,
    WeaponModel,
)
from provenance.services.findings import item_years
from provenance.services.public_flag import findings_public_sync


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PARTNER


class InternalOrganisationFactory(OrganisationFactory):
    name = "Internal"
    kind = Organisation.Kind.INTERNAL


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Maker {n}")
    country = "US"


class ManufacturerAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManufacturerAlias

    manufacturer = factory.SubFactory(ManufacturerFactory)
    alias = factory.Sequence(lambda n: f"Alias {n}")


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    parent = factory.SubFactory(ManufacturerFactory)
    child = factory.SubFactory(ManufacturerFactory)
    start_on = dt.date(2015, 1, 1)


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    manufacturer = factory.SubFactory(ManufacturerFactory)
    authority = "US"
    program = "US-BIS-EL"
    listed_on = dt.date(2022, 3, 1)


class HSCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HSCode
        django_get_or_create = ("code",)

    code = "854231"
    description = "ICs: processors and controllers"
    chpl_tier = "1"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"category {n}")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part

    manufacturer = factory.SubFactory(ManufacturerFactory)
    part_number = factory.Sequence(lambda n: f"PN-{n:05d}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    publisher = "Example Press"
    title = factory.Sequence(lambda n: f"Report {n}")
    url = factory.Sequence(lambda n: f"https://example.org/report/{n}")


class WeaponModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeaponModel
        django_get_or_create = ("designation",)

    designation = factory.Sequence(lambda n: f"TEST-W{n}")
    name = factory.LazyAttribute(lambda o: f"{o.designation} missile")
    family = "Iskander"
    kind = WeaponModel.Kind.CRUISE_MISSILE
    origin_country = "RU"


class WeaponAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeaponAlias

    weapon_model = factory.SubFactory(WeaponModelFactory)
    alias = factory.Sequence(lambda n: f"W-alias-{n}")


class StrikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strike

    occurred_on = dt.date(2025, 9, 7)
    place = "Kyiv"


class RecoveredItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveredItem

    reference = factory.Sequence(lambda n: f"ITEM-{n:05d}")
    weapon_model = factory.SubFactory(WeaponModelFactory)
    recovered_on = dt.date(2025, 9, 7)
    owner = factory.SubFactory(InternalOrganisationFactory)
    status = RecoveredItem.Status.PUBLISHED
    tlp = "CLEAR"


def _years_of(item: RecoveredItem) -> tuple[int | None, int | None]:
    return item_years(recovered_on=item.recovered_on, analysed_on=item.analysed_on)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    item = factory.SubFactory(RecoveredItemFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    manufacturer = factory.SubFactory(ManufacturerFactory)
    country = factory.LazyAttribute(lambda o: o.manufacturer.country if o.manufacturer else "RU")
    quantity = 1
    # The item's years, as provenance.services.findings stores them on every line.
    recovered_year = factory.LazyAttribute(lambda o: _years_of(o.item)[0])
    analysed_year = factory.LazyAttribute(lambda o: _years_of(o.item)[1])

    @factory.post_generation
    def public_flag(obj, create, extracted, **kwargs):
        """The public flag, as every service that writes a line stores it."""
        if create:
            findings_public_sync(item_ids=[obj.item_id])
            obj.refresh_from_db(fields=["public"])


class OrganisationAPIKeyFactory(factory.django.DjangoModelFactory):
    """Use `OrganisationAPIKey.objects.create_key(...)` when the raw key is needed."""

    class Meta:
        model = OrganisationAPIKey

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"key {n}")


class ListImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListImport

    format = ListImport.Format.FTM
    file_name = "entities.ftm.json"
    sha256 = "0" * 64


class ListedEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListedEntity

    source_id = factory.Sequence(lambda n: f"NK-test-{n}")
    schema = "Company"
    caption = factory.Sequence(lambda n: f"JSC Listed {n}")
    names = factory.LazyAttribute(lambda o: [["name", o.caption]])
    countries = factory.LazyFunction(lambda: ["RU"])
    import_run = factory.SubFactory(ListImportFactory)


class ListedOwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListedOwnership

    source_id = factory.Sequence(lambda n: f"NK-own-{n}")
    owner = factory.SubFactory(ListedEntityFactory)
    asset = factory.SubFactory(ListedEntityFactory)
    percentage = 49
