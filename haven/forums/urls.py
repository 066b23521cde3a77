from django.urls import path

from haven.forums import views

app_name = "forums"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("c/<slug:slug>/", views.community_page, name="community"),
    path("c/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("c/<slug:slug>/t/<str:thread_id>/", views.thread_detail, name="thread"),
    path("c/<slug:slug>/t/<str:thread_id>/reply/", views.reply, name="reply"),
    path("posts/<str:post_id>/edit/", views.edit_post, name="edit_post"),
    path("posts/<str:post_id>/delete/", views.delete_post, name="delete_post"),
    path("posts/<str:post_id>/react/<str:kind>/", views.react, name="react"),
    path("threads/<str:thread_id>/subscription/", views.subscribe, name="subscribe"),
    path("threads/<str:thread_id>/<str:action>/", views.moderate_thread, name="moderate_thread"),
]
