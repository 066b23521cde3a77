from django.apps import AppConfig


class WellnessConfig(AppConfig):
    name = "haven.wellness"
    verbose_name = "Wellness tools"
