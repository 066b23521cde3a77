from django.urls import path

from haven.care.therapists import views

urlpatterns = [
    path("care/apply/", views.apply, name="therapist_apply"),
    path("care/apply/licences/new/", views.add_licence, name="therapist_licence_add"),
    path("care/apply/submit/", views.submit_application, name="therapist_submit"),
    path("care/therapist/", views.dashboard, name="therapist_dashboard"),
    path("care/therapist/licences/<int:licence_id>/", views.own_licence, name="therapist_licence"),
    path("care/licences/review/", views.licence_queue, name="licence_queue"),
    path("care/licences/review/<int:licence_id>/", views.licence_review, name="licence_review"),
    path(
        "care/licences/review/<int:licence_id>/evidence/",
        views.licence_evidence,
        name="licence_evidence",
    ),
    path("care/therapists/", views.directory, name="therapist_directory"),
    path("care/therapists/<int:therapist_id>/", views.therapist_profile, name="therapist_profile"),
]
