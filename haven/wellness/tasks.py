"""Background jobs of the wellness tools (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.wellness import reminders


@task()
def send_due_reminders() -> int:
    return reminders.do_send_due_reminders()


@task()
def send_reminder_email(delivery_id: int) -> bool:
    return reminders.do_email_reminder(delivery_id)
