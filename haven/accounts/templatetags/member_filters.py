"""What the viewer chose to see, for templates: why an item is folded away, and how content
warnings show. Both read ``viewer_filters`` once per request (kept on the user object)."""

from collections.abc import Iterable
from typing import Any

from django import template

from haven.accounts.preferences import DEFAULT_FILTERS, ViewerFilters, viewer_filters

register = template.Library()


def viewer_filters_of(context) -> ViewerFilters:
    # Fragments (haven.core.fragments) render without the request: they get the defaults.
    request = context.get("request")
    return viewer_filters(request.user) if request is not None else DEFAULT_FILTERS


def _slugs(tags: Any) -> list[str]:
    if tags is None or tags == "":
        return []
    items: Iterable = tags.all() if hasattr(tags, "all") else tags
    return [getattr(tag, "slug", tag) for tag in items]


@register.simple_tag(takes_context=True)
def hidden_reason(context, *, themes=(), tags=None, author_id=None, anonymous: bool = False) -> str:
    """``{% hidden_reason themes=thread.themes tags=thread.tags author_id=... as reason %}``:
    "" or the words after "Hidden:" on the one-line placeholder."""
    return viewer_filters_of(context).hidden_reason(
        themes=themes or (), tags=_slugs(tags), author_id=author_id, is_anonymous=anonymous
    )


@register.simple_tag(takes_context=True)
def author_blocked(context, post) -> bool:
    """A reply written, under their name, by someone the viewer blocked."""
    return viewer_filters_of(context).is_blocked(post.author_id, is_anonymous=post.is_anonymous)


@register.simple_tag(takes_context=True)
def warning_display(context) -> str:
    """ "blur" (the default: held behind the warning), "hide" (a one-line note) or "show"."""
    return viewer_filters_of(context).content_warning_display


@register.simple_tag(takes_context=True)
def viewer_blocked(context, member) -> bool:
    """Whether the viewer blocked this member (for the profile's Block or Unblock)."""
    return member.pk in viewer_filters_of(context).blocked_ids
