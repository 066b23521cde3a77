"""Adds a big community's history for measuring pages at scale: 20,000 threads, 200,000 replies
(one thread of 1,000), 5,000 members and 2,000 notifications by default (haven.demo.scale).

For a test or bench database only: it refuses a database with more members than the demo's
(DEMO_SIZED, scale members left out), which is a community's own, unless --force.
"""

from django.core.management.base import BaseCommand, CommandError

from haven.accounts.models import User
from haven.demo.scale import SCALE_PREFIX, seed_scale

DEMO_SIZED = 100  # the demo has about 30 members


class Command(BaseCommand):
    help = "Bulk-inserts a big community's history (threads, replies, members) to measure pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--threads", type=int, default=20_000)
        parser.add_argument("--replies", type=int, default=200_000)
        parser.add_argument("--members", type=int, default=5_000)
        parser.add_argument(
            "--viewer", default="demo", help="the member whose communities and notifications fill"
        )
        parser.add_argument("--force", action="store_true", help="seed a database with members")
        parser.add_argument(
            "--vectors", action="store_true", help="also each post's vector, for hybrid search"
        )

    def handle(self, *args, threads: int, replies: int, members: int, viewer: str, force: bool,
               vectors: bool, **options) -> None:  # fmt: skip
        try:
            member = User.objects.get(pseudonym=viewer)
        except User.DoesNotExist:
            raise CommandError(
                f"No member {viewer!r}: load the demo first (haven load_demo_data)."
            ) from None
        own = User.objects.exclude(pseudonym__startswith=SCALE_PREFIX).count()
        if own > DEMO_SIZED and not force:
            raise CommandError(
                f"This database has {own} members, more than the demo: seeding is for a test or "
                "bench database. Use --force if you are sure."
            )
        try:
            seeded = seed_scale(member, threads, replies, members, vectors=vectors)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Seeded {threads} threads, {replies} replies and {members} members in "
            f"{seeded.seconds:.0f} s; the thread of 1,000 replies: "
            f"{seeded.long_thread.get_absolute_url()}"
            + (f"; {seeded.vectors} post vectors" if vectors else "")
        )
