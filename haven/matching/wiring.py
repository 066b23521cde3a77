"""How matching plugs into the apps below it (registries and signals), connected once in
MatchingConfig.ready, after every app's models have loaded."""

from django.utils.module_loading import autodiscover_modules

from haven.core.search_index import register_search_index
from haven.matching.indexing import MatchingIndex


def connect() -> None:
    # Each app's search_sources.py registers what it embeds (like the admin's modules).
    autodiscover_modules("search_sources")

    # Content apps below tell the index about writes through haven.core.search_index.
    register_search_index(MatchingIndex())
