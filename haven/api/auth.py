"""API authentication: the browser session (with CSRF) or a bearer token for apps."""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from haven.accounts.guidelines import needs_to_accept_guidelines
from haven.accounts.tokens import authenticate_api_token

GUIDELINES_MESSAGE = (
    "The community guidelines have changed. Please read and accept them to go on "
    "(GET /api/guidelines, then POST /api/guidelines/accept)."
)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # Expiry, an active member, and the second factor for roles that need it: accounts.
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


def require_guidelines(request: HttpRequest) -> None:
    if needs_to_accept_guidelines(request.user):
        raise HttpError(403, GUIDELINES_MESSAGE)


session_auth = SessionAuth()
token_auth = ApiTokenAuth()
member_auth = [token_auth, session_auth]
