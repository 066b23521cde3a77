"""How care plugs into the apps below it (registries), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.care.messaging.safety_plan import SHARE_WITH_THERAPIST
from haven.care.messaging.views import handoff_panel
from haven.chat.panels import register_conversation_panel
from haven.wellness.safety_plan import register_share_channel


def connect() -> None:
    # A member can let a therapist they are in care with read their safety plan.
    register_share_channel(SHARE_WITH_THERAPIST)
    # A listener can write a hand-off summary for a therapist inside the chat.
    register_conversation_panel(handoff_panel)
