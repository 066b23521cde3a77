"""Search over posts and updates, with each kind's own visibility rules applied.

By default full-text and semantic rankings are fused (haven.matching.hybrid); a member can
switch to either alone."""

from dataclasses import dataclass

from haven.accounts.models import User
from haven.core import fulltext
from haven.forums.models import Post
from haven.forums.permissions import filter_visible_posts
from haven.matching.hybrid import SearchMode, reciprocal_rank_fusion, semantic_post_ids
from haven.updates.models import Update
from haven.updates.permissions import filter_visible_updates

QUERY_MAX_LENGTH = 200


class SearchScope:
    ALL = "all"
    POSTS = "posts"
    UPDATES = "updates"
    CHOICES = [(ALL, "Everything"), (POSTS, "Threads and replies"), (UPDATES, "Updates")]


@dataclass
class SearchResult:
    kind: str
    post: Post | None = None
    update: Update | None = None


def ranked_hits(
    query: str, kinds: tuple[str, ...], mode: str, *, cache_for: int | None = None
) -> list[fulltext.Hit]:
    """Full-text hits, semantic hits (posts only: updates have no vectors), or both fused.
    The query's vector is cached for the searching member only (``cache_for``)."""
    query = query[:QUERY_MAX_LENGTH]
    words = [] if mode == SearchMode.SEMANTIC else fulltext.search(query, kinds)
    if mode == SearchMode.FULLTEXT or "post" not in kinds:
        return words
    meaning = [fulltext.Hit("post", pk) for pk in semantic_post_ids(query, cache_for=cache_for)]
    if mode == SearchMode.SEMANTIC:
        return meaning
    return reciprocal_rank_fusion([words, meaning])


def search(
    query: str, viewer: User, scope: str = SearchScope.ALL, mode: str = SearchMode.HYBRID
) -> list[SearchResult]:
    kinds = {
        SearchScope.POSTS: ("post",),
        SearchScope.UPDATES: ("update",),
    }.get(scope, ("post", "update"))
    hits = ranked_hits(query, kinds, mode, cache_for=viewer.pk if viewer.is_authenticated else None)
    post_ids = [hit.object_id for hit in hits if hit.kind == "post"]
    update_ids = [hit.object_id for hit in hits if hit.kind == "update"]
    posts = {}
    if post_ids:
        visible_posts = filter_visible_posts(Post.objects.filter(pk__in=post_ids), viewer)
        posts = {
            post.pk: post
            for post in visible_posts.select_related("author", "thread__community", "parent")
        }
    updates = {}
    if update_ids:
        updates = {
            update.pk: update
            for update in filter_visible_updates(
                Update.objects.filter(pk__in=update_ids), viewer
            ).select_related("author")
        }
    results = []
    for hit in hits:
        if hit.kind == "post" and hit.object_id in posts:
            results.append(SearchResult("post", post=posts[hit.object_id]))
        elif hit.kind == "update" and hit.object_id in updates:
            results.append(SearchResult("update", update=updates[hit.object_id]))
    return results
