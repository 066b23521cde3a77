"""Background jobs of live chat (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.chat import actions


@task()
def match_chat_requests() -> int:
    """Takes back offers that ran out or whose listener left, and offers waiting requests to
    available listeners. The queue's readers do the same lazily; this keeps it moving when
    nobody is looking."""
    return actions.match_waiting_requests()


@task()
def delete_old_chat_transcripts() -> int:
    """Messages of chats that ended HAVEN_CHAT_TRANSCRIPT_DAYS ago (daily)."""
    return actions.delete_old_chat_transcripts()
