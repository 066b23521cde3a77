"""The member's own socket, open on every page: the unread-notification count, live offers of
a chat to a listener, and the member's presence (haven.notifications.presence).

Protocol (JSON), /ws/notifications/:
  client → {"type": "heartbeat"} every HAVEN_PRESENCE_HEARTBEAT_SECONDS (haven.js: 20 s)
  server → {"type": "unread_notifications", "count": ...} on connect and on every change
           {"type": "chat_offer", "request_id": ..., "topics": [...], "message": "...",
            "expires_in": <seconds>} to the listener a chat request is offered to
           {"type": "chat_offer_closed", "request_id": ...} when that offer is over
"""

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from haven.core.realtime import CLOSE_NOT_SIGNED_IN, CLOSE_SIGNED_OUT, refuse
from haven.notifications import presence
from haven.notifications.actions import unread_count
from haven.notifications.realtime import user_group
from haven.notifications.sockets import MemberSocketMixin


class NotificationConsumer(MemberSocketMixin, AsyncJsonWebsocketConsumer):
    present_user_id: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await refuse(self, CLOSE_NOT_SIGNED_IN)
            return
        if not await self.join_member_group(user):
            await refuse(self, CLOSE_SIGNED_OUT)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.present_user_id = user.pk
        await self.beat()
        await self.send_unread_count()

    async def disconnect(self, code: int) -> None:
        await self.leave_member_group()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.present_user_id is not None:
            user_id, self.present_user_id = self.present_user_id, None
            if await sync_to_async(presence.leave)(user_id, self.channel_name):
                await database_sync_to_async(presence.member_went_offline.send)(
                    sender=type(self), user_id=user_id
                )

    async def beat(self) -> None:
        if await sync_to_async(presence.beat)(self.present_user_id, self.channel_name):
            await database_sync_to_async(presence.member_came_online.send)(
                sender=type(self), user_id=self.present_user_id
            )

    async def receive_json(self, content, **kwargs) -> None:
        # Only heartbeats come this way: the page never writes through this socket.
        if (
            isinstance(content, dict)
            and content.get("type") == "heartbeat"
            and self.present_user_id is not None
            and not self.access_ended
        ):
            await self.beat()

    async def user_event(self, event: dict) -> None:
        if self.access_ended:
            return
        kind = event.get("event")
        if kind == "notification":
            await self.send_unread_count()
        elif kind == "urgent":
            await self.send_json(
                {"type": "urgent_item", "message": event["message"], "url": event["link"]}
            )
        elif kind == "chat_offer":
            await self.send_json(
                {
                    "type": "chat_offer",
                    "request_id": event["request_id"],
                    "topics": event["topics"],
                    "message": event["message"],
                    "expires_in": event["expires_in"],
                }
            )
        elif kind == "chat_offer_closed":
            await self.send_json({"type": "chat_offer_closed", "request_id": event["request_id"]})

    async def send_unread_count(self) -> None:
        count = await database_sync_to_async(unread_count)(self.scope["user"])
        await self.send_json({"type": "unread_notifications", "count": count})
