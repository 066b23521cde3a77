from django.urls import path

from haven.moderation import rules_views, trust_views, views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    # Trust levels (trust_views.py): the member's own page, and a site moderator's.
    path("trust/", trust_views.my_trust, name="my_trust"),
    path(
        "moderation/members/<str:pseudonym>/trust/", trust_views.member_trust, name="member_trust"
    ),
    path(
        "moderation/members/<str:pseudonym>/trust/lift/",
        trust_views.lift_trust_cap,
        name="lift_trust_cap",
    ),
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
    path("moderation/members/<str:pseudonym>/", views.member_history, name="member_history"),
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
    # Moderators' rules (watched words, community limits, slow mode): rules_views.py
    path("moderation/rules/", rules_views.rules_page, name="rules"),
    path("moderation/rules/try/", rules_views.rule_try, name="rules_try"),
    path("moderation/rules/<int:rule_id>/", rules_views.rule_edit, name="rule_edit"),
    path("moderation/rules/<int:rule_id>/delete/", rules_views.rule_delete, name="rule_delete"),
    path("c/<slug:slug>/moderation/rules/", rules_views.rules_page, name="community_rules"),
    path("c/<slug:slug>/moderation/rules/try/", rules_views.rule_try, name="community_rules_try"),
    path(
        "c/<slug:slug>/moderation/rules/<int:rule_id>/",
        rules_views.rule_edit,
        name="community_rule_edit",
    ),
    path(
        "c/<slug:slug>/moderation/rules/<int:rule_id>/delete/",
        rules_views.rule_delete,
        name="community_rule_delete",
    ),
    path("c/<slug:slug>/moderation/limits/", rules_views.community_limits, name="community_limits"),
    path(
        "moderation/threads/<str:thread_id>/slow-mode/",
        rules_views.thread_slow_mode,
        name="thread_slow_mode",
    ),
]
