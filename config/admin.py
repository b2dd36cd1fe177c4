"""The project's admin site: Django's, with the pages that are not a model's (analytics, teardown import).

`ProjectAdminConfig` makes it the default site, so `admin.site` and `@admin.register` are this site everywhere;
the extra pages are declared here, once, instead of each module wrapping `admin.site.get_urls`.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path
from django.utils.translation import gettext_lazy as _

__all__ = ["ProjectAdminConfig", "ProjectAdminSite"]


class ProjectAdminSite(admin.AdminSite):
    site_header = _("Component provenance")
    site_title = _("Component provenance")
    index_title = _("Wreckage findings and sanctions evidence")

    def get_urls(self):
        # Imported here: the views' modules register ModelAdmins on this site while it is being set up.
        from provenance.admin.analytics import analytics_view
        from provenance.admin.teardown import teardown_error_report_view, teardown_import_view

        return [
            path("provenance/analytics/", self.admin_view(analytics_view), name="provenance_analytics"),
            path(
                "provenance/teardown-import/",
                self.admin_view(teardown_import_view),
                name="provenance_teardown_import",
            ),
            path(
                "provenance/teardown-import/errors/<str:token>/",
                self.admin_view(teardown_error_report_view),
                name="provenance_teardown_errors",
            ),
            *super().get_urls(),
        ]


class ProjectAdminConfig(AdminConfig):
    default_site = "config.admin.ProjectAdminSite"
