from django.apps import AppConfig


class WellnessConfig(AppConfig):
    name = "haven.wellness"
    verbose_name = "Wellness tools"

    def ready(self) -> None:
        from haven.accounts.zones import register_zone_reader
        from haven.safety.support import register_helpful_resources
        from haven.wellness.checkins import stored_zone
        from haven.wellness.templatetags.wellness import resource_links

        register_zone_reader(stored_zone)
        register_helpful_resources(lambda: resource_links("crisis"))
