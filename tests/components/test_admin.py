"""The components admin: pages render, and a duplicate part number is refused with a message."""

import pytest
from django.urls import reverse

from components.models import Part
from tests import factories
from tests.admin_pages import assert_admin_pages_render, model_id, registered_models

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", registered_models("components"), ids=model_id)
def test_every_components_admin_page_renders(admin_client, staff_user, model):
    assert_admin_pages_render(admin_client, staff_user, model)


def _part_post(manufacturer, part_number: str) -> dict:
    return {
        "manufacturer": str(manufacturer.pk),
        "part_number": part_number,
        "category": "",
        "description": "",
        "hs_code": "",
        "eccn": "",
        "datasheet_url": "",
    }


def test_duplicate_part_number_per_manufacturer_is_refused_with_a_message(admin_client):
    maker = factories.ManufacturerFactory(name="Texas Instruments")
    factories.PartFactory(manufacturer=maker, part_number="TMS320F28335PGFA")
    response = admin_client.post(reverse("admin:components_part_add"), _part_post(maker, "tms320f28335-pgfa"))
    assert response.status_code == 200
    assert "This manufacturer already has a part with this number (ignoring case, spaces and dashes)." in (
        response.content.decode()
    )
    assert Part.objects.count() == 1


def test_same_part_number_from_another_manufacturer_is_accepted(admin_client):
    factories.PartFactory(manufacturer=factories.ManufacturerFactory(name="Texas Instruments"), part_number="LM358")
    other = factories.ManufacturerFactory(name="STMicroelectronics", country="CH")
    response = admin_client.post(reverse("admin:components_part_add"), _part_post(other, "LM358"))
    assert response.status_code == 302
    assert Part.objects.filter(part_number_key="LM358").count() == 2


def test_part_search_ignores_dashes_and_case(admin_client):
    factories.PartFactory(part_number="TMS320F28335PGFA")
    factories.PartFactory(part_number="LM358")
    response = admin_client.get(reverse("admin:components_part_changelist"), {"q": "tms320f28335-pgfa"})
    assert [p.part_number for p in response.context["cl"].result_list] == ["TMS320F28335PGFA"]
