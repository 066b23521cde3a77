from django.urls import path

from haven.care.intake import views

urlpatterns = [
    path("care/", views.find_professional, name="find_professional"),
    path("care/match/", views.match_start, name="match_start"),
    # Fixed pages before the step pattern, which would otherwise catch them.
    path("care/match/screening/", views.match_screening, name="match_screening"),
    path("care/match/results/", views.match_results, name="match_results"),
    path("care/match/clear/", views.clear_answers, name="match_clear"),
    path("care/match/choose/<int:therapist_id>/", views.choose_therapist, name="match_choose"),
    path("care/match/<slug:step_key>/", views.match_step, name="match_step"),
]
