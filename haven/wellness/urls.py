from django.urls import path

from haven.wellness.views import journal, library, mood, safety_plan

app_name = "wellness"
urlpatterns = [
    path("wellness/", mood.overview, name="overview"),
    path("wellness/check-in/", mood.check_in, name="check_in"),
    path("wellness/mood/", mood.mood, name="mood"),
    path("wellness/mood/export.csv", mood.export_csv, name="mood_csv"),
    path("wellness/mood/<int:checkin_id>/delete/", mood.delete_checkin, name="delete_checkin"),
    path("wellness/settings/", mood.wellness_settings, name="settings"),
    path("journal/", journal.entry_list, name="journal"),
    path("journal/new/", journal.new_entry, name="journal_new"),
    path("journal/<int:entry_id>/", journal.entry_detail, name="journal_entry"),
    path("journal/<int:entry_id>/edit/", journal.edit_entry, name="journal_edit"),
    path("journal/<int:entry_id>/delete/", journal.delete_entry, name="journal_delete"),
    path("library/", library.resource_list, name="library"),
    path("library/saved/", library.favourites, name="favourites"),
    path("library/new/", library.new_resource, name="resource_new"),
    path("library/reviews/", library.review_queue, name="review_queue"),
    path("library/<slug:slug>/", library.resource_detail, name="resource"),
    path("library/<slug:slug>/edit/", library.edit_resource, name="resource_edit"),
    path("library/<slug:slug>/favourite/", library.toggle_favourite, name="favourite"),
    path("library/<slug:slug>/review/", library.review_resource, name="review"),
    path("safety-plan/", safety_plan.plan, name="safety_plan"),
    path("safety-plan/step/<slug:step_key>/", safety_plan.edit_step, name="safety_plan_step"),
    path(
        "safety-plan/shares/<int:share_id>/revoke/",
        safety_plan.revoke_share,
        name="safety_plan_revoke",
    ),
    path("safety-plan/shared/<int:share_id>/", safety_plan.shared_plan, name="safety_plan_shared"),
]
