"""How notifications plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.signals import access_revoked
from haven.notifications.sockets import close_sockets_on_access_revoked


def connect() -> None:
    # One receiver closes every socket of the member (notifications, chat, care rooms).
    access_revoked.connect(
        close_sockets_on_access_revoked, dispatch_uid="close_sockets_on_access_revoked"
    )
