from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "haven.updates"
    label = "updates"
    verbose_name = "Updates"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.updates.wiring import connect

        connect()
