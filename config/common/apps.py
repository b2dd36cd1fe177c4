from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "config.common"
    label = "common"
    verbose_name = "Common"
