from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "haven.chat"
    label = "chat"
    verbose_name = "Listener chat"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.chat.wiring import connect

        connect()
