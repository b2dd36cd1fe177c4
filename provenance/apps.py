from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_data_version(sender, using, **kwargs) -> None:
    from provenance.services.data_version import data_version_install

    data_version_install(using=using)


class ProvenanceConfig(AppConfig):
    name = "provenance"
    verbose_name = _("Provenance")

    def ready(self) -> None:
        # After every migrate (and after a test database flush): the triggers behind the API's response cache.
        post_migrate.connect(_install_data_version, sender=self, dispatch_uid="provenance_data_version")
