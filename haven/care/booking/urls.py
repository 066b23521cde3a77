from django.urls import path

from haven.care.booking import views

urlpatterns = [
    path("care/therapist/availability/", views.availability, name="availability"),
    path(
        "care/therapist/availability/hours/<int:window_id>/delete/",
        views.delete_window,
        name="availability_delete_window",
    ),
    path(
        "care/therapist/availability/changes/<int:exception_id>/delete/",
        views.delete_exception,
        name="availability_delete_exception",
    ),
    path("care/therapists/<int:therapist_id>/book/", views.book, name="book"),
    path("care/appointments/", views.appointments, name="appointments"),
    path("care/appointments/<int:appointment_id>/", views.appointment, name="appointment"),
    path("care/appointments/<int:appointment_id>/cancel/", views.cancel, name="appointment_cancel"),
    path(
        "care/appointments/<int:appointment_id>/reschedule/",
        views.reschedule,
        name="appointment_reschedule",
    ),
    path("care/calendar/", views.calendar_settings, name="calendar"),
    path("care/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("care/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
