from django.urls import path

from haven.updates import views

app_name = "updates"
urlpatterns = [
    path("updates/", views.timeline, name="timeline"),
    path("updates/<int:update_id>/delete/", views.delete_update, name="delete"),
    path("members/<str:pseudonym>/follow/", views.follow, name="follow"),
    path("members/<str:pseudonym>/unfollow/", views.unfollow, name="unfollow"),
]
