from django.urls import path

from haven.safety import views

app_name = "safety"
urlpatterns = [
    path("help/", views.get_help, name="help"),
]
