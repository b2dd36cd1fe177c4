"""Shared checks for the admin: every registered model's list, add, change and history pages render.

Each app's test_admin.py parametrises `assert_admin_pages_render` over its own registered models, so a
new ModelAdmin is covered as soon as it is registered.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from provenance.models import EvidenceFile
from provenance.services.findings import evidence_file_store
from tests import factories


def registered_models(*app_labels: str, exclude: tuple[str, ...] = ()) -> list[type[Model]]:
    """Models registered in the admin for `app_labels` (all but `exclude` when none are given)."""
    models = [
        model
        for model in admin.site._registry
        if (model._meta.app_label in app_labels if app_labels else model._meta.app_label not in exclude)
    ]
    return sorted(models, key=lambda model: model._meta.label)


def model_id(model: type[Model]) -> str:
    return model._meta.label


def build_one(model: type[Model], user) -> Model | None:
    """One saved instance of `model`, from its factory (tests.factories.<Model>Factory) where there is one."""
    if model is EvidenceFile:
        return evidence_file_store(
            file=ContentFile(b"\x89PNG fake photo bytes", name="photo.png"),
            item=factories.RecoveredItemFactory(),
            uploaded_by=user,
            description="fuselage marking",
        )
    if model is Group:
        return Group.objects.create(name="analysts")
    if model is type(user):
        return user
    if hasattr(model._default_manager, "create_key"):
        # API keys get their primary key from create_key (the raw key is shown once and not kept).
        api_key, _raw = model._default_manager.create_key(
            name="partner key", organisation=factories.OrganisationFactory()
        )
        return api_key
    factory = getattr(factories, f"{model.__name__}Factory", None)
    if factory is not None:
        return factory()
    return model._default_manager.first()


def assert_admin_pages_render(client, user, model: type[Model]) -> None:
    """The changelist, add, change and (when kept) history pages of `model` answer 200 for a superuser."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    info = (model._meta.app_label, model._meta.model_name)
    obj = build_one(model, user)

    response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert response.status_code == 200, f"{model._meta.label} changelist"
    if obj is not None:
        # The object must be listed: a changelist that renders but shows nothing is broken too.
        assert response.context["cl"].result_count >= 1, f"{model._meta.label} changelist is empty"

    if model_admin.has_add_permission(request):
        response = client.get(reverse("admin:{}_{}_add".format(*info)))
        assert response.status_code == 200, f"{model._meta.label} add page"

    if obj is not None:
        response = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200, f"{model._meta.label} change page"
        response = client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        assert response.status_code == 200, f"{model._meta.label} history page"
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert "Created" in response.content.decode(), f"{model._meta.label} history shows no record"
