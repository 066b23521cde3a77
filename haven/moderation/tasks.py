"""Background jobs of moderation (Django's tasks framework; see haven.jobs)."""

from django.tasks import task

from haven.moderation.trust import do_recompute_trust_levels


@task()
def recompute_trust_levels() -> int:
    """Raise members whose time here, reading, kindness received and record now meet a higher
    trust level (never lowers anyone), and clear caps that ran out."""
    return do_recompute_trust_levels()
