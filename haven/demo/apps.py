from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "haven.demo"
    verbose_name = "Demo data"
