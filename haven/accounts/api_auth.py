"""API authentication: the browser session (with CSRF) or a bearer token for apps.

Each sets `request.actor` (haven.accounts.actors) for the write gate. The default,
`member_auth`, also refuses a member who has not accepted the guidelines in force (403,
code "guidelines_not_accepted"); the few endpoints anyone must reach to read and accept them,
get help, or leave (export, delete, log out) use `member_auth_guidelines_exempt` by name.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from haven.accounts.actors import actor_for_api_session, actor_for_api_token
from haven.accounts.gates import check_guidelines_accepted
from haven.accounts.language import use_member_language
from haven.accounts.tokens import authenticate_api_token


class ActorAuthMixin:
    """After authenticating: set the request's Actor and, unless the endpoint is exempt, refuse
    a member who has not accepted the guidelines in force. Each auth class says how its
    Actor is made (`actor_for`)."""

    def __init__(self, *, guidelines_exempt: bool = False) -> None:
        super().__init__()
        self.guidelines_exempt = guidelines_exempt

    def __call__(self, request: HttpRequest):
        user = super().__call__(request)
        if user:
            request.actor = self.actor_for(request)  # type: ignore[attr-defined]
            if not self.guidelines_exempt:
                check_guidelines_accepted(user)
        return user


class ApiTokenAuth(ActorAuthMixin, HttpBearer):
    def actor_for(self, request: HttpRequest):
        return actor_for_api_token(request, request.api_token)

    def authenticate(self, request: HttpRequest, token: str):
        # Expiry, an active member, and the second factor for roles that need it: accounts.
        api_token = authenticate_api_token(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        use_member_language(request, api_token.user)
        return api_token.user


class ApiSessionAuth(ActorAuthMixin, SessionAuth):
    def actor_for(self, request: HttpRequest):
        return actor_for_api_session(request)


session_auth = ApiSessionAuth()
token_auth = ApiTokenAuth()
member_auth = [token_auth, session_auth]
# Reading and accepting the guidelines, taking one's data, deleting the account, logging out:
# nobody must agree to rules to read them or to leave.
member_auth_guidelines_exempt = [
    ApiTokenAuth(guidelines_exempt=True),
    ApiSessionAuth(guidelines_exempt=True),
]
