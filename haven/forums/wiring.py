"""How forums plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.profile_parts import register_profile_part
from haven.core.content import register_moderation_target
from haven.forums.actions import do_set_post_moderation_state
from haven.forums.display import reaction_text
from haven.forums.models import Post
from haven.forums.queries import profile_threads, recent_texts_of
from haven.notifications.display import register_notification_kind
from haven.notifications.models import Notification
from haven.safety.screening import register_recent_texts


def connect() -> None:
    # Repeats across posts are spam: the screening reads them through this.
    register_recent_texts(recent_texts_of)
    # Moderators' decisions change posts through their owner.
    register_moderation_target(Post, do_set_post_moderation_state)
    # A reaction's name is forums' to say.
    register_notification_kind(Notification.Kind.REACTION, text=reaction_text)
    register_profile_part(profile_threads)
