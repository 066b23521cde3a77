"""The daily check-in reminder: due in the member's own time zone, sent by the worker, once a
day however often the job runs."""

from datetime import UTC, datetime, time

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from haven.jobs import schedule
from haven.jobs.models import WorkerHeartbeat
from haven.notifications.models import Notification
from haven.wellness import reminders
from haven.wellness.checkins import do_check_in
from haven.wellness.models import ReminderDelivery, WellnessSettings


def remind(member, *, at: str = "20:00", zone: str = "UTC", email: bool = False):
    return WellnessSettings.objects.update_or_create(
        member=member,
        defaults={
            "reminder_enabled": True,
            "reminder_time": time.fromisoformat(at),
            "time_zone": zone,
            "reminder_email": email,
        },
    )[0]


def reminders_of(member) -> int:
    return Notification.objects.filter(recipient=member, kind=Notification.Kind.REMINDER).count()


def test_a_reminder_is_due_after_its_local_time_in_the_members_own_zone(alice, bob):
    remind(alice, at="20:00", zone="Pacific/Auckland")  # UTC+13 in November
    remind(bob, at="20:00", zone="America/Los_Angeles")  # UTC-8
    # 08:00 UTC is 21:00 in Auckland (due) and 00:00 in Los Angeles (not yet).
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    due = reminders.due_reminders(now)
    assert due == [(alice.pk, datetime(2026, 11, 25, 21, 0).date())]


def test_sending_twice_in_a_day_reminds_once_and_a_new_day_reminds_again(alice):
    remind(alice, at="07:00")
    morning = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    assert reminders.do_send_due_reminders(morning) == 1
    assert reminders.do_send_due_reminders(morning) == 0
    assert reminders.do_send_due_reminders(datetime(2026, 11, 25, 23, 0, tzinfo=UTC)) == 0
    assert reminders_of(alice) == 1
    assert reminders.do_send_due_reminders(datetime(2026, 11, 26, 7, 1, tzinfo=UTC)) == 1
    assert reminders_of(alice) == 2
    assert ReminderDelivery.objects.filter(member=alice).count() == 2


def test_no_reminder_for_members_who_checked_in_today_or_turned_it_off(alice, bob, carol):
    remind(alice, at="00:00")
    remind(bob, at="00:00")
    WellnessSettings.objects.create(member=carol, reminder_enabled=False)
    do_check_in(mood=6, feelings=[], sleep_hours=None, note="", acting_user=alice)
    sent = reminders.do_send_due_reminders()
    assert sent == 1
    assert (reminders_of(alice), reminders_of(bob), reminders_of(carol)) == (0, 1, 0)


def test_the_reminder_notification_leads_to_the_check_in(alice, alice_client):
    remind(alice, at="00:00")
    reminders.do_send_due_reminders()
    page = alice_client.get("/notifications/").content.decode()
    assert reminders.REMINDER_MESSAGE in page
    assert 'href="/wellness/check-in/"' in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_reminders_and_their_email_exactly_once(alice, bob, settings):
    """Through the real queue and worker: the schedule enqueues the job, the worker runs it and
    the e-mail job it enqueues; a second run finds nothing to do."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    remind(alice, at="00:00", email=True)
    remind(bob, at="00:00", email=True)  # no address: in-app only
    call_command("worker", batch=True, interval=0)
    call_command("worker", batch=True, interval=0)
    assert (reminders_of(alice), reminders_of(bob)) == (1, 1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "/wellness/check-in/" in mail.outbox[0].body
    assert ReminderDelivery.objects.get(member=alice).emailed_at is not None
    paths = list(DBTaskResult.objects.values_list("task_path", "status"))
    assert ("haven.wellness.tasks.send_due_reminders", "SUCCESSFUL") in paths
    assert ("haven.wellness.tasks.send_reminder_email", "SUCCESSFUL") in paths
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops says so


def test_the_email_job_is_idempotent(alice, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    remind(alice, at="00:00", email=True)
    reminders.do_send_due_reminders()
    delivery = ReminderDelivery.objects.get(member=alice)
    assert reminders.do_email_reminder(delivery.pk) is True
    assert reminders.do_email_reminder(delivery.pk) is False
    assert len(mail.outbox) == 1


def test_the_schedule_does_not_pile_up_jobs(db):
    jobs = len(schedule.PERIODIC_JOBS)
    assert jobs >= 3  # reminders, housekeeping, and the care jobs
    assert schedule.enqueue_periodic_jobs() == jobs
    assert schedule.enqueue_periodic_jobs() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == jobs


def test_housekeeping_runs_at_most_every_few_hours_and_prunes_old_finished_jobs(db):
    from datetime import timedelta

    from django.utils import timezone

    from haven.jobs.tasks import prune_finished_jobs

    schedule.enqueue_periodic_jobs()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    # Only the jobs that run on every tick: housekeeping and the hourly jobs ran lately.
    every_tick = [job for job in schedule.PERIODIC_JOBS if not job.every_seconds]
    assert schedule.enqueue_periodic_jobs() == len(every_tick)
    old = DBTaskResult.objects.filter(task_path__endswith="send_due_reminders").first()
    old.finished_at = timezone.now() - timedelta(days=8)
    old.save()
    assert prune_finished_jobs.call() == 1
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


def test_a_job_left_running_by_a_dead_worker_is_put_back(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.HAVEN_WORKER_DEAD_SECONDS = 30
    schedule.enqueue_periodic_jobs()
    job = DBTaskResult.objects.get(task_path__endswith="send_due_reminders")
    DBTaskResult.objects.exclude(pk=job.pk).delete()
    job.claim("gone-worker")
    schedule.beat("live-worker")
    WorkerHeartbeat.objects.create(
        worker_id="gone-worker", last_seen_at=timezone.now() - timedelta(minutes=5)
    )
    other = DBTaskResult.objects.create(
        task_path=job.task_path, args_kwargs=job.args_kwargs, queue_name="default",
        backend_name="default", run_after=timezone.now(), status="RUNNING",
        started_at=timezone.now(), worker_ids=["live-worker"],
    )  # fmt: skip
    assert schedule.recover_orphaned_jobs() == 1
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.status == "READY"  # its worker is dead
    assert other.status == "RUNNING"  # its worker is alive and within time
    assert not WorkerHeartbeat.objects.filter(worker_id="gone-worker").exists()


def test_an_email_lost_with_its_job_is_enqueued_again_and_sent_once(alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    alice.email = "alice@example.org"
    alice.save()
    remind(alice, at="00:00", email=True)
    reminders.do_send_due_reminders()
    DBTaskResult.objects.all().delete()  # the e-mail job is lost
    later = timezone.now() + timedelta(minutes=reminders.EMAIL_RETRY_MINUTES + 1)
    assert reminders.requeue_unsent_emails(later) == 1
    job = DBTaskResult.objects.get(task_path="haven.wellness.tasks.send_reminder_email")
    job.task_result.task.call(*job.task_result.args)
    assert reminders.requeue_unsent_emails(later) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_reaches_apps_through_the_api(alice, alice_client):
    remind(alice, at="00:00")
    reminders.do_send_due_reminders()
    items = alice_client.get("/api/notifications").json()["items"]
    assert [(n["kind"], n["text"]) for n in items] == [("reminder", reminders.REMINDER_MESSAGE)]
