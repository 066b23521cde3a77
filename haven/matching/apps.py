from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "haven.matching"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from haven.core.search_index import register_search_index
        from haven.matching.indexing import MatchingIndex

        # Each app's search_sources.py registers what it embeds (like the admin's modules).
        autodiscover_modules("search_sources")

        # Content apps below tell the index about writes through haven.core.search_index.
        register_search_index(MatchingIndex())
