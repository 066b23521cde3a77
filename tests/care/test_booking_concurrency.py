"""Two people booking the same slot at the same moment: exactly one session, and a plain "this
time was just taken" for the other; two workers sending the same reminder: one reminder. Real
threads, each with its own database connection, on SQLite and on PostgreSQL (DATABASE_URL)."""

import threading
from collections import Counter
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.care.booking import actions, tasks
from haven.care.booking.actions import JUST_TAKEN, SlotTaken, do_book, relationship_for
from haven.care.booking.queries import free_slots
from haven.care.models import Appointment, WeeklyAvailability
from haven.notifications.models import Notification
from tests.care.conftest import make_therapist
from tests.conftest import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def race(attempts: list, barrier: threading.Barrier) -> list:
    """Run each attempt in its own thread, all released at once; their results in order."""
    results: list = [None] * len(attempts)

    def run(index: int, attempt) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = attempt()
        except Exception as error:  # the test looks at what each thread got
            results[index] = error
        finally:
            connections.close_all()  # each thread had a connection of its own

    threads = [
        threading.Thread(target=run, args=(index, attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def two_members_and_a_slot(guidelines):
    therapist = make_therapist("therapist_tess", guidelines, hours=None)
    # Every day, so the test does not depend on the day of the week it runs.
    for weekday in range(7):
        WeeklyAvailability.objects.create(
            therapist=therapist, weekday=weekday, start_time=time(0), end_time=time(23, 59)
        )
    alice = make_member("alice", guidelines)
    bob = make_member("bob", guidelines)
    return therapist, alice, bob, free_slots(therapist, days=3)[0]


def assert_one_booked_one_taken(results: list, slot) -> None:
    booked = [r for r in results if isinstance(r, Appointment)]
    taken = [r for r in results if isinstance(r, SlotTaken)]
    assert len(booked) == 1 and len(taken) == 1, results
    assert str(taken[0]) == JUST_TAKEN == "This time was just taken. Please choose another."
    rows = Appointment.objects.filter(status=Appointment.Status.BOOKED)
    assert list(rows.values_list("starts_at", flat=True)) == [slot.starts_at]
    assert rows.get().member_id == booked[0].member_id


def test_two_threads_booking_the_same_slot_make_one_appointment_and_one_just_taken(guidelines):
    therapist, alice, bob, slot = two_members_and_a_slot(guidelines)
    results = race(
        [
            lambda: do_book(member=alice, therapist=therapist, starts_at=slot.starts_at),
            lambda: do_book(member=bob, therapist=therapist, starts_at=slot.starts_at),
        ],
        threading.Barrier(2),
    )
    assert_one_booked_one_taken(results, slot)


def test_the_recheck_inside_the_transaction_catches_a_booking_that_passed_the_precheck(
    guidelines, monkeypatch
):
    """Both threads are held until both have passed the check outside the transaction, so the
    lock and the re-check inside it are what decide."""
    therapist, alice, bob, slot = two_members_and_a_slot(guidelines)
    both_checked = threading.Barrier(2)
    checked = actions.refuse_unless_offered
    waited = threading.local()

    def check_then_wait(*args, **kwargs):
        checked(*args, **kwargs)
        # Only a thread's first attempt waits: on SQLite an attempt told "locked" runs again.
        if not getattr(waited, "once", False):
            waited.once = True
            both_checked.wait(timeout=10)

    monkeypatch.setattr(actions, "refuse_unless_offered", check_then_wait)
    results = race(
        [
            lambda: do_book(member=alice, therapist=therapist, starts_at=slot.starts_at),
            lambda: do_book(member=bob, therapist=therapist, starts_at=slot.starts_at),
        ],
        threading.Barrier(2),
    )
    assert_one_booked_one_taken(results, slot)


def test_many_members_racing_for_two_slots_get_exactly_two_sessions(guidelines):
    therapist, _, _, _ = two_members_and_a_slot(guidelines)
    first, second = free_slots(therapist, days=3)[:2]
    members = [make_member(f"member{n}", guidelines) for n in range(8)]
    results = race(
        [
            lambda m=member, n=n: do_book(
                member=m, therapist=therapist, starts_at=(first, second)[n % 2].starts_at
            )
            for n, member in enumerate(members)
        ],
        threading.Barrier(len(members)),
    )
    assert sum(isinstance(r, Appointment) for r in results) == 2, results
    assert sum(isinstance(r, SlotTaken) for r in results) == 6, results
    starts = sorted(Appointment.objects.values_list("starts_at", flat=True))
    assert starts == [first.starts_at, second.starts_at]


def test_postgresql_refuses_an_overlapping_booked_appointment_inserted_directly(guidelines):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no exclusion constraints: there the booking transaction (IMMEDIATE) "
            "and the re-check are the guard; run with DATABASE_URL=postgres://… to check it."
        )
    therapist, alice, bob, slot = two_members_and_a_slot(guidelines)
    first = do_book(member=alice, therapist=therapist, starts_at=slot.starts_at)
    overlapping = {
        "therapist": therapist,
        "member": bob,
        "relationship": relationship_for(bob, therapist),
        "starts_at": first.starts_at + timedelta(minutes=20),
        "ends_at": first.ends_at + timedelta(minutes=20),
        "format": "video",
    }
    with pytest.raises(IntegrityError, match=actions.NO_DOUBLE_BOOKING), transaction.atomic():
        Appointment.objects.create(**overlapping)
    # A cancelled appointment does not count, nor does one that only touches the end.
    Appointment.objects.create(**overlapping, status=Appointment.Status.CANCELLED)
    Appointment.objects.create(
        **{
            **overlapping,
            "starts_at": first.ends_at,
            "ends_at": first.ends_at + timedelta(minutes=50),
        }
    )
    assert Appointment.objects.filter(status=Appointment.Status.BOOKED).count() == 2


def an_appointment_in(therapist, member, delta: timedelta, **fields) -> Appointment:
    starts_at = (timezone.now() + delta).replace(second=0, microsecond=0)
    return Appointment.objects.create(
        therapist=therapist,
        member=member,
        relationship=relationship_for(member, therapist),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
        format="video",
        **fields,
    )


def reminders_to(user) -> int:
    return Notification.objects.filter(recipient=user, kind=Notification.Kind.CARE).count()


def test_two_workers_sending_the_same_reminder_at_once_send_it_once(guidelines):
    therapist, alice, _, _ = two_members_and_a_slot(guidelines)
    appointment = an_appointment_in(therapist, alice, timedelta(minutes=40))
    now = timezone.now()
    results = race(
        [lambda: tasks.do_send_appointment_reminder(appointment.pk, tasks.HOUR, now)] * 4,
        threading.Barrier(4),
    )
    assert sorted(results, key=str) == [False, False, False, True], results
    assert (reminders_to(alice), reminders_to(therapist.user)) == (1, 1)


def test_the_reminder_job_run_twice_by_the_worker_reminds_once_and_emails_once(
    guidelines, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    therapist, alice, bob, _ = two_members_and_a_slot(guidelines)
    alice.email = "alice@example.org"
    alice.save()
    soon = an_appointment_in(therapist, alice, timedelta(minutes=40))
    an_appointment_in(therapist, bob, timedelta(minutes=30), status=Appointment.Status.CANCELLED)
    tasks.send_appointment_reminders.enqueue()
    tasks.send_appointment_reminders.enqueue()  # as if the schedule had enqueued it twice
    call_command("worker", batch=True, interval=0)
    call_command("worker", batch=True, interval=0)
    assert (reminders_to(alice), reminders_to(therapist.user), reminders_to(bob)) == (1, 1, 0)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    soon.refresh_from_db()
    assert soon.hour_reminder_sent_at is not None
    ran = list(
        DBTaskResult.objects.filter(task_path__startswith="haven.care.booking.tasks.").values_list(
            "task_path", "status"
        )
    )
    assert {status for _, status in ran} == {"SUCCESSFUL"}
    runs = Counter(path for path, _ in ran)
    # Twice or more (the schedule may enqueue it too), yet one e-mail job.
    assert runs["haven.care.booking.tasks.send_appointment_reminders"] >= 2
    assert runs["haven.care.booking.tasks.send_appointment_reminder_email"] == 1
