"""Background jobs of sharing circles (Django's tasks framework; see haven.jobs). Both run on
every tick of the schedule; both are idempotent (haven.rooms.circles says how)."""

from django.tasks import task

from haven.rooms import circles


@task()
def send_circle_reminders() -> int:
    return circles.do_send_circle_reminders()


@task()
def open_and_close_circle_rooms() -> int:
    """Opens the rooms of circles about to start and closes those of circles that ended."""
    return circles.do_open_due_circles() + circles.do_close_finished_circles()
