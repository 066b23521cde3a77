from django.urls import path

from haven.direct_messages import views

app_name = "direct_messages"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/<str:pseudonym>/", views.request_form, name="request"),
    path("messages/<int:thread_id>/", views.thread, name="thread"),
    path("messages/<int:thread_id>/accept/", views.accept, name="accept"),
    path("messages/<int:thread_id>/decline/", views.decline, name="decline"),
    path("messages/<int:thread_id>/send/", views.send, name="send"),
    path("messages/<int:thread_id>/block/", views.block, name="block"),
    path("messages/report/<int:message_id>/", views.report, name="report"),
]
