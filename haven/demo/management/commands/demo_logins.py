"""Print the demo community's logins, one per role, with a note where the role asks for an
authenticator app. `scripts/serve` runs it once the worker has started, so it is the last thing
a new host reads before the site answers; it prints nothing where no demo data was loaded."""

from django.core.management.base import BaseCommand

from haven.accounts.models import User
from haven.accounts.two_factor import requires_two_factor
from haven.demo.management.commands.load_demo_data import DEMO_PASSWORD

# The first demo account of each kind, in the order a visitor would try them.
DEMO_LOGINS = (
    ("demo", "a member"),
    ("LanternKeeper", "a trained listener"),
    ("QuietHarbor", "a moderator"),
    ("therapist_amara", "a licensed therapist"),
    ("haven_admin", "the site's admin (also /admin/)"),
)


class Command(BaseCommand):
    help = "Print the demo logins (one per role), if the demo community is loaded."

    def handle(self, *args, **options) -> None:
        users = {u.pseudonym: u for u in User.objects.filter(pseudonym__in=dict(DEMO_LOGINS))}
        if "demo" not in users:
            return
        lines = ["", f"Demo logins (password for each: {DEMO_PASSWORD}):"]
        for pseudonym, role in DEMO_LOGINS:
            user = users.get(pseudonym)
            if user is None:
                continue
            note = (
                "  (asks for an authenticator app, such as Aegis or Google Authenticator, "
                "at first login)"
                if requires_two_factor(user)
                else ""
            )
            lines.append(f"  {pseudonym:<17} {role}{note}")
        self.stdout.write("\n".join([*lines, ""]))
