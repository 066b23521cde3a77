"""Ending a member's existing ways in at once: API tokens, browser sessions and open sockets."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from haven.accounts.models import ApiToken, User
from haven.accounts.signals import access_revoked


def do_revoke_access(user: User, *, reason: str) -> None:
    """Sign the member out of every browser and app, and close their open sockets.

    Sessions carry `session_epoch` in their auth hash, so bumping it ends them all without
    scanning the session store. Sockets are closed by `access_revoked` receivers after commit,
    so a rolled-back change closes nothing.
    """
    ApiToken.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    # The caller's copy must not write the old epoch back with a later save().
    user.refresh_from_db(fields=["session_epoch"])
    user_id = user.pk
    transaction.on_commit(
        lambda: access_revoked.send(sender=User, user_id=user_id, reason=reason), robust=True
    )


def keep_this_session(request: HttpRequest) -> None:
    """After a member's own action ended their access (applying as a therapist, changing their
    password), keep the browser they did it in signed in: the other sessions and all tokens
    stay ended. Their role may now ask for a second factor, which the middleware then asks for.
    """
    request.user.refresh_from_db(fields=["session_epoch"])
    update_session_auth_hash(request, request.user)
