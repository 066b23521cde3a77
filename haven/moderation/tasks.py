"""Background jobs of moderation (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.moderation.actions import prune_old_audit_entries as prune_audit
from haven.moderation.trust import do_recompute_trust_levels


@task()
def recompute_trust_levels() -> int:
    """Raise members whose time here, reading, kindness received and record now meet a higher
    trust level (never lowers anyone), and clear caps that ran out."""
    return do_recompute_trust_levels()


@task()
def prune_old_audit_entries() -> int:
    """Audit entries older than HAVEN_AUDIT_KEEP_DAYS (daily)."""
    return prune_audit()
