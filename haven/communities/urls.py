from django.urls import path

from haven.communities import views

app_name = "communities"
urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
]
