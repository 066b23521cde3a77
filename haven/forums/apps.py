from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "haven.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.forums.wiring import connect

        connect()
