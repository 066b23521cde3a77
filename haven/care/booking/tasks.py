"""Background jobs of professional care: session reminders the day before and an hour before.

Each reminder is sent once: a conditional UPDATE sets day_reminder_sent_at (or
hour_reminder_sent_at) only while it is still empty and the session still booked, in the same
transaction as the notifications. Two workers running the job at once, or one job run twice,
find the field already set and send nothing more; a cancelled session gets no reminder.
The e-mail goes out in a job of its own, enqueued in that transaction (on the database queue it
exists exactly when the reminder does); like the check-in reminder's e-mail it is sent at least
once: a worker killed between the send and the job's end may send it again.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from haven.accounts.zones import member_zone
from haven.care.booking.actions import when_unlocked
from haven.care.booking.queries import appointment_link
from haven.care.booking.slots import describe_when_translated, zone_of
from haven.care.models import Appointment
from haven.core.language import in_language_of
from haven.notifications.actions import do_notify_care

logger = logging.getLogger(__name__)

DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
DAY, HOUR = "day", "hour"
SENT_AT = {DAY: "day_reminder_sent_at", HOUR: "hour_reminder_sent_at"}
EMAIL_SUBJECT = gettext_lazy("A reminder of your session")


def due_reminders(now: datetime) -> list[tuple[int, str]]:
    """(appointment id, "day" or "hour") for every booked session whose reminder is due.

    The day-before reminder is due from 24 hours before until an hour before, and only for
    sessions booked at least a day ahead (someone who just booked needs no "see you tomorrow").
    The hour-before one is due in the last hour. A day reminder missed while no worker ran is
    dropped once the hour reminder is due, so nobody gets both at once."""
    booked = Appointment.objects.filter(
        status=Appointment.Status.BOOKED, starts_at__gt=now, starts_at__lte=now + DAY_BEFORE
    )
    day = booked.filter(
        day_reminder_sent_at__isnull=True,
        starts_at__gt=now + HOUR_BEFORE,
        created_at__lte=F("starts_at") - DAY_BEFORE,
    ).values_list("pk", flat=True)
    hour = booked.filter(
        hour_reminder_sent_at__isnull=True, starts_at__lte=now + HOUR_BEFORE
    ).values_list("pk", flat=True)
    return [(pk, DAY) for pk in day] + [(pk, HOUR) for pk in hour]


def _messages(appointment: Appointment, kind: str) -> tuple[str, str]:
    """(to the member, to the therapist), each in the reader's own language and time zone. They
    name the other person and the time, nothing more."""

    therapist = appointment.therapist
    with in_language_of(appointment.member):
        words = {
            "therapist": therapist.professional_name,
            "when": describe_when_translated(
                appointment.starts_at, member_zone(appointment.member)
            ),
        }
        to_member = (
            gettext("A reminder: your session with %(therapist)s is on %(when)s.")
            if kind == DAY
            else gettext("Your session with %(therapist)s starts within the hour: %(when)s.")
        ) % words
    with in_language_of(therapist.user):
        words = {
            "member": appointment.member.pseudonym,
            "when": describe_when_translated(appointment.starts_at, zone_of(therapist.time_zone)),
        }
        to_therapist = (
            gettext("A reminder: you have a session with %(member)s on %(when)s.")
            if kind == DAY
            else gettext("Your session with %(member)s starts within the hour: %(when)s.")
        ) % words
    return to_member, to_therapist


def do_send_appointment_reminder(appointment_id: int, kind: str, now: datetime) -> bool:
    """Send one reminder of one session. False when it was already sent, or the session is no
    longer booked."""
    return when_unlocked(lambda: _send_reminder(appointment_id, kind, now))


def _send_reminder(appointment_id: int, kind: str, now: datetime) -> bool:
    field = SENT_AT[kind]
    with transaction.atomic():
        # The conditional UPDATE is the claim: of two workers, exactly one changes the row (on
        # PostgreSQL the second waits for the first's commit, then finds the field set).
        claimed = Appointment.objects.filter(
            pk=appointment_id, status=Appointment.Status.BOOKED, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if not claimed:
            return False
        appointment = Appointment.objects.select_related("therapist", "member").get(
            pk=appointment_id
        )
        to_member, to_therapist = _messages(appointment, kind)
        link = appointment_link(appointment)
        do_notify_care(appointment.member_id, to_member, link)
        do_notify_care(appointment.therapist.user_id, to_therapist, link)
        if appointment.member.email:
            send_appointment_reminder_email.enqueue(appointment_id, kind)
    return True


def do_send_appointment_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(do_send_appointment_reminder(pk, kind, now) for pk, kind in due_reminders(now))


def do_email_appointment_reminder(appointment_id: int, kind: str) -> bool:
    """The member's e-mail for one reminder. Discreet: no therapist's name, no reason, just the
    time and a link; nothing for a session cancelled since."""

    appointment = (
        Appointment.objects.select_related("member")
        .filter(pk=appointment_id, status=Appointment.Status.BOOKED, starts_at__gt=timezone.now())
        .first()
    )
    if appointment is None or not appointment.member.email:
        return False
    link = settings.HAVEN_SITE_URL.rstrip("/") + appointment_link(appointment)
    # A background job: the member's saved language, else the site's.
    with translation.override(appointment.member.language or settings.LANGUAGE_CODE):
        when = describe_when_translated(appointment.starts_at, member_zone(appointment.member))
        if kind == HOUR:
            opening = gettext("Your session starts within the hour: %(when)s.")
        else:
            opening = gettext("Your session is coming up: %(when)s.")
        body = "\n\n".join(
            [
                gettext("Hello %(pseudonym)s,") % {"pseudonym": appointment.member.pseudonym},
                opening % {"when": when} + "\n" + link,
                gettext(
                    "You get this e-mail because you booked a session on Haven and gave an "
                    "e-mail address."
                ),
            ]
        )
        send_mail(str(EMAIL_SUBJECT), body, None, [appointment.member.email])
    return True


@task()
def send_appointment_reminders() -> int:
    """Periodic (haven.jobs.schedule): the day-before and hour-before reminders now due."""
    return do_send_appointment_reminders()


@task()
def send_appointment_reminder_email(appointment_id: int, kind: str) -> bool:
    return do_email_appointment_reminder(appointment_id, kind)
