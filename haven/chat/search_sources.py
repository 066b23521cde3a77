"""Trained listeners in the search index, keyed by listener profile id (see
haven.core.search_index.SearchSource): their topics and experience, in their own words."""

from haven.chat.models import ListenerProfile
from haven.core.search_index import Namespace, SearchSource, register_search_source
from haven.core.words import readable


def listener_texts(ids: list[int]) -> dict[int, str]:
    profiles = ListenerProfile.objects.filter(
        pk__in=ids, status=ListenerProfile.Status.LISTENER, user__is_active=True
    )
    return {
        p.pk: "\n".join(part for part in (", ".join(readable(p.topics)), p.experience) if part)
        for p in profiles
    }


def all_listener_ids() -> list[int]:
    return list(
        ListenerProfile.objects.filter(status=ListenerProfile.Status.LISTENER).values_list(
            "pk", flat=True
        )
    )


register_search_source(
    SearchSource(Namespace.LISTENER, ListenerProfile, listener_texts, all_listener_ids)
)
