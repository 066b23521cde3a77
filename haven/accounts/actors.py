"""Who is acting: one Actor for every way in (a page, the API with a session or a token, a
WebSocket), so the gates every write passes (`haven.accounts.gates.check_can_write`) see the
same facts whatever the way in."""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

from django.http import HttpRequest

from haven.accounts.two_factor import session_passed_second_factor
from haven.core.client_ip import client_ip

Way = Literal["page", "api_session", "api_token", "socket"]


@dataclass(frozen=True)
class Actor:
    user: Any  # a User, or AnonymousUser before signing in
    client: str  # the client's address, for the per-address rate limits
    way: Way
    two_factor_verified: bool = False
    # A page checks the rules when it shows a form (GET) and again when it is sent (POST);
    # only the sending counts towards a rate limit.
    method: str = "POST"

    @property
    def is_writing(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def as_ratelimit_request(self) -> SimpleNamespace:
        """What django-ratelimit reads of a request: who, from where, which method."""
        return SimpleNamespace(
            user=self.user, META={"REMOTE_ADDR": self.client}, method=self.method
        )


def _client_of(request: HttpRequest) -> str:
    # The socket's address, or the one a trusted proxy names (HAVEN_TRUSTED_PROXIES).

    return client_ip(request)


def _session_verified(user) -> bool:
    # django_otp's OTPMiddleware gives a signed-in user is_verified() for this session.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def actor_for_page(request: HttpRequest) -> Actor:
    return Actor(
        request.user, _client_of(request), "page", _session_verified(request.user), request.method
    )


def actor_for_api_session(request: HttpRequest) -> Actor:
    verified = _session_verified(request.user)
    return Actor(request.user, _client_of(request), "api_session", verified, request.method)


def actor_for_api_token(request: HttpRequest, api_token) -> Actor:
    # A token vouches for the second factor only when a code was verified as it was issued
    # (haven.accounts.tokens refuses the others for roles that need one).
    verified = bool(api_token.issued_with_two_factor)
    return Actor(api_token.user, _client_of(request), "api_token", verified, request.method)


def actor_from_scope(scope: dict) -> Actor:
    """The Actor of a WebSocket connection (call from a thread: it may read the database)."""
    user = scope["user"]
    # A socket without a peer address (a Unix socket behind a proxy) counts as one local client.
    client = (scope.get("client") or ("127.0.0.1", 0))[0]
    return Actor(user, client, "socket", session_passed_second_factor(user, scope.get("session")))
