from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "haven.matching"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from haven.core.search_index import register_search_index
        from haven.matching import signals  # noqa: F401
        from haven.matching.indexing import MatchingIndex

        # Content apps below tell the index about writes through haven.core.search_index.
        register_search_index(MatchingIndex())
