from django.urls import path

from haven.chat import views

app_name = "chat"
urlpatterns = [
    path("listen/", views.training, name="training"),
    path("listen/start/", views.start_training, name="start_training"),
    path("listen/lessons/<slug:slug>/", views.lesson, name="lesson"),
    path("listen/quiz/", views.quiz, name="quiz"),
    path("listen/dashboard/", views.dashboard, name="dashboard"),
    path("listen/requests/<int:request_id>/take/", views.take_request, name="take"),
    path("listen/requests/<int:request_id>/pass/", views.pass_offer, name="pass"),
    path("talk/", views.talk, name="talk"),
    path("talk/requests/<int:request_id>/", views.waiting, name="waiting"),
    path(
        "talk/requests/<int:request_id>/resources/",
        views.waiting_resources,
        name="waiting_resources",
    ),
    path("talk/requests/<int:request_id>/cancel/", views.cancel_request, name="cancel"),
    path("chat/", views.conversations, name="conversations"),
    path("chat/<int:conversation_id>/", views.conversation, name="conversation"),
    path("chat/<int:conversation_id>/send/", views.send, name="send"),
    path("chat/<int:conversation_id>/end/", views.end, name="end"),
    path(
        "chat/<int:conversation_id>/someone-else/",
        views.find_someone_else,
        name="find_someone_else",
    ),
    path("chat/<int:conversation_id>/block/", views.block, name="block"),
    path("chat/<int:conversation_id>/report/", views.report, name="report"),
    path("chat/<int:conversation_id>/escalate/", views.escalate, name="escalate"),
    path("chat/<int:conversation_id>/feedback/", views.feedback, name="feedback"),
    # The address the safety plan page has always posted to.
    path(
        "safety-plan/share/chat/<int:conversation_id>/",
        views.share_safety_plan,
        name="share_safety_plan",
    ),
    path("chat/moderate/<int:item_id>/join/", views.join_as_moderator, name="join_as_moderator"),
]
