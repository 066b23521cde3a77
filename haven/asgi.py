"""The ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from haven.accounts.middleware import SecondFactorSocketGate  # noqa: E402
from haven.core.logs import SocketLogMiddleware  # noqa: E402
from haven.core.metrics import SocketCounter  # noqa: E402
from haven.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": SocketCounter(
            # The socket's request id, bound for everything below it, refusals included.
            SocketLogMiddleware(
                AllowedHostsOriginValidator(
                    AuthMiddlewareStack(SecondFactorSocketGate(URLRouter(websocket_urlpatterns)))
                )
            )
        ),
    }
)
