"""Threads and replies in the search index (see haven.core.search_index.SearchSource): only
visible, undeleted posts; an opening post carries its thread's title and tags."""

from haven.core.content import ModerationState
from haven.core.search_index import Namespace, SearchSource, register_search_source
from haven.core.words import readable
from haven.forums.models import Post


def _visible():
    return Post.objects.filter(is_deleted=False, moderation_state=ModerationState.VISIBLE)


def post_texts(ids: list[int]) -> dict[int, str]:
    texts = {}
    for post in _visible().filter(pk__in=ids).select_related("thread"):
        if post.depth == 0:
            tags = ", ".join(readable(post.thread.tags.values_list("slug", flat=True)))
            texts[post.pk] = "\n".join(p for p in (post.thread.title, tags, post.body) if p)
        else:
            texts[post.pk] = post.body
    return texts


def all_post_ids() -> list[int]:
    return list(_visible().values_list("pk", flat=True))


register_search_source(SearchSource(Namespace.POST, Post, post_texts, all_post_ids))
