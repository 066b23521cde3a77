from django import template
from django.urls import reverse
from django.utils.html import format_html

from haven.core.avatars import avatar
from haven.core.templatetags.haven import ago
from haven.forums import authorship

register = template.Library()


@register.simple_tag(takes_context=True)
def post_author(context, post) -> str:
    """The author as this viewer may see them: a profile link, or a neutral label."""
    viewer = context["request"].user
    author = authorship.visible_author(post, viewer)
    label = authorship.author_label(post, viewer)
    if author is None or post.is_anonymous:
        # One neutral avatar for every anonymous author, moderators' view included.
        return format_html('{}<span class="author author--hidden">{}</span>', avatar(None), label)
    return format_html(
        '{}<a class="author" href="{}">{}</a>',
        avatar(author.pseudonym),
        reverse("accounts:profile", args=[author.pseudonym]),
        label,
    )


@register.simple_tag(takes_context=True)
def post_time(context, post, moment=None) -> str:
    """A <time> for the post (or the given moment of it), coarse on others' anonymous posts."""
    shown = authorship.shown_time(post, context["request"].user, moment or post.created_at)
    return format_html(
        '<time datetime="{}">{}</time>', shown.isoformat(timespec="seconds"), ago(shown)
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def contains(collection, item) -> bool:
    return item in collection if collection else False
