"""Communities in the search index (see haven.core.search_index.SearchSource)."""

from haven.communities.models import Community
from haven.core.search_index import Namespace, SearchSource, register_search_source


def community_texts(ids: list[int]) -> dict[int, str]:
    return {
        c.pk: f"{c.name}. {c.description}"
        for c in Community.objects.filter(pk__in=ids).only("name", "description")
    }


def all_community_ids() -> list[int]:
    return list(Community.objects.values_list("pk", flat=True))


register_search_source(
    SearchSource(Namespace.COMMUNITY, Community, community_texts, all_community_ids)
)
