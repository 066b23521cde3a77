"""How direct messages plug into the apps below them (registries), connected once every app's
models have loaded (haven.core.apps.connect_app_wiring)."""

from django.http import HttpRequest

from haven.accounts.blocks import is_blocked_between
from haven.accounts.models import User
from haven.accounts.profile_parts import register_profile_part
from haven.core.content import register_moderation_target
from haven.direct_messages.actions import do_set_direct_message_moderation_state
from haven.direct_messages.models import DirectMessage, DirectThread
from haven.direct_messages.notify import notification_text, notification_url
from haven.direct_messages.permissions import (
    access_direct_message_by_id,
    existing_thread,
    request_refusal,
)
from haven.moderation.permissions import register_report_target
from haven.notifications.display import register_notification_kind
from haven.notifications.models import Notification


def profile_messaging(request: HttpRequest, member: User) -> dict:
    """The "Send a message" button on a profile, only when a request would be allowed; else a
    short line on why (the same kind words for a block as for the member's own choice)."""
    viewer = request.user
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return {}
    thread = existing_thread(viewer, member)
    live = (DirectThread.Status.REQUESTED, DirectThread.Status.ACCEPTED)
    if thread is not None and thread.status in live and is_blocked_between(viewer.pk, member.pk):
        thread = None  # a block hides the conversation: say only that they aren't available
    if thread is not None and thread.status in live:
        return {"direct_thread": thread}
    return {"direct_refusal": request_refusal(request.actor, member), "direct_offer": True}


def connect() -> None:
    # Who asked, never the words: the text stays in the conversation.
    register_notification_kind(
        Notification.Kind.DIRECT, text=notification_text, url=notification_url
    )
    # Either member can report a message of the other's through moderation's reports.
    register_report_target("direct_message", access_direct_message_by_id)
    register_profile_part(profile_messaging)
    # Moderators' decisions on a held or reported message change it through its owner.
    register_moderation_target(DirectMessage, do_set_direct_message_moderation_state)
