"""How chat plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.signals import access_revoked
from haven.chat.actions import (
    end_chats_on_sanction,
    match_when_listener_arrives,
    take_back_offers_on_leaving,
)
from haven.chat.permissions import access_conversation_by_id
from haven.chat.safety_plan import SHARE_IN_CHAT
from haven.moderation.permissions import register_report_target
from haven.notifications.presence import member_came_online, member_went_offline
from haven.wellness.safety_plan import register_share_channel


def connect() -> None:
    # A suspended or banned member's chats end: nobody is left waiting on them.
    access_revoked.connect(end_chats_on_sanction, dispatch_uid="chat.end_chats_on_sanction")
    # Presence: a listener who opens Haven can be matched at once; one who leaves has
    # their offers passed to the next listener.
    member_came_online.connect(match_when_listener_arrives, dispatch_uid="chat.arrives")
    member_went_offline.connect(take_back_offers_on_leaving, dispatch_uid="chat.leaves")
    # A participant can report a chat through moderation's reports (pages and API).
    register_report_target("chat", access_conversation_by_id)
    # A seeker can let their listener read their safety plan while the chat is open.
    register_share_channel(SHARE_IN_CHAT)
