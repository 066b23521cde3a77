"""What text each namespace embeds, and which items may have a vector at all.

A source answers "the text of these items, for those that may be embedded now". An item it
leaves out (deleted, held, withdrawn, opted out, no longer practising) loses its vector when
its job runs. Journals, chats and therapy messages are no source: they never get a stored
vector (resources for a journal entry are worked out in its job and only their ids are kept).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from haven.core.words import readable
from haven.matching.models import Namespace

PERSON_POSTS = 30  # the most recent non-anonymous posts that describe a person


def _words(keys: Iterable[str]) -> str:
    return ", ".join(readable(keys))


def post_texts(ids: list[int]) -> dict[int, str]:
    from haven.forums.models import ModerationState, Post

    posts = Post.objects.filter(
        pk__in=ids,
        is_deleted=False,
        moderation_state=ModerationState.VISIBLE,
    ).select_related("thread")
    texts = {}
    for post in posts:
        if post.depth == 0:
            tags = _words(post.thread.tags.values_list("slug", flat=True))
            texts[post.pk] = "\n".join(p for p in (post.thread.title, tags, post.body) if p)
        else:
            texts[post.pk] = post.body
    return texts


def community_texts(ids: list[int]) -> dict[int, str]:
    from haven.communities.models import Community

    return {
        c.pk: f"{c.name}. {c.description}"
        for c in Community.objects.filter(pk__in=ids).only("name", "description")
    }


def resource_texts(ids: list[int]) -> dict[int, str]:
    from haven.wellness.models import Resource

    resources = Resource.objects.filter(pk__in=ids, status=Resource.Status.PUBLISHED)
    return {r.pk: "\n".join([r.title, r.summary, _words(r.tags), r.body]) for r in resources}


def person_profile_texts(ids: list[int]) -> dict[int, str]:
    """Keyed by member id: only members with a peer profile, in their own chosen words."""
    from haven.matching.models import PeerProfile

    profiles = PeerProfile.objects.filter(member_id__in=ids, member__is_active=True)
    texts = {}
    for profile in profiles.select_related("member"):
        member = profile.member
        parts = [member.bio, _words(member.topics), profile.experience]
        texts[member.pk] = "\n".join(p for p in parts if p)
    return texts


def person_post_ids(member_ids: list[int]) -> dict[int, list[int]]:
    """The visible, non-anonymous posts that may describe each member, newest first."""
    from haven.forums.models import ModerationState, Post

    found: dict[int, list[int]] = {pk: [] for pk in member_ids}
    posts = (
        Post.objects.filter(
            author_id__in=member_ids,
            is_anonymous=False,
            is_deleted=False,
            moderation_state=ModerationState.VISIBLE,
        )
        .order_by("-created_at")
        .values_list("author_id", "pk")
    )
    for author_id, pk in posts:
        if len(found[author_id]) < PERSON_POSTS:
            found[author_id].append(pk)
    return found


def listener_texts(ids: list[int]) -> dict[int, str]:
    """Keyed by listener profile id."""
    from haven.chat.models import ListenerProfile

    profiles = ListenerProfile.objects.filter(
        pk__in=ids, status=ListenerProfile.Status.LISTENER, user__is_active=True
    )
    return {
        p.pk: "\n".join(part for part in (_words(p.topics), p.experience) if part) for p in profiles
    }


def therapist_texts(ids: list[int]) -> dict[int, str]:
    """Keyed by therapist profile id; only therapists who may practise here now."""
    from haven.care.therapists.permissions import practising_therapists

    therapists = practising_therapists().filter(pk__in=ids)
    return {
        t.pk: "\n".join(
            [
                f"Specialties: {_words(t.specialties)}",
                f"Approaches: {_words(t.approaches)}",
                t.statement,
            ]
        )
        for t in therapists
    }


def all_ids(namespace: str) -> list[int]:
    """Every item that may currently have a vector, for `haven reembed`."""
    from haven.care.therapists.permissions import practising_therapists
    from haven.chat.models import ListenerProfile
    from haven.communities.models import Community
    from haven.forums.models import ModerationState, Post
    from haven.matching.models import PeerProfile
    from haven.wellness.models import Resource

    if namespace == Namespace.POST:
        queryset = Post.objects.filter(is_deleted=False, moderation_state=ModerationState.VISIBLE)
    elif namespace == Namespace.COMMUNITY:
        queryset = Community.objects.all()
    elif namespace == Namespace.RESOURCE:
        queryset = Resource.objects.filter(status=Resource.Status.PUBLISHED)
    elif namespace == Namespace.PERSON:
        return list(PeerProfile.objects.values_list("member_id", flat=True))
    elif namespace == Namespace.LISTENER:
        queryset = ListenerProfile.objects.filter(status=ListenerProfile.Status.LISTENER)
    elif namespace == Namespace.THERAPIST:
        queryset = practising_therapists()
    else:
        raise ValueError(f"unknown namespace {namespace!r}")
    return list(queryset.values_list("pk", flat=True))


TEXT_SOURCES: dict[str, Callable[[list[int]], dict[int, str]]] = {
    Namespace.POST: post_texts,
    Namespace.COMMUNITY: community_texts,
    Namespace.RESOURCE: resource_texts,
    Namespace.LISTENER: listener_texts,
    Namespace.THERAPIST: therapist_texts,
}
