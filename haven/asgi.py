"""The ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from haven.accounts.language import SocketLanguageMiddleware  # noqa: E402
from haven.accounts.middleware import SecondFactorSocketGate  # noqa: E402
from haven.core.logs import SocketLogMiddleware  # noqa: E402
from haven.core.metrics import SocketCounter  # noqa: E402
from haven.core.request_turns import RequestTurns  # noqa: E402
from haven.health import PROBES  # noqa: E402
from haven.matching.vectors import warm_index_in_background  # noqa: E402
from haven.routing import websocket_urlpatterns  # noqa: E402


async def lifespan(scope, receive, send) -> None:
    """A serving process's start-up and shutdown (uvicorn --lifespan on; Django's handler has
    no lifespan of its own). At start-up the in-memory vector index begins loading in the
    background, so no member's first search by meaning waits for it."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            warm_index_in_background()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        "lifespan": lifespan,
        # Requests take turns (see RequestTurns); the crisis help page and the probes never wait.
        "http": RequestTurns(
            django_application,
            settings.HAVEN_HTTP_CONCURRENCY,
            never_wait=[reverse("safety:help"), *PROBES],
        ),
        "websocket": SocketCounter(
            # The socket's request id, bound for everything below it, refusals included.
            SocketLogMiddleware(
                AllowedHostsOriginValidator(
                    AuthMiddlewareStack(
                        SecondFactorSocketGate(
                            SocketLanguageMiddleware(URLRouter(websocket_urlpatterns))
                        )
                    )
                )
            )
        ),
    }
)
