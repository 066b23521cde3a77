from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "haven.communities"
    label = "communities"
    verbose_name = "Communities"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.communities.wiring import connect

        connect()
