from django.apps import AppConfig


class DirectMessagesConfig(AppConfig):
    name = "haven.direct_messages"
    label = "direct_messages"
    verbose_name = "Direct messages"
