"""Background jobs of therapists: telling them when a verified licence has expired."""

from django.tasks import task

from haven.care.therapists.actions import do_notify_expired_licences


@task()
def notify_expired_licences() -> int:
    return do_notify_expired_licences()
