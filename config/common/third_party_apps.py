"""Third-party apps under names in the user's language: INSTALLED_APPS names these classes.

The apps' own strings (django-axes and django-tasks-db ship no Ukrainian catalogue) are translated in
config/locale, through config/common/third_party_messages.py.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login attempts (django-axes)")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks (django-tasks-db)")
