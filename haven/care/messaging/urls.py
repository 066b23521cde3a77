from django.urls import path

from haven.care.messaging import views

urlpatterns = [
    path("care/messages/", views.thread_list, name="messages"),
    path("care/messages/<int:relationship_id>/", views.thread, name="message_thread"),
    path("care/appointments/<int:appointment_id>/note/", views.session_note, name="session_note"),
    path("care/record/", views.record, name="care_record"),
    path("care/handoffs/chat/<int:conversation_id>/", views.handoff_write, name="handoff_write"),
    path("care/handoffs/<int:handoff_id>/consent/", views.handoff_consent, name="handoff_consent"),
    path("care/handoffs/<int:handoff_id>/decline/", views.handoff_decline, name="handoff_decline"),
    # The address the safety plan page has always posted to.
    path(
        "safety-plan/share/therapist/<int:relationship_id>/",
        views.share_safety_plan,
        name="share_safety_plan",
    ),
]
