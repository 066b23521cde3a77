"""How wellness plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from haven.accounts.zones import register_zone_reader
from haven.safety.support import register_helpful_resources
from haven.wellness.checkins import stored_zone
from haven.wellness.templatetags.wellness import resource_links


def connect() -> None:
    register_zone_reader(stored_zone)
    register_helpful_resources(lambda: resource_links("crisis"))
