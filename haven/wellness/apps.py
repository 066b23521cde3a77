from django.apps import AppConfig


class WellnessConfig(AppConfig):
    name = "haven.wellness"
    verbose_name = "Wellness tools"

    def ready(self) -> None:
        from haven.accounts.zones import register_zone_reader
        from haven.wellness.checkins import stored_zone

        register_zone_reader(stored_zone)
