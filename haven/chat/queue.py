"""The request queue: a waiting request goes to an available listener, the best fit first
(shared topics, plus how close the request's words are to the listener's topics and
experience), then the lightest load, then whoever has waited longest since their last chat (so
work is shared fairly).

A listener is available while their switch is on AND they have Haven open (a live socket:
haven.notifications.presence); their load counts open chats and offers not yet answered.

The request's message is embedded here, in memory, and never stored or cached; listeners'
vectors are made by the embedding job when they save their profile."""

import math
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from haven.chat.models import ChatRequest, Conversation, ListenerProfile
from haven.chat.permissions import is_blocked_between
from haven.core.search_index import Namespace, similarities_to_text
from haven.notifications.presence import present_user_ids

DEFAULT_MINUTES_PER_PLACE = 3


def _count_per_listener(queryset, user_field: str) -> Coalesce:
    """How many rows of the queryset belong to the listener of the outer row (0 for none)."""
    counted = queryset.order_by().values(user_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def switched_on_listeners():
    """Trained listeners whose switch is on, with their load; presence is checked apart."""
    open_chats = Conversation.objects.filter(
        listener_id=OuterRef("user_id"), status=Conversation.Status.ACTIVE
    )
    open_offers = ChatRequest.objects.filter(
        offered_to_id=OuterRef("user_id"), status=ChatRequest.Status.OFFERED
    )
    return (
        ListenerProfile.objects.filter(
            status=ListenerProfile.Status.LISTENER, is_online=True, user__is_active=True
        )
        .select_related("user")
        .annotate(
            chats=_count_per_listener(open_chats, "listener_id"),
            offers=_count_per_listener(open_offers, "offered_to_id"),
        )
    )


def available_listeners() -> list[ListenerProfile]:
    profiles = list(switched_on_listeners())
    present = present_user_ids([profile.user_id for profile in profiles])
    available = []
    for profile in profiles:
        if profile.user_id in present:
            profile.load = profile.chats + profile.offers
            available.append(profile)
    return available


# Fit = shared topics + SEMANTIC_WEIGHT × cosine similarity, rounded to FIT_STEP so that
# listeners who fit about as well are still ordered by load and fairness.
SEMANTIC_WEIGHT = 2.0
FIT_STEP = 0.5


def semantic_fit(chat_request: ChatRequest, profiles: list[ListenerProfile]) -> dict[int, float]:
    """Cosine similarity of the request to each listener's vector (profile id -> score)."""
    text = " ".join([chat_request.message, ", ".join(chat_request.topics)])
    scores = similarities_to_text(Namespace.LISTENER, [p.pk for p in profiles], text)
    return {pk: max(0.0, score) for pk, score in scores.items()}


def fit_score(shared_topics: int, similarity: float) -> float:
    return round((shared_topics + SEMANTIC_WEIGHT * similarity) / FIT_STEP) * FIT_STEP


def best_listener_for(chat_request: ChatRequest) -> ListenerProfile | None:
    eligible = []
    passed = set(chat_request.passed_listener_ids)
    for profile in available_listeners():
        if profile.load >= profile.max_chats or profile.user_id == chat_request.seeker_id:
            continue
        if profile.user_id in passed:
            continue
        if profile.languages and chat_request.language not in profile.languages:
            continue
        if is_blocked_between(profile.user_id, chat_request.seeker_id):
            continue
        eligible.append(profile)
    if not eligible:
        return None
    similarity = semantic_fit(chat_request, eligible) if len(eligible) > 1 else {}
    candidates = []
    for profile in eligible:
        shared = len(set(profile.topics) & set(chat_request.topics))
        fit = fit_score(shared, similarity.get(profile.pk, 0.0))
        never = profile.last_matched_at is None  # a listener never matched goes first
        last = profile.last_matched_at.timestamp() if profile.last_matched_at else 0.0
        candidates.append((-fit, profile.load, not never, last, profile.pk, profile))
    return min(candidates)[-1]


def queue_position(chat_request: ChatRequest) -> int:
    """1 for the next in line."""
    return (
        ChatRequest.objects.filter(
            status__in=ChatRequest.OPEN_STATUSES, created_at__lt=chat_request.created_at
        ).count()
        + 1
    )


def estimated_wait_minutes(position: int) -> int:
    """From how long recent requests waited, or a cautious default with no history yet."""
    recent = ChatRequest.objects.filter(
        status=ChatRequest.Status.MATCHED,
        matched_at__gte=timezone.now() - timedelta(days=7),
    ).order_by("-matched_at")[:20]
    waits = [(r.matched_at - r.created_at).total_seconds() / 60 for r in recent]
    per_place = sum(waits) / len(waits) if waits else DEFAULT_MINUTES_PER_PLACE
    return max(1, math.ceil(per_place * position))
