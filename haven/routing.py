from django.urls import path

from haven.care.telehealth.consumers import RoomConsumer
from haven.chat.consumers import ChatConsumer, WaitingConsumer
from haven.direct_messages.consumers import DirectConsumer
from haven.notifications.consumers import NotificationConsumer
from haven.rooms.consumers import RoomConsumer as SupportRoomConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/chat/requests/<int:request_id>/", WaitingConsumer.as_asgi()),
    path("ws/direct/<int:thread_id>/", DirectConsumer.as_asgi()),
    path("ws/care/rooms/<int:appointment_id>/", RoomConsumer.as_asgi()),
    path("ws/rooms/<int:room_id>/", SupportRoomConsumer.as_asgi()),
]
