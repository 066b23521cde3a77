from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "haven.backups"
    label = "backups"
    verbose_name = "Backups"
