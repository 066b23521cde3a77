from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Models are importable only once every app is registered: the wiring loads here.
        from haven.notifications.wiring import connect

        connect()
