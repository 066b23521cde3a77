from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from haven.accounts.signals import access_revoked
        from haven.notifications.sockets import close_sockets_on_access_revoked

        # One receiver closes every socket of the member (notifications, chat, care rooms).
        access_revoked.connect(
            close_sockets_on_access_revoked, dispatch_uid="close_sockets_on_access_revoked"
        )
