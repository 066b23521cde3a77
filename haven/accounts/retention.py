"""Sign-in records kept no longer than HAVEN_LOGIN_RECORD_DAYS."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def do_prune_login_records(now=None) -> int:
    """Delete expired sessions and django-axes' sign-in records (each holds an address) older
    than HAVEN_LOGIN_RECORD_DAYS. The device-signal job already drops axes' records past their
    cool-off; this is the upper bound whatever the cool-off is. Returns how many rows went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HAVEN_LOGIN_RECORD_DAYS)
    deleted = Session.objects.filter(expire_date__lt=now).delete()[0]
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        deleted += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted
