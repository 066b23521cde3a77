from django.urls import path

from haven.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/items/<int:item_id>/", views.item_detail, name="item"),
    path("moderation/items/<int:item_id>/check-in/", views.start_check_in, name="start_check_in"),
    path(
        "moderation/items/<int:item_id>/crisis-lines/",
        views.send_crisis_lines,
        name="send_crisis_lines",
    ),
    path("moderation/items/<int:item_id>/reply/", views.reply_as_moderator, name="reply"),
    path("moderation/items/<int:item_id>/outcome/", views.record_outcome, name="outcome"),
    path("check-ins/", views.check_ins, name="check_ins"),
    path("check-ins/<int:check_in_id>/", views.check_in_thread, name="check_in"),
    path("moderation/duty/", views.toggle_duty, name="duty"),
    path("moderation/audit/", views.audit_log, name="audit"),
    path("report/post/<str:post_id>/", views.report_post, name="report_post"),
    path("report/update/<str:update_id>/", views.report_update, name="report_update"),
    path(
        "report/update-reply/<str:reply_id>/",
        views.report_update_reply,
        name="report_update_reply",
    ),
    path("report/member/<str:pseudonym>/", views.report_member, name="report_member"),
    path("appeal/post/<str:post_id>/", views.appeal_post, name="appeal_post"),
    path("appeal/update/<str:update_id>/", views.appeal_update, name="appeal_update"),
    path("nudge/dismiss/", views.dismiss_nudge, name="dismiss_nudge"),
]
