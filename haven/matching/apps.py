from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "haven.matching"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.matching.wiring import connect

        connect()
