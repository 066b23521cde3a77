"""`haven recompute_trust`: the trust level job, now (after changing HAVEN_TRUST_REQUIREMENTS,
or on a site without the worker running)."""

from django.core.management.base import BaseCommand

from haven.moderation.trust import do_recompute_trust_levels


class Command(BaseCommand):
    help = "Raise members' trust levels their record now earns (never lowers anyone)."

    def handle(self, *args, **options) -> None:
        raised = do_recompute_trust_levels()
        self.stdout.write(self.style.SUCCESS(f"Trust levels recomputed: {raised} raised."))
