"""How matching plugs into the apps below it (registries and signals), connected once every
app's models have loaded (haven.core.apps.connect_app_wiring)."""

from collections.abc import Iterable

from django.utils.module_loading import autodiscover_modules

from haven.core.search_index import register_search_index
from haven.matching.people import profile_changed
from haven.matching.tasks import request_embedding, request_resource_suggestions
from haven.matching.unanswered import offer_text
from haven.matching.vectors import forget, min_score, similarities_to_text
from haven.notifications.display import register_notification_kind
from haven.notifications.models import Notification


class MatchingIndex:
    """The index content apps reach through haven.core.search_index."""

    def request_embedding(self, namespace: str, object_ids: Iterable[int]) -> None:
        request_embedding(namespace, object_ids)

    def forget(self, namespace: str, object_ids: Iterable[int]) -> int:
        return forget(namespace, list(object_ids))

    def person_changed(self, member) -> None:
        profile_changed(member)

    def request_resource_suggestions(self, kind: str, object_id: int) -> None:
        request_resource_suggestions(kind, object_id)

    def similarities_to_text(
        self, namespace: str, object_ids: Iterable[int], text: str
    ) -> dict[int, float]:
        return similarities_to_text(namespace, object_ids, text)

    def relevance_floor(self) -> float:
        return min_score()


def connect() -> None:
    # Each app's search_sources.py registers what it embeds (like the admin's modules).
    autodiscover_modules("search_sources")

    # Content apps below tell the index about writes through haven.core.search_index.
    register_search_index(MatchingIndex())

    # Threads offered to peer responders read "Someone could use a reply in “…”".
    register_notification_kind(Notification.Kind.UNANSWERED, text=offer_text)
