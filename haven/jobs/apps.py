from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "haven.jobs"
    verbose_name = "Background jobs"
