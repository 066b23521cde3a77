"""haven chat_seed_pairs: seekers and listeners already in conversation, with signed-in
sessions, for load tests and multi-process tests. Prints one JSON line per pair.

Never run it on a real community: it creates accounts.
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from haven.accounts.actions import do_create_user, do_publish_guidelines
from haven.accounts.guidelines import current_guidelines
from haven.chat.models import Conversation, ListenerProfile
from haven.core.devservers import signed_in_session


class Command(BaseCommand):
    help = "Create N seeker-listener pairs in open chats (for tests and benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pairs", type=int, default=1)
        parser.add_argument("--prefix", default="pair")

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        guidelines = current_guidelines() or do_publish_guidelines("Be kind.")
        for n in range(options["pairs"]):
            name = f"{options['prefix']}{n}"
            seeker = do_create_user(f"{name}_s", None, guidelines_version=guidelines.version)
            listener = do_create_user(
                f"{name}_l", None, guidelines_version=guidelines.version, role="listener"
            )
            ListenerProfile.objects.create(
                user=listener, status=ListenerProfile.Status.LISTENER, max_chats=1
            )
            conversation = Conversation.objects.create(seeker=seeker, listener=listener)
            self.stdout.write(
                json.dumps(
                    {
                        "conversation": conversation.pk,
                        "seeker_id": seeker.pk,
                        "listener_id": listener.pk,
                        "seeker_session": signed_in_session(seeker),
                        "listener_session": signed_in_session(listener),
                    }
                )
            )
