from django.urls import path

from haven.updates import views

app_name = "updates"
urlpatterns = [
    path("updates/", views.timeline, name="timeline"),
    path("updates/<str:update_id>/delete/", views.delete_update, name="delete"),
    path("updates/<str:update_id>/react/<str:kind>/", views.react, name="react"),
    path("updates/<str:update_id>/reply/", views.reply, name="reply"),
    path("updates/replies/<str:reply_id>/delete/", views.delete_reply, name="delete_reply"),
    path("updates/followers/", views.followers, name="followers"),
    path(
        "updates/followers/<str:pseudonym>/<str:answer>/",
        views.answer_follower,
        name="answer_follower",
    ),
    path("members/<str:pseudonym>/follow/", views.follow, name="follow"),
    path("members/<str:pseudonym>/unfollow/", views.unfollow, name="unfollow"),
]
