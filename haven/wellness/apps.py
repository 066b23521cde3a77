from django.apps import AppConfig


class WellnessConfig(AppConfig):
    name = "haven.wellness"
    verbose_name = "Wellness tools"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.wellness.wiring import connect

        connect()
