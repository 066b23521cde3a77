from django.urls import path

from haven.core import views

app_name = "core"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz/", views.healthz, name="healthz"),
    path("style/", views.style_guide, name="style"),
]
