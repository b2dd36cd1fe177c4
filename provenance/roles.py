"""The roles of the review workflow as Django groups, each with exactly the permissions it needs.

`ROLES` is the one table of who may do what; the migrations apply it with `roles_sync` (run it again from a
new migration after changing the table). A user may hold several roles; a superuser holds every permission.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

__all__ = ["ANALYST", "PARTNER_LIAISON", "PUBLISHER", "REVIEWER", "ROLES", "VIEWER", "roles_sync"]

ANALYST = "analyst"
REVIEWER = "reviewer"
PUBLISHER = "publisher"
PARTNER_LIAISON = "partner liaison"
VIEWER = "viewer"

_INTERNAL_APPS = ("provenance", "manufacturers", "components")
# Everything a viewer reads: every model of the project's apps (the API keys' hashes stay in the database).
_VIEW_MODELS = {
    "components": ("hscode", "category", "part"),
    "manufacturers": (
        "manufacturer",
        "manufactureralias",
        "manufactureridentifier",
        "ownership",
        "designation",
        "listimport",
        "listedentity",
        "listedownership",
        "sanctionmatch",
    ),
    "provenance": (
        "source",
        "weaponmodel",
        "weaponalias",
        "strike",
        "organisation",
        "recovereditem",
        "finding",
        "evidencefile",
        "briefingreport",
        "itemtransition",
        "custodyevent",
    ),
}
VIEW_ALL = [f"{app}.view_{model}" for app, models in _VIEW_MODELS.items() for model in models]


def _crud(app: str, *models: str, actions: tuple[str, ...] = ("add", "change", "view")) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models for action in actions]


ROLES: dict[str, list[str]] = {
    # Enters and imports findings (creating unknown makers, parts, categories, sources, strikes), records
    # custody, writes briefings, submits items for review. Cannot verify, publish, share or lower a TLP.
    ANALYST: sorted(
        {
            *VIEW_ALL,
            *_crud("provenance", "recovereditem", "evidencefile", "source", "strike"),
            *_crud("provenance", "finding", actions=("add", "change", "delete", "view")),
            *_crud("provenance", "custodyevent", actions=("add", "view")),
            *_crud("provenance", "briefingreport", actions=("add", "view")),
            *_crud("manufacturers", "manufacturer", "manufactureralias", "designation"),
            # Identifiers are edited inline on the maker's page, where a wrong one is deleted.
            *_crud("manufacturers", "manufactureridentifier", actions=("add", "change", "delete", "view")),
            # Imports sanctions lists and decides the matcher's candidates (confirm / reject: a change).
            *_crud("manufacturers", "listimport", actions=("add", "view")),
            *_crud("manufacturers", "sanctionmatch", actions=("change", "view")),
            *_crud("components", "part", "category"),
            "provenance.submit_recovereditem",
        }
    ),
    # Verifies or returns submitted items (never their own: four eyes), may lower a TLP label. Changing an
    # item is needed for the TLP; findings stay read-only to a reviewer.
    REVIEWER: sorted(
        {
            *VIEW_ALL,
            "provenance.change_recovereditem",
            "provenance.verify_recovereditem",
            "provenance.return_recovereditem",
            "provenance.lower_tlp",
            "provenance.add_briefingreport",
        }
    ),
    # Publishes verified items and shares them with organisations; may withdraw (return to draft).
    PUBLISHER: sorted(
        {
            *VIEW_ALL,
            "provenance.change_recovereditem",
            "provenance.publish_recovereditem",
            "provenance.share_recovereditem",
            "provenance.return_recovereditem",
            "provenance.add_briefingreport",
        }
    ),
    # Partner organisations, their API keys and the access log.
    PARTNER_LIAISON: sorted(
        {
            *VIEW_ALL,
            *_crud("provenance", "organisation", "organisationapikey"),
            "provenance.view_accesslog",
        }
    ),
    # Reads everything internal, changes nothing.
    VIEWER: sorted(VIEW_ALL),
}


def roles_sync(apps=None, schema_editor=None) -> None:
    """Create or update the role groups so that each holds exactly the permissions of `ROLES`.

    Callable as a migration's RunPython (with the historical `apps`) or directly (the live registry).
    Permissions are created first: on a fresh database post_migrate has not created them yet.
    """
    if apps is None:
        from django.apps import apps
    for app_config in apps.get_app_configs():
        if app_config.label in (*_INTERNAL_APPS, "auth", "contenttypes"):
            module = getattr(
                app_config, "models_module", None
            )  # historical app configs have none; create_permissions wants one
            app_config.models_module = module or True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            # An earlier migration runs this with the models of its time: permissions of models created
            # later are given by the later migration that runs it again (the tests check the full table).
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
