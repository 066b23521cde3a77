from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haven.moderation"
    label = "moderation"
    verbose_name = "Moderation"
