from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haven.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.moderation.wiring import connect

        connect()
