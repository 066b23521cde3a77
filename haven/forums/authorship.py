"""How a post's author is shown. Anonymous posts hide their author from everyone but the author
(moderation tools, which act on the item, have their own access path)."""

from datetime import datetime

from django.utils.translation import gettext

from haven.accounts.models import User
from haven.core.content import ANONYMOUS_LABEL, DELETED_LABEL, MODERATOR_LABEL
from haven.core.public_ids import coarse_time
from haven.forums.models import Post


def is_own_post(post: Post, viewer: User | None) -> bool:
    return viewer is not None and viewer.is_authenticated and post.author_id == viewer.pk


def visible_author(post: Post, viewer: User | None) -> User | None:
    """The author a viewer may see, or None when hidden (anonymous) or gone (deleted)."""
    if (post.is_anonymous or post.posted_as_moderator) and not is_own_post(post, viewer):
        return None
    return post.author


def author_label(post: Post, viewer: User | None) -> str:
    if post.posted_as_moderator:
        return gettext(MODERATOR_LABEL)
    if post.is_anonymous:
        if is_own_post(post, viewer):
            return gettext("%(anonymous)s (you)") % {"anonymous": gettext(ANONYMOUS_LABEL)}
        return gettext(ANONYMOUS_LABEL)
    if post.author is None:
        return gettext(DELETED_LABEL)
    return post.author.pseudonym


def shown_time(post: Post, viewer: User | None, moment: datetime | None) -> datetime | None:
    """A time of this post as the viewer may see it: exact for named posts and for the author,
    only the hour for others on an anonymous post, so times can't link it to named posts."""
    if post.is_anonymous and not is_own_post(post, viewer):
        return coarse_time(moment)
    return moment
