from django.urls import path

from haven.care.telehealth import views

urlpatterns = [
    path(
        "care/appointments/<int:appointment_id>/consent/",
        views.consent,
        name="telehealth_consent",
    ),
    path("care/appointments/<int:appointment_id>/room/", views.room, name="telehealth_room"),
]
