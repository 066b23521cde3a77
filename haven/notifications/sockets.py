"""Every open socket of a member, whichever page holds it (notifications, chat, the telehealth
room), and closing them all at once when the member's access ends.

Each consumer joins the member's group at connect. When `access_revoked` is sent (suspension,
ban, role change, account deletion, password change), one event to that group reaches every
socket of the member on every server process (the channel layer is Redis in production), and
each closes with CLOSE_SIGNED_OUT. The pages stop reconnecting on a 44xx code.
"""

import logging

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext, gettext_noop

from haven.accounts.models import User
from haven.core.realtime import (
    CLOSE_NOT_FOUND,
    CLOSE_NOT_SIGNED_IN,
    CLOSE_REFUSED,
    CLOSE_SIGNED_OUT,
    close_reason,
    refuse,
)

logger = logging.getLogger(__name__)

SIGNED_OUT_REASON = gettext_noop("You were signed out.")


def member_group(user_id: int) -> str:
    return f"member.{user_id}"


def close_member_sockets(user_id: int, reason: str) -> None:
    """Close every open socket of this member, on every server process."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        member_group(user_id), {"type": "member.access_revoked", "reason": reason}
    )


def close_sockets_on_access_revoked(sender, *, user_id: int, reason: str, **kwargs) -> None:
    """Receiver of haven.accounts.signals.access_revoked (connected in NotificationsConfig)."""
    try:
        close_member_sockets(user_id, reason)
    except Exception:
        # Sessions and tokens are already ended; a socket left open is closed by its own checks
        # (every write re-checks suspension and bans), so log rather than fail the request.
        logger.exception("Could not close the open sockets of member %s", user_id)


def still_signed_in(user: User) -> bool:
    """Whether the signed-in user of a socket is still valid: closes the gap between the
    session being read at connect and the socket joining its member group."""
    return User.objects.filter(
        pk=user.pk, is_active=True, session_epoch=user.session_epoch
    ).exists()


class MemberSocketMixin:
    """For AsyncJsonWebsocketConsumer subclasses: join the member group, close when told."""

    member_group_name: str | None = None
    access_ended: bool = False

    async def join_member_group(self, user: User) -> bool:
        """Join before the last check, so a revocation that lands in between is not missed.
        Returns False (and the caller closes) when access already ended."""
        self.member_group_name = member_group(user.pk)
        await self.channel_layer.group_add(self.member_group_name, self.channel_name)
        if not await database_sync_to_async(still_signed_in)(user):
            self.access_ended = True
            return False
        return True

    async def access_or_close(
        self, access, *args, missing_code: int = CLOSE_NOT_FOUND, missing_reason: str = ""
    ):
        """The object the socket is for, if this member may have it: `access(user, *args)` runs
        in a thread and raises Http404 (missing or not theirs: one answer for both) or
        PermissionDenied (not now, with why). Otherwise the socket is refused with the code
        and None returned. The member's group is joined first, so the socket closes when the
        member's access ends. Chat and the telehealth room connect through this."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await refuse(self, CLOSE_NOT_SIGNED_IN, gettext("Please sign in."))
            return None
        if not await self.join_member_group(user):
            await refuse(self, CLOSE_SIGNED_OUT, gettext("Please sign in again."))
            return None
        try:
            return await database_sync_to_async(access)(user, *args)
        except Http404:
            await refuse(self, missing_code, missing_reason)
        except PermissionDenied as refused:
            await refuse(self, CLOSE_REFUSED, close_reason(str(refused)))
        return None

    async def leave_member_group(self) -> None:
        if self.member_group_name is not None:
            await self.channel_layer.group_discard(self.member_group_name, self.channel_name)
            self.member_group_name = None

    async def member_access_revoked(self, event: dict) -> None:
        self.access_ended = True
        await self.before_signed_out_close()
        await self.close(code=CLOSE_SIGNED_OUT, reason=gettext(SIGNED_OUT_REASON))

    async def before_signed_out_close(self) -> None:
        """A consumer may tell its page something first."""
