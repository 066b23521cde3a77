from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "haven.chat"
    label = "chat"
    verbose_name = "Listener chat"
