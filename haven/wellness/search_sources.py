"""Published resources in the search index (see haven.core.search_index.SearchSource)."""

from haven.core.search_index import Namespace, SearchSource, register_search_source
from haven.core.words import readable
from haven.wellness.models import Resource


def resource_texts(ids: list[int]) -> dict[int, str]:
    resources = Resource.objects.filter(pk__in=ids, status=Resource.Status.PUBLISHED)
    return {
        r.pk: "\n".join([r.title, r.summary, ", ".join(readable(r.tags)), r.body])
        for r in resources
    }


def all_resource_ids() -> list[int]:
    return list(
        Resource.objects.filter(status=Resource.Status.PUBLISHED).values_list("pk", flat=True)
    )


register_search_source(SearchSource(Namespace.RESOURCE, Resource, resource_texts, all_resource_ids))
