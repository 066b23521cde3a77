from django.urls import path

from haven.matching import views

app_name = "matching"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("connect/", views.connect, name="connect"),
    path("connect/leave/", views.leave, name="leave"),
    path("connect/draft/", views.draft_suggestions, name="draft"),
    path("connect/threads/<str:thread_id>/", views.thread_suggestions, name="thread"),
]
