"""A small world for the partner API tests: an internal owner, partners A and B, staff, and one published or
unpublished item per TLP label, shared with partner A or with nobody (plus an AMBER item owned by B)."""

import itertools
from dataclasses import dataclass

import pytest
from django.test import Client

from provenance.models import Organisation, RecoveredItem
from provenance.models.items import TLP
from provenance.services.sharing import api_key_create
from tests import factories

STATUSES = [RecoveredItem.Status.PUBLISHED, RecoveredItem.Status.VERIFIED]
SHARES = ["none", "A"]
CALLERS = ["anonymous", "partner_a", "partner_b", "staff"]


@dataclass
class World:
    internal: Organisation
    partner_a: Organisation
    partner_b: Organisation
    key_a: str
    key_b: str
    items: dict[str, RecoveredItem]
    staff_client: Client

    def client(self, caller: str) -> Client:
        """A test client acting as `caller` (one of CALLERS)."""
        if caller == "staff":
            return self.staff_client
        if caller == "anonymous":
            return Client()
        key = self.key_a if caller == "partner_a" else self.key_b
        return Client(headers={"authorization": f"Bearer {key}"})

    def visible_references(self, caller: str) -> set[str]:
        """The rules, written out per item: what `caller` must see."""
        if caller == "staff":
            return set(self.items)
        if caller == "anonymous":
            return set()
        org = self.partner_a if caller == "partner_a" else self.partner_b
        visible = set()
        for reference, item in self.items.items():
            if item.status != RecoveredItem.Status.PUBLISHED:
                continue
            shared = item.owner == org or item.shared_with.filter(pk=org.pk).exists()
            if item.tlp in (TLP.CLEAR, TLP.GREEN) or (item.tlp in (TLP.AMBER, TLP.AMBER_STRICT) and shared):
                visible.add(reference)
        return visible


def build_world() -> World:
    """Create the world (one finding per item, quantity = position + 1 so totals identify the item set)."""
    internal = factories.InternalOrganisationFactory()
    partner_a = factories.OrganisationFactory(name="Partner A")
    partner_b = factories.OrganisationFactory(name="Partner B")
    weapon = factories.WeaponModelFactory(designation="9M727", name="Iskander-K", origin_country="RU")
    maker = factories.ManufacturerFactory(name="Texas Instruments", country="US")
    items: dict[str, RecoveredItem] = {}
    for n, (tlp, status, share) in enumerate(itertools.product(TLP.values, STATUSES, SHARES)):
        reference = f"{tlp}-{status}-{share}"
        item = factories.RecoveredItemFactory(
            reference=reference,
            weapon_model=weapon,
            owner=internal,
            status=status,
            tlp=tlp,
            notes="SECRET-ANALYST-NOTE",
            site_details="SECRET-SITE-50.45N",
            custody_notes="SECRET-CUSTODY",
        )
        if share == "A":
            item.shared_with.add(partner_a)
        factories.FindingFactory(item=item, manufacturer=maker, quantity=n + 1, notes="SECRET-FINDING-NOTE")
        items[reference] = item
    owned = factories.RecoveredItemFactory(
        reference="B-OWNED-AMBER", weapon_model=weapon, owner=partner_b, tlp=TLP.AMBER, status="published"
    )
    factories.FindingFactory(item=owned, manufacturer=maker, quantity=100)
    items[owned.reference] = owned
    staff_client = Client()
    staff_client.force_login(factories.StaffUserFactory(username="staff"))
    _key_obj, key_a = api_key_create(organisation=partner_a, name="A")
    _key_obj, key_b = api_key_create(organisation=partner_b, name="B")
    return World(internal, partner_a, partner_b, key_a, key_b, items, staff_client)


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    """Import `world_fixture` into a test module; tests ask for `world`."""
    return build_world()
