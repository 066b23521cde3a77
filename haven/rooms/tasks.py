"""Background jobs of support rooms (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.rooms import actions


@task()
def delete_old_room_transcripts() -> int:
    """Room talk is kept HAVEN_ROOM_TRANSCRIPT_DAYS days, then deleted (hourly)."""
    return actions.delete_old_transcripts()
