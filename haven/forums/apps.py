from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "haven.forums"
    label = "forums"
    verbose_name = "Forums"
