"""Ending a member's existing ways in at once: API tokens, browser sessions and open sockets."""

from django.db import transaction
from django.db.models import F

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
    user_id = user.pk
    transaction.on_commit(
        lambda: access_revoked.send(sender=User, user_id=user_id, reason=reason), robust=True
    )
