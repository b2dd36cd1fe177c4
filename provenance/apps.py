from django.apps import AppConfig
from django.core.signals import request_started
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _install_data_version(sender, using, **kwargs) -> None:
    from provenance.services.data_version import data_version_install

    data_version_install(using=using)


class ProvenanceConfig(AppConfig):
    name = "provenance"
    verbose_name = "Provenance"

    def ready(self) -> None:
        # After every migrate (and after a test database flush): the triggers behind the API's response cache.
        post_migrate.connect(_install_data_version, sender=self, dispatch_uid="provenance_data_version")
        # Partner requests' statement timeout (PostgreSQL): reset before any other request, forgotten on reconnect.
        from provenance.services.statement_timeout import reset_on_request_started, timeout_forget

        request_started.connect(reset_on_request_started, dispatch_uid="provenance_statement_timeout")
        connection_created.connect(timeout_forget, dispatch_uid="provenance_statement_timeout")
