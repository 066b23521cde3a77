from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "haven.care"
    verbose_name = "Professional care"
