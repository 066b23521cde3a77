"""Each feature of professional care keeps its routes in its own urls.py."""

from django.urls import include, path

app_name = "care"
urlpatterns = [
    path("", include("haven.care.therapists.urls")),
    path("", include("haven.care.intake.urls")),
    path("", include("haven.care.booking.urls")),
    path("", include("haven.care.messaging.urls")),
    path("", include("haven.care.telehealth.urls")),
]
