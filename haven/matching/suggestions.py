"""Suggestions by meaning: threads, communities, resources and people, each with a reason.

Every suggestion starts from a query vector (a stored vector of the viewer's own post, or the
text being written), asks the index for neighbours, then loads the items through the same
visibility rules as everywhere else, so a lagging index can never surface hidden content.
People are only those who opted in (a PeerProfile), checked in the database on every call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext

from haven.accounts.models import MemberBlock, User
from haven.communities.models import Community
from haven.core.embeddings import FloatArray
from haven.core.language import reader_language_first
from haven.forums.filters import without_blocked_posts
from haven.forums.models import ModerationState, Post, Thread
from haven.forums.permissions import filter_visible_posts
from haven.matching import reasons
from haven.matching.models import Namespace, PeerProfile
from haven.matching.search_sources import person_post_ids
from haven.matching.vectors import (
    current_model,
    embed_query,
    embedder_for,
    min_score,
    model_for_text,
    nearest,
    stored_vectors,
)
from haven.wellness.library import in_reader_language, published_resources

OVERFETCH = 6  # neighbours asked for per suggestion shown, to survive filtering


@dataclass
class Suggestion:
    kind: str  # "thread", "community", "resource", "person"
    item: Any
    score: float
    reason: str


@dataclass
class SuggestionSet:
    threads: list[Suggestion] = field(default_factory=list)
    communities: list[Suggestion] = field(default_factory=list)
    resources: list[Suggestion] = field(default_factory=list)
    people: list[Suggestion] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.threads or self.communities or self.resources or self.people)


def query_vector(text: str, *, viewer: User | None = None, private: bool = False) -> FloatArray:
    """Cached only for a signed-in viewer and only for them; private text is never cached."""
    owner = viewer.pk if viewer is not None and viewer.is_authenticated else None
    return embed_query(text, cache_for=None if private else owner)


def _post_vector(post, text: str) -> FloatArray | None:
    """The post's stored vector under the model its language is matched with."""
    return stored_vectors(Namespace.POST, [post.pk], model=model_for_text(text)).get(post.pk)


def similar_threads(
    viewer: User,
    text: str,
    *,
    vector: FloatArray | None = None,
    exclude_thread_id: int | None = None,
    tags: tuple[str, ...] = (),
    limit: int = 5,
    source: str | None = None,
) -> list[Suggestion]:
    """Threads whose posts read most like the text; one suggestion per thread. ``source`` says
    whose text that is, for the reasons ("what you wrote", "this thread")."""

    model = model_for_text(text)
    vector = query_vector(text, viewer=viewer) if vector is None else vector
    floor = min_score(model)
    neighbours = [n for n in nearest(Namespace.POST, vector, limit * OVERFETCH * 2, model=model)
                  if n.score >= floor]  # fmt: skip
    if not neighbours:
        return []
    posts = filter_visible_posts(
        Post.objects.filter(pk__in=[n.object_id for n in neighbours]), viewer
    ).filter(moderation_state=ModerationState.VISIBLE, thread__is_deleted=False)
    posts = without_blocked_posts(posts, viewer)  # nothing by, or started by, people they blocked
    posts = {p.pk: p for p in posts.select_related("thread__community", "thread__first_post")}
    seen: set[int] = set()
    found = []
    for neighbour in neighbours:
        post = posts.get(neighbour.object_id)
        if post is None or post.thread_id in seen or post.thread_id == exclude_thread_id:
            continue
        seen.add(post.thread_id)
        found.append((neighbour.score, post))
        if len(found) >= limit:
            break
    threads = [post.thread for _, post in found]
    tags_of = _thread_tags([t.pk for t in threads])
    return [
        Suggestion(
            "thread",
            post.thread,
            score,
            reasons.thread_reason(
                text,
                post.thread.title,
                post.body,
                tags_of.get(post.thread_id, []),
                tags,
                source=source,
            ),
        )
        for score, post in found
    ]


def _thread_tags(thread_ids: list[int]) -> dict[int, list[str]]:

    tags: dict[int, list[str]] = {}
    for thread_id, slug in Thread.tags.through.objects.filter(thread_id__in=thread_ids).values_list(
        "thread_id", "tag__slug"
    ):
        tags.setdefault(thread_id, []).append(slug)
    return tags


def communities_that_fit(
    text: str,
    *,
    vector: FloatArray | None = None,
    exclude_community_id: int | None = None,
    limit: int = 3,
) -> list[Suggestion]:

    model = model_for_text(text)
    vector = query_vector(text) if vector is None else vector
    neighbours = [n for n in nearest(Namespace.COMMUNITY, vector, limit * OVERFETCH, model=model)
                  if n.score >= min_score(model)
                  and n.object_id != exclude_community_id]  # fmt: skip
    communities = Community.objects.in_bulk([n.object_id for n in neighbours])
    found = [
        Suggestion("community", c, n.score, reasons.community_reason(text, c.name, c.description))
        for n in neighbours
        if (c := communities.get(n.object_id)) is not None
    ]
    # Those where people write in the reader's language first, the closest first in each.
    return reader_language_first(found, lambda s: s.item.language)[:limit]


def resources_that_may_help(
    text: str, *, vector: FloatArray | None = None, limit: int = 3, private: bool = False
) -> list[Suggestion]:
    """The closest published, professionally reviewed resources."""

    model = model_for_text(text)
    vector = query_vector(text, private=private) if vector is None else vector
    neighbours = [n for n in nearest(Namespace.RESOURCE, vector, limit * OVERFETCH, model=model)
                  if n.score >= min_score(model)]  # fmt: skip
    resources = published_resources().in_bulk([n.object_id for n in neighbours])
    scores = {n.object_id: n.score for n in neighbours}
    closest = [resources[n.object_id] for n in neighbours if n.object_id in resources]
    # One version of each, the reader's language where it is written in it (a translation
    # found through its original takes the original's score).
    chosen = in_reader_language(closest)[:limit]
    return [
        Suggestion(
            "resource",
            resource,
            scores.get(resource.pk, scores.get(resource.work_id, 0.0)),
            reasons.resource_reason(text, resource.title, resource.summary, resource.tags),
        )
        for resource in chosen
    ]


def resource_ids_for_private_text(text: str, limit: int = 3) -> list[int]:
    """For a journal entry or a chat request, in a job: only ids leave; the vector is dropped."""
    return [s.item.pk for s in resources_that_may_help(text, limit=limit, private=True)]


def people_who_have_been_through_this(
    viewer: User, text: str, *, vector: FloatArray | None = None, limit: int = 3
) -> list[Suggestion]:
    """Members who chose to be found, closest by their profile and non-anonymous posts."""

    # People are matched with the configured model whatever the language (their vectors mix
    # profile words and posts): a text routed to the hashing index is embedded again for them.
    model = current_model()
    if vector is None:
        vector = query_vector(text, viewer=viewer)
    if model_for_text(text) != model:
        vector = embed_query(text, embedder_for(model))
    neighbours = [n for n in nearest(Namespace.PERSON, vector, limit * OVERFETCH, model=model)
                  if n.score >= min_score(model) and n.object_id != viewer.pk]  # fmt: skip
    if not neighbours:
        return []
    ids = [n.object_id for n in neighbours]
    # The opt-in is checked here, in the database, whatever the index still holds.
    profiles = {
        p.member_id: p
        for p in PeerProfile.objects.filter(
            member_id__in=ids, member__is_active=True
        ).select_related("member")
    }
    blocks = MemberBlock.objects.filter(
        Q(blocker=viewer, blocked_id__in=ids) | Q(blocked=viewer, blocker_id__in=ids)
    ).values_list("blocker_id", "blocked_id")
    blocked = {pk for pair in blocks for pk in pair} - {viewer.pk}
    chosen = [n for n in neighbours if n.object_id in profiles and n.object_id not in blocked]
    chosen = chosen[:limit]
    posts_of = person_post_ids([n.object_id for n in chosen])
    post_vectors = stored_vectors(Namespace.POST, [p for ps in posts_of.values() for p in ps])
    titles = dict(Post.objects.filter(pk__in=list(post_vectors)).values_list("pk", "thread__title"))
    found = []
    for n in chosen:
        profile = profiles[n.object_id]
        mine = [p for p in posts_of.get(n.object_id, []) if p in post_vectors]
        closest_title = None
        if mine:
            scores = np.stack([post_vectors[p] for p in mine]) @ vector
            closest_title = titles.get(mine[int(np.argmax(scores))])
        reason = reasons.person_reason(
            text, profile.member.topics, profile.experience, closest_title
        )
        found.append(Suggestion("person", profile.member, n.score, reason))
    return found


def suggestions_for_post(viewer: User, post, *, people: bool = True) -> SuggestionSet:
    """What to show beside a post its author has just written (or is reading again)."""
    thread = post.thread
    text = f"{thread.title}\n{post.body}" if post.depth == 0 else post.body
    vector = _post_vector(post, text)
    if vector is None:
        vector = query_vector(text, viewer=viewer)  # the job has not run yet: embed the text
    tags = tuple(thread.tags.values_list("slug", flat=True))
    result = SuggestionSet(
        threads=similar_threads(
            viewer, text, vector=vector, exclude_thread_id=thread.pk, tags=tags, limit=3
        ),
        communities=communities_that_fit(
            text, vector=vector, exclude_community_id=thread.community_id, limit=2
        ),
        resources=resources_that_may_help(text, vector=vector, limit=2),
    )
    if people:
        result.people = people_who_have_been_through_this(viewer, text, vector=vector, limit=3)
    return result


def suggestions_for_thread(viewer: User, thread) -> tuple[SuggestionSet, bool]:
    """Beside a thread: similar threads for any reader; for its author, also communities,
    resources and people. Returns the suggestions and whether the viewer is the author."""
    opening = thread.first_post
    if opening is None or opening.is_deleted:
        return SuggestionSet(), False
    if opening.author_id == viewer.pk:
        return suggestions_for_post(viewer, opening), True
    text = f"{thread.title}\n{opening.body}"
    threads = similar_threads(
        viewer, text, vector=_post_vector(opening, text),
        exclude_thread_id=thread.pk, limit=3, source=gettext("this thread"),
    )  # fmt: skip
    return SuggestionSet(threads=threads), False


def suggestions_for_text(viewer: User, text: str) -> SuggestionSet:
    """For "what are you going through?": people, communities, threads and resources. The
    text is the member's own and is not cached."""
    vector = query_vector(text, private=True)
    return SuggestionSet(
        people=people_who_have_been_through_this(viewer, text, vector=vector, limit=5),
        communities=communities_that_fit(text, vector=vector, limit=3),
        threads=similar_threads(viewer, text, vector=vector, limit=3),
        resources=resources_that_may_help(text, vector=vector, limit=3),
    )


def suggestions_for_draft(viewer: User, text: str, *, community_id: int | None = None):
    """While writing: threads others wrote, and communities that may fit better. A draft is
    not the member's to keep yet, so it is not cached."""
    vector = query_vector(text, private=True)
    return SuggestionSet(
        threads=similar_threads(viewer, text, vector=vector, limit=3),
        communities=communities_that_fit(
            text, vector=vector, exclude_community_id=community_id, limit=2
        ),
    )
