"""How updates plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.profile_parts import register_profile_part
from haven.core.content import register_moderation_target
from haven.notifications.display import register_notification_kind
from haven.notifications.models import Notification
from haven.safety.screening import register_recent_texts
from haven.updates.actions import (
    do_set_update_moderation_state,
    do_set_update_reply_moderation_state,
)
from haven.updates.display import follow_text, follow_url, update_reply_text, update_reply_url
from haven.updates.models import Update, UpdateReply
from haven.updates.queries import profile_updates, recent_reply_texts_of, recent_texts_of


def connect() -> None:
    # Repeats across updates are spam: the screening reads them through this.
    register_recent_texts(recent_texts_of)
    register_recent_texts(recent_reply_texts_of)
    # Moderators' decisions change updates and their replies through their owner.
    register_moderation_target(Update, do_set_update_moderation_state)
    register_moderation_target(UpdateReply, do_set_update_reply_moderation_state)
    register_notification_kind(Notification.Kind.FOLLOW, text=follow_text, url=follow_url)
    register_notification_kind(
        Notification.Kind.UPDATE_REPLY, text=update_reply_text, url=update_reply_url
    )
    register_profile_part(profile_updates)
