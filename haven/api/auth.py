"""API authentication: the browser session (with CSRF) or a bearer token for apps."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.accounts.models import ApiToken, hash_token

GUIDELINES_MESSAGE = (
    "The community guidelines have changed. Please read and accept them to go on "
    "(GET /api/guidelines, then POST /api/guidelines/accept)."
)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = ApiToken.objects.select_related("user").get(key_hash=hash_token(token))
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        # Recording use at most once a minute keeps reads from turning into writes.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


def require_guidelines(request: HttpRequest) -> None:
    if needs_to_accept_guidelines(request.user):
        raise HttpError(403, GUIDELINES_MESSAGE)


session_auth = SessionAuth()
token_auth = ApiTokenAuth()
member_auth = [token_auth, session_auth]
