from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "haven.updates"
    label = "updates"
    verbose_name = "Updates"
