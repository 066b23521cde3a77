"""API tokens: issuing, checking, listing and revoking them.

A token is good while it has not expired (settings.HAVEN_API_TOKEN_DAYS after issue), its member
is active, and, for a member whose role needs a second factor, it was issued after a verified
code and the member still has a confirmed authenticator. Role changes, password changes and
resets delete a member's tokens (haven.accounts.revocation).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import ApiToken, User, hash_token
from haven.accounts.two_factor import has_confirmed_device, requires_two_factor

# Recording use at most once a minute keeps reads from turning into writes.
LAST_USED_PRECISION_SECONDS = 60


def do_create_api_token(user: User, *, name: str = "app", with_two_factor: bool = False) -> str:
    """Returns the raw token once; only its hash is kept. `with_two_factor`: the caller has
    just verified a code from one of the member's devices."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(raw), issued_with_two_factor=with_two_factor
    )
    return raw


def authenticate_api_token(raw: str) -> ApiToken | None:
    """The token's row when it may be used now, or None (the API answers 401)."""
    if not raw:
        return None
    try:
        api_token = ApiToken.objects.select_related("user").get(key_hash=hash_token(raw))
    except ApiToken.DoesNotExist:
        return None
    now = timezone.now()
    user = api_token.user
    if api_token.expires_at <= now or not user.is_active:
        return None
    if requires_two_factor(user) and not (
        api_token.issued_with_two_factor and has_confirmed_device(user)
    ):
        return None
    last_used = api_token.last_used_at
    if last_used is None or (now - last_used).total_seconds() > LAST_USED_PRECISION_SECONDS:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The member's tokens that still work by date, newest first (expired ones are not shown:
    they can no longer be used and are pruned)."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-pk"
    )


def access_api_token_by_id(user: User, token_id: int) -> ApiToken:
    """One of the member's own tokens; another member's is as missing as one that never was."""
    try:
        return tokens_of(user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None


def do_revoke_api_token(api_token: ApiToken) -> None:
    ApiToken.objects.filter(pk=api_token.pk).delete()


def do_prune_expired_api_tokens() -> int:
    deleted, _ = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
