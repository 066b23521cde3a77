from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "haven.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self) -> None:
        from haven.forums.queries import recent_texts_of
        from haven.safety.screening import register_recent_texts

        # Repeats across posts are spam: the screening reads them through this.
        register_recent_texts(recent_texts_of)
