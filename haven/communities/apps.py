from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "haven.communities"
    label = "communities"
    verbose_name = "Communities"
