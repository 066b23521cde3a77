"""Pushes a member's unread-notification count to their open pages."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from haven.notifications.actions import unread_count
from haven.notifications.realtime import user_group
from haven.notifications.sockets import CLOSE_SIGNED_OUT, MemberSocketMixin

CLOSE_NOT_SIGNED_IN = 4401


class NotificationConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accepted first so the page can read the code and stop retrying.
            await self.accept()
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        if not await self.join_member_group(user):
            await self.accept()
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_unread_count()

    async def disconnect(self, code: int) -> None:
        await self.leave_member_group()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The socket only carries news to the page; the page never writes through it.
        return

    async def user_event(self, event: dict) -> None:
        if self.access_ended:
            return
        if event.get("event") == "notification":
            await self.send_unread_count()

    async def send_unread_count(self) -> None:
        count = await database_sync_to_async(unread_count)(self.scope["user"])
        await self.send_json({"type": "unread_notifications", "count": count})
