"""The optional daily check-in reminder. Sent by a background job, never in a request.

Exactly once per member and local day: the ReminderDelivery row (unique per member and day) is
written in the same transaction as the notification, so a job that runs twice, or is killed
half-way and run again, sends nobody a second reminder.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from haven.notifications.actions import do_notify_reminder
from haven.wellness.models import MoodCheckIn, ReminderDelivery, WellnessSettings

logger = logging.getLogger(__name__)

# The notification is stored in English (written by a job, for someone whose language is not
# active); the e-mail goes out in the member's saved language.
REMINDER_MESSAGE = gettext_noop("How are you feeling today? A check-in takes ten seconds.")
EMAIL_SUBJECT = gettext_noop("A gentle check-in reminder")
# An e-mail not sent this long after its reminder is taken for lost and enqueued again.
EMAIL_RETRY_MINUTES = 15


def due_reminders(now: datetime) -> list[tuple[int, object]]:
    """(member id, local date) for every member whose reminder time has passed today in their
    own time zone and who has neither had today's reminder nor checked in today."""
    due = []
    rows = WellnessSettings.objects.filter(reminder_enabled=True, member__is_active=True)
    for row in rows.iterator():
        local_now = now.astimezone(row.zone)
        if local_now.time() >= row.reminder_time:
            due.append((row.member_id, local_now.date()))
    if not due:
        return []
    member_ids = [member_id for member_id, _ in due]
    done = set(
        ReminderDelivery.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "local_date"
        )
    ) | set(MoodCheckIn.objects.filter(member_id__in=member_ids).values_list(
        "member_id", "local_date"
    ))  # fmt: skip
    return [(member_id, day) for member_id, day in due if (member_id, day) not in done]


def do_send_reminder(member_id: int, local_date) -> bool:
    """Remind one member for one local day. False when it was already sent."""
    from haven.wellness.tasks import send_reminder_email  # tasks import this module

    try:
        with transaction.atomic():
            delivery = ReminderDelivery.objects.create(member_id=member_id, local_date=local_date)
            do_notify_reminder(member_id, REMINDER_MESSAGE)
            wants_email = WellnessSettings.objects.filter(
                member_id=member_id, reminder_email=True
            ).exclude(member__email="")
            if wants_email.exists():
                # In the same transaction on the database queue: the e-mail job exists exactly
                # when the delivery does.
                send_reminder_email.enqueue(delivery.pk)
    except IntegrityError:
        return False
    return True


def do_send_due_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for member_id, local_date in due_reminders(now):
        sent += do_send_reminder(member_id, local_date)
    requeue_unsent_emails(now)
    return sent


def requeue_unsent_emails(now: datetime) -> int:
    """E-mail jobs lost with a worker (RQ marks them failed; none are lost on the database
    queue, but this costs nothing there) are enqueued again; sending stays once only."""
    from haven.wellness.tasks import send_reminder_email  # tasks import this module

    unsent = ReminderDelivery.objects.filter(
        emailed_at__isnull=True,
        created_at__lt=now - timedelta(minutes=EMAIL_RETRY_MINUTES),
        created_at__gte=now - timedelta(days=1),
        member__wellness_settings__reminder_email=True,
    ).exclude(member__email="")
    ids = list(unsent.values_list("pk", flat=True))
    for delivery_id in ids:
        send_reminder_email.enqueue(delivery_id)
    return len(ids)


def do_email_reminder(delivery_id: int) -> bool:
    """Send the e-mail for one delivery, once: the row lock and emailed_at make a rerun a no-op.
    (A worker killed between the send and the commit sends again: at least once, never lost.)"""
    with transaction.atomic():
        delivery = (
            ReminderDelivery.objects.select_for_update()
            .select_related("member")
            .filter(pk=delivery_id, emailed_at__isnull=True)
            .first()
        )
        if delivery is None or not delivery.member.email:
            return False
        check_in_url = settings.HAVEN_SITE_URL.rstrip("/") + reverse("wellness:check_in")
        with translation.override(delivery.member.language or settings.LANGUAGE_CODE):
            body = "\n\n".join(
                [
                    gettext("Hello %(pseudonym)s,") % {"pseudonym": delivery.member.pseudonym},
                    gettext(REMINDER_MESSAGE) + "\n" + check_in_url,
                    gettext(
                        "You asked Haven for this reminder. You can switch it off in your "
                        "wellness settings."
                    ),
                ]
            )
            send_mail(gettext(EMAIL_SUBJECT), body, None, [delivery.member.email])
        delivery.emailed_at = timezone.now()
        delivery.save(update_fields=["emailed_at"])
    return True
