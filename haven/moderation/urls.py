from django.urls import path

from haven.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/items/<int:item_id>/", views.item_detail, name="item"),
    path("moderation/duty/", views.toggle_duty, name="duty"),
    path("moderation/audit/", views.audit_log, name="audit"),
    path("report/post/<str:post_id>/", views.report_post, name="report_post"),
    path("report/update/<str:update_id>/", views.report_update, name="report_update"),
    path("report/member/<str:pseudonym>/", views.report_member, name="report_member"),
    path("appeal/post/<str:post_id>/", views.appeal_post, name="appeal_post"),
    path("appeal/update/<str:update_id>/", views.appeal_update, name="appeal_update"),
    path("nudge/dismiss/", views.dismiss_nudge, name="dismiss_nudge"),
]
