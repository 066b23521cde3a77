from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "haven.updates"
    label = "updates"
    verbose_name = "Updates"

    def ready(self) -> None:
        from haven.safety.screening import register_recent_texts
        from haven.updates.queries import recent_texts_of

        # Repeats across updates are spam: the screening reads them through this.
        register_recent_texts(recent_texts_of)
