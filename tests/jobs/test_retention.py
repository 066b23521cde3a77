"""Retention: each periodic job deletes what is past its setting and keeps the rest, including
what an open moderation item still needs."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.accounts.models import Role
from haven.accounts.tasks import prune_login_records
from haven.chat.models import ChatMessage, Conversation, ListenerProfile
from haven.chat.tasks import delete_old_chat_transcripts
from haven.jobs.schedule import PERIODIC_JOBS
from haven.jobs.tasks import prune_finished_jobs
from haven.moderation.actions import record_audit
from haven.moderation.models import AuditEntry, QueueItem, QueueKind
from haven.moderation.tasks import prune_old_audit_entries
from tests.conftest import make_member

RETENTION_JOBS = [
    "haven.chat.tasks.delete_old_chat_transcripts",
    "haven.moderation.tasks.prune_old_audit_entries",
    "haven.accounts.tasks.prune_login_records",
    "haven.jobs.tasks.prune_finished_jobs",
    "haven.rooms.tasks.delete_old_room_transcripts",
]


def test_every_retention_job_is_on_the_schedule():
    scheduled = {job.task_path for job in PERIODIC_JOBS}
    assert set(RETENTION_JOBS) <= scheduled


def chat_with_messages(seeker, listener, *, ended_days_ago: int | None) -> Conversation:
    conversation = Conversation.objects.create(seeker=seeker, listener=listener)
    for n in range(2):
        ChatMessage.objects.create(
            conversation=conversation, sender=seeker, client_id=f"c{n}", body=f"message {n}"
        )
    if ended_days_ago is not None:
        conversation.status = Conversation.Status.ENDED
        conversation.ended_at = timezone.now() - timedelta(days=ended_days_ago)
        conversation.save()
    return conversation


@pytest.mark.django_db
def test_chat_messages_go_after_the_chat_ended_long_enough_ago_unless_a_report_needs_them(
    alice, guidelines, settings
):
    settings.HAVEN_CHAT_TRANSCRIPT_DAYS = 90
    listener = make_member("retention_listener", guidelines, role=Role.LISTENER)
    ListenerProfile.objects.create(user=listener, status=ListenerProfile.Status.LISTENER)
    old = chat_with_messages(alice, listener, ended_days_ago=91)
    reported = chat_with_messages(alice, listener, ended_days_ago=200)
    recent = chat_with_messages(alice, listener, ended_days_ago=10)
    ongoing = chat_with_messages(alice, listener, ended_days_ago=None)
    ongoing.started_at = timezone.now() - timedelta(days=400)  # long, but not ended
    ongoing.save()
    QueueItem.objects.create(kind=QueueKind.REPORTED, conversation=reported)

    assert delete_old_chat_transcripts.call() == 2
    remaining = set(ChatMessage.objects.values_list("conversation_id", flat=True))
    assert remaining == {reported.pk, recent.pk, ongoing.pk}
    assert Conversation.objects.filter(pk=old.pk).exists()  # the record that a chat happened

    QueueItem.objects.filter(conversation=reported).update(status=QueueItem.Status.RESOLVED)
    assert delete_old_chat_transcripts.call() == 2


@pytest.mark.django_db
def test_audit_entries_past_the_legal_minimum_go(alice, settings):
    settings.HAVEN_AUDIT_KEEP_DAYS = 365
    old = record_audit(alice, "remove_post", target_kind="post", target_id=1)
    kept = record_audit(alice, "remove_post", target_kind="post", target_id=2)
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    AuditEntry.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=364))
    assert prune_old_audit_entries.call() == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_sign_in_records_and_expired_sessions_go(settings):
    settings.HAVEN_LOGIN_RECORD_DAYS = 30
    now = timezone.now()
    for days, name in ((31, "old"), (1, "recent")):
        attempt = AccessAttempt.objects.create(
            username=name, ip_address="192.0.2.1", user_agent="test", failures_since_start=1,
            get_data="", post_data="",
        )  # fmt: skip
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(days=days))
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=now)

    assert prune_login_records.call() == 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_finished_jobs_are_kept_for_the_set_number_of_days(settings):
    settings.HAVEN_JOB_RESULT_DAYS = 3
    now = timezone.now()
    rows = []
    for days in (4, 2):
        row = DBTaskResult.objects.create(
            status="SUCCESSFUL", task_path="haven.jobs.tasks.prune_finished_jobs",
            args_kwargs={"args": [], "kwargs": {}}, queue_name="default", backend_name="default",
            run_after=None, finished_at=now - timedelta(days=days),
        )  # fmt: skip
        rows.append(row)
    assert prune_finished_jobs.call() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [rows[1].pk]
