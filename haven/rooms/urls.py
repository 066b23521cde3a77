from django.urls import path

from haven.rooms import circle_views, views

app_name = "rooms"
urlpatterns = [
    path("rooms/", views.room_list, name="list"),
    path("rooms/start/", views.start_room, name="start"),
    path("rooms/<int:room_id>/", views.room, name="room"),
    path("rooms/<int:room_id>/join/", views.join, name="join"),
    path("rooms/<int:room_id>/leave/", views.leave, name="leave"),
    path("rooms/<int:room_id>/send/", views.send, name="send"),
    path("rooms/<int:room_id>/members/", views.members, name="members"),
    path("rooms/<int:room_id>/slow-mode/", views.slow_mode, name="slow_mode"),
    path("rooms/<int:room_id>/pin/", views.pin, name="pin"),
    path("rooms/<int:room_id>/close/", views.close, name="close"),
    path("rooms/<int:room_id>/members/<int:member_id>/mute/", views.mute, name="mute"),
    path("rooms/<int:room_id>/members/<int:member_id>/remove/", views.remove, name="remove"),
    path("rooms/<int:room_id>/messages/<int:message_id>/report/", views.report, name="report"),
    # Sharing circles and "Match me to a room" (haven.rooms.circle_views)
    path("rooms/match/", circle_views.match, name="match"),
    path("circles/", circle_views.circle_list, name="circles"),
    path("circles/new/", circle_views.schedule_circle, name="schedule_circle"),
    path("circles/<int:circle_id>/", circle_views.circle_detail, name="circle"),
    path("circles/<int:circle_id>/sign-up/", circle_views.sign_up, name="circle_sign_up"),
    path("circles/<int:circle_id>/cancel/", circle_views.cancel_signup, name="circle_cancel"),
    path("circles/<int:circle_id>/join/", circle_views.join_circle_room, name="circle_join"),
]
