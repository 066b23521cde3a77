from django.urls import path

from haven.updates import views

app_name = "updates"
urlpatterns = [
    path("updates/", views.timeline, name="timeline"),
    path("updates/<str:update_id>/delete/", views.delete_update, name="delete"),
    path("updates/followers/", views.followers, name="followers"),
    path(
        "updates/followers/<str:pseudonym>/<str:answer>/",
        views.answer_follower,
        name="answer_follower",
    ),
    path("members/<str:pseudonym>/follow/", views.follow, name="follow"),
    path("members/<str:pseudonym>/unfollow/", views.unfollow, name="unfollow"),
]
