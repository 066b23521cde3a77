"""A job the database queue stored under a task's path from before the task moved still runs:
the schedule points it at the new path before the worker takes it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.care.booking.actions import relationship_for
from haven.care.booking.tasks import DAY, send_appointment_reminder_email
from haven.care.models import Appointment
from haven.jobs import schedule
from tests.care.conftest import make_therapist

pytestmark = pytest.mark.django_db


def test_every_moved_path_names_a_task_and_no_periodic_job_uses_an_old_one():
    for new in schedule.MOVED_TASKS.values():
        assert schedule.PeriodicJob(new).task.module_path == new
    assert not {job.task_path for job in schedule.PERIODIC_JOBS} & set(schedule.MOVED_TASKS)


# The worker closes its database connections between jobs, as in production: on PostgreSQL a
# test inside one transaction would lose it (like tests/jobs/test_reminders.py).
@pytest.mark.django_db(transaction=True)
def test_a_reminder_e_mail_queued_under_the_old_path_is_still_sent(alice, guidelines):
    alice.email = "alice@example.org"
    alice.save(update_fields=["email"])
    therapist = make_therapist("therapist_tess", guidelines)
    starts_at = timezone.now() + timedelta(days=1)
    appointment = Appointment.objects.create(
        therapist=therapist,
        member=alice,
        relationship=relationship_for(alice, therapist),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
    )
    send_appointment_reminder_email.enqueue(appointment.pk, DAY)
    DBTaskResult.objects.update(task_path="haven.care.tasks.send_appointment_reminder_email")
    call_command("worker", batch=True, interval=0)
    job = DBTaskResult.objects.get(task_path__endswith="send_appointment_reminder_email")
    assert job.task_path == "haven.care.booking.tasks.send_appointment_reminder_email"
    assert job.status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
