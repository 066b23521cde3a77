from django.urls import path

from haven.care.telehealth.consumers import RoomConsumer
from haven.chat.consumers import ChatConsumer, WaitingConsumer
from haven.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/chat/<int:conversation_id>/", ChatConsumer.as_asgi()),
    path("ws/chat/requests/<int:request_id>/", WaitingConsumer.as_asgi()),
    path("ws/care/rooms/<int:appointment_id>/", RoomConsumer.as_asgi()),
]
