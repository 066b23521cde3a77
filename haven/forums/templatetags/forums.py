from functools import lru_cache

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from haven.accounts.templatetags import member_filters
from haven.core.avatars import avatar
from haven.core.content import ModerationState
from haven.core.html import format_html
from haven.core.templatetags.haven import ago
from haven.forums import authorship
from haven.forums.models import Reaction

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
        post_links(context["request"]).profile_url(author.pseudonym),
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


# --- A post's reactions and actions, built in Python: a thread page repeats them for every
# reply, and as templates they cost a 100-reply page about 500 URL reversals and 400 CSRF
# tokens, a quarter of its time. URLs are reversed once per page with placeholders and one
# CSRF field serves every form (Django accepts any masked copy of the page's token).

_POST = "post-id-placeholder"
_KIND = "kind-placeholder"


class PostLinks:
    def __init__(self, request) -> None:
        self.csrf_field = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.react = reverse("forums:react", args=[_POST, _KIND])
        self.edit = reverse("forums:edit_post", args=[_POST])
        self.delete = reverse("forums:delete_post", args=[_POST])
        self.report = reverse("moderation:report_post", args=[_POST])
        self._reply: dict[int, str] = {}
        self._profiles: dict[str, str] = {}
        self._reaction_forms: list[tuple[str, str, str]] | None = None

    def profile_url(self, pseudonym: str) -> str:
        # A thread's replies come from a few people: one reversal each, not one per reply.
        if pseudonym not in self._profiles:
            self._profiles[pseudonym] = reverse("accounts:profile", args=[pseudonym])
        return self._profiles[pseudonym]

    def reaction_forms(self) -> list[tuple[str, str, str]]:
        """(kind, label, form) for each reaction: the form's HTML with the post's id, pressed
        state and count left as str.format fields, everything else escaped once a page."""
        if self._reaction_forms is None:
            self._reaction_forms = []
            for kind, label in Reaction.Kind.choices:
                url = escape(self.fill(self.react, _POST, kind)).replace(_POST, "{id}")
                fixed = (
                    '<form method="post" action="' + url + '" class="inline-form" hx-post="'
                    + url + '" hx-target="#reactions-{id}" hx-swap="outerHTML">'
                    + self.csrf_field.replace("{", "{{").replace("}", "}}")
                    + '<button type="submit" class="reaction{on_class}" aria-pressed="{pressed}">'
                    + escape(label).replace("{", "{{").replace("}", "}}")
                    + "{count}</button></form>"
                )  # fmt: skip
                self._reaction_forms.append((kind, label, fixed))
        return self._reaction_forms

    def reply_url(self, thread) -> str:
        if thread.pk not in self._reply:
            self._reply[thread.pk] = reverse(
                "forums:reply", args=[thread.community.slug, thread.public_id]
            )
        return self._reply[thread.pk]

    @staticmethod
    def fill(template: str, post_id: str, kind: str = "") -> str:
        return template.replace(_POST, post_id).replace(_KIND, kind)


def post_links(request) -> PostLinks:
    links = getattr(request, "_haven_post_links", None)
    if links is None:
        links = request._haven_post_links = PostLinks(request)
    return links


@register.simple_tag(takes_context=True)
def reactions(context, post, counts, mine) -> str:
    """The reaction buttons of a post: plain forms (they work without JavaScript) that htmx
    turns into in-place updates. The author sees the counts only."""
    request = context["request"]
    links = post_links(request)
    counts, mine = counts or {}, mine or ()
    own = post.author_id == request.user.pk
    post_id = escape(post.public_id)
    items = []
    for kind, label, form in links.reaction_forms():
        n = int(counts.get(kind, 0))
        if own:
            if n:
                items.append(
                    format_html(
                        '<span class="reaction reaction--readonly">{} · {}</span>', label, n
                    )
                )
            continue
        on = kind in mine
        items.append(
            form.format(
                id=post_id,
                on_class=" reaction--on" if on else "",
                pressed="true" if on else "false",
                count=f" · {n}" if n else "",
            )
        )
    return mark_safe(  # noqa: S308 (the forms escaped once a page, the id here; n is a number)
        f'<div class="reactions" id="reactions-{post_id}">{"".join(items)}</div>'
    )


@register.simple_tag(takes_context=True)
def post_actions(context, post) -> str:
    """Reply (a form in a <details>, so it works without JavaScript), edit, delete, report."""
    request, thread = context["request"], context["thread"]
    links = post_links(request)
    own = post.author_id == request.user.pk
    can_moderate = context.get("can_moderate", False)
    parts = []
    if not thread.is_locked or can_moderate:
        parts.append(
            format_html(
                '<details class="reply-to"><summary>{summary}</summary>'
                '<form method="post" action="{action}" class="form">{csrf}'
                '<input type="hidden" name="parent" value="{id}">'
                '<label for="reply-body-{id}">{body_label}</label>'
                '<textarea name="body" id="reply-body-{id}" rows="3" maxlength="20000" required>'
                "</textarea>"
                '<div class="field--checkbox"><input type="checkbox" name="is_anonymous" '
                'id="reply-anon-{id}"> <label for="reply-anon-{id}">{anonymous_label}</label></div>'
                '<button type="submit">{send}</button></form></details>',
                action=links.reply_url(thread),
                csrf=links.csrf_field,
                id=post.public_id,
                summary=pgettext("verb: reply to a post", "Reply"),
                body_label=_("Your reply"),
                anonymous_label=_("Reply anonymously"),
                send=_("Send reply"),
            )
        )
    if own:
        parts.append(
            format_html('<a href="{}">{}</a>', links.fill(links.edit, post.public_id), _("Edit"))
        )
    if own or can_moderate:
        parts.append(
            format_html(
                '<a href="{}">{}</a>', links.fill(links.delete, post.public_id), _("Delete")
            )
        )
    if not own:
        parts.append(
            format_html(
                '<a href="{}">{}</a>',
                links.fill(links.report, post.public_id),
                pgettext("verb: report a post", "Report"),
            )
        )
    return format_html(
        '<div class="post-actions">{}</div>',
        mark_safe("\n".join(parts)),  # noqa: S308 (each part built with format_html above)
    )


@register.simple_tag(takes_context=True)
def reply_tree(context, nodes) -> str:
    """A thread page's replies and their answers, in one pass: as a template included once per
    reply, the tree was most of a 100-reply page's time."""
    viewer_filters = member_filters.viewer_filters_of(context)
    notice = context.template.engine.get_template("moderation/_state_notice.html")
    parts: list[str] = []
    # The same words for every reply: looked up once.
    reply_label = pgettext("noun: a reply to a post", "Reply")
    deleted = format_html('<p class="meta deleted">{}</p>', _("This reply was deleted."))
    not_shown = format_html('<p class="meta deleted">{}</p>', _("This reply is not shown."))
    blocked_open = format_html(
        '<details class="muted-item blocked-reply"><summary><span '
        'class="muted-item__note">{}</span> '
        '<span class="muted-item__show">{}</span></summary>',
        _("A reply from someone you blocked."),
        pgettext("reveal hidden content", "Show"),
    )
    edited = " · " + pgettext("a post was edited", "edited")

    def render(node) -> None:
        post = node.post
        parts.append(
            format_html(
                '<article class="post depth-{}" id="post-{}" aria-label="{}">',
                post.depth,
                post.public_id,
                reply_label,
            )
        )
        if post.is_deleted:
            parts.append(deleted)
        elif node.placeholder:
            parts.append(not_shown)
        else:
            # Someone the reader blocked: folded, not removed, so the answers below keep their
            # place.
            blocked = viewer_filters.is_blocked(post.author_id, is_anonymous=post.is_anonymous)
            if blocked:
                parts.append(blocked_open)
            parts.append(
                format_html(
                    '<p class="meta">{} · {}{}</p>',
                    post_author(context, post),
                    post_time(context, post),
                    edited if post.edited_at else "",
                )
            )
            if post.moderation_state != ModerationState.VISIBLE or post.safety_labels:
                with context.push(content=post, kind="post"):
                    parts.append(notice.render(context))
            # body_html is stored sanitised (haven.core.markdown) when the post is written.
            parts.append(format_html('<div class="prose">{}</div>', mark_safe(post.body_html)))  # noqa: S308
            if post.is_visible:
                parts.append(reactions(context, post, node.reaction_counts, node.my_reactions))
                parts.append(post_actions(context, post))
            if blocked:
                parts.append("</details>")
        if node.children:
            parts.append('<div class="replies">')
            for child in node.children:
                render(child)
            parts.append("</div>")
        parts.append("</article>")

    for node in nodes:
        render(node)
    return mark_safe("\n".join(parts))  # noqa: S308 (every part escaped where it was built)


@register.simple_tag(takes_context=True)
def thread_cards(context, threads, show_community: bool = False) -> str:
    """The cards of a feed or a community page, in one pass (as a template, 20 cards were half
    of the home page's time). The reader's mutes fold a card; content warnings show as the
    reader chose (haven.accounts.preferences)."""
    viewer_filters = member_filters.viewer_filters_of(context)
    display = viewer_filters.content_warning_display
    parts = ['<ol class="thread-list">']
    community_urls: dict[int, str] = {}
    for thread in threads:
        opening = thread.first_post
        tags = list(thread.tags.all())
        reason = viewer_filters.hidden_reason(
            themes=thread.themes or (),
            tags=[tag.slug for tag in tags],
            author_id=opening.author_id,
            is_anonymous=opening.is_anonymous,
        )
        parts.append('<li class="card thread-summary">')
        if reason:
            parts.append(
                format_html(
                    '<details class="muted-item"><summary><span class="muted-item__note">{}</span> '
                    '<span class="muted-item__show">{}</span></summary>',
                    format_html(_("Hidden: {reason}."), reason=reason),
                    pgettext("reveal hidden content", "Show"),
                )
            )
        pinned = (
            format_html('<span class="pill">{}</span> ', _("Pinned")) if thread.is_pinned else ""
        )
        parts.append(
            format_html(
                '<h2 class="thread-summary__title"><a href="{}">{}{}</a></h2>',
                thread.get_absolute_url(),
                pinned,
                thread.title,
            )
        )
        parts.append(_card_excerpt(thread, display))
        # A feed's cards share a few communities: one reversal each.
        if thread.community_id not in community_urls:
            community_urls[thread.community_id] = thread.community.get_absolute_url()
        community_url = community_urls[thread.community_id]
        parts.append(_card_meta(context, thread, community_url if show_community else None))
        if tags:
            parts.append(
                format_html(
                    '<ul class="tags" aria-label="{}">{}</ul>',
                    _("Tags"),
                    mark_safe(  # noqa: S308 (each item built with format_html)
                        "".join(
                            format_html('<li><a href="{}?tag={}">{}</a></li>', community_url,
                                        tag.slug, tag.slug)
                            for tag in tags
                        )
                    ),
                )
            )  # fmt: skip
        if reason:
            parts.append("</details>")
        parts.append("</li>")
    if len(parts) == 1:
        parts.append(
            format_html(
                '<li class="empty-state"><p class="empty-state__title">{}</p><p>{}</p></li>',
                _("No threads here yet."),
                _("Starting one takes a minute, and someone else may be glad you did."),
            )
        )
    parts.append("</ol>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every part escaped where it was built)


def _card_excerpt(thread, display: str) -> str:
    """The opening words, held behind the content warning unless the reader chose to see them."""
    warning = thread.content_warning
    badge = format_html(_("Content warning: {warning}"), warning=warning) if warning else ""
    if not thread.first_post.is_visible:
        return format_html('<p class="cw-badge">{}</p>', badge) if warning else ""
    excerpt = _excerpt(thread.first_post.body_html)
    if not warning:
        return format_html('<p class="excerpt">{}</p>', excerpt)
    if display == "show":
        return format_html('<p class="cw-badge">{}</p><p class="excerpt">{}</p>', badge, excerpt)
    if display == "hide":
        return format_html(
            '<details class="cw-excerpt cw-hidden"><summary><span class="meta">{}</span> '
            '<span class="muted-item__show">{}</span></summary>'
            '<p class="cw-badge">{}</p><p class="excerpt">{}</p></details>',
            _("Hidden: this post has a content warning."),
            pgettext("reveal hidden content", "Show"),
            badge,
            excerpt,
        )
    # Held back until the reader chooses to open it.
    return format_html(
        '<details class="cw-excerpt"><summary><span class="cw-badge">{}</span> '
        '<span class="meta">{}</span></summary><p class="excerpt">{}</p></details>',
        badge,
        _("Show a preview"),
        excerpt,
    )


@lru_cache(maxsize=512)  # a feed shows the same openings to everyone, page after page
def _excerpt(body_html: str) -> str:
    return Truncator(strip_tags(body_html)).words(32, truncate=" …")


def _card_meta(context, thread, community_url: str | None) -> str:
    """The card's byline; `community_url` names the community too (in a feed of several)."""
    parts = [post_author(context, thread.first_post)]
    if community_url:
        parts.append(
            format_html(
                " " + _('in <a href="{url}">{community}</a>'),
                url=community_url,
                community=thread.community.name,
            )
        )
    parts.append(format_html(" · {}", post_time(context, thread.first_post, thread.created_at)))
    count = thread.reply_count
    if count:
        parts.append(
            format_html(" · " + ngettext("{count} reply", "{count} replies", count), count=count)
        )
    else:
        parts.append(format_html(' · <strong class="no-replies">{}</strong>', _("no replies yet")))
    if thread.reaction_count:
        parts.append(
            format_html(
                " · "
                + ngettext("{count} sent support", "{count} sent support", thread.reaction_count),
                count=thread.reaction_count,
            )
        )
    if count:
        parts.append(format_html(" · " + _("last reply {time}"), time=ago(thread.last_activity_at)))
    if thread.is_locked:
        parts.append(format_html(" · {}", pgettext("a thread is locked", "locked")))
    return format_html(
        '<p class="meta">{}</p>',
        mark_safe("".join(parts)),  # noqa: S308 (each part built with format_html)
    )
