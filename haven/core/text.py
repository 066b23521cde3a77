"""Text written by members: validation at the edges and safe Markdown rendering."""

import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from markdown_it import MarkdownIt

# CommonMark without raw HTML: members write Markdown, never markup; nh3 then removes anything
# the renderer could still let through (javascript: links, stray attributes).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    ["strikethrough", "table"]
)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render_markdown(source: str) -> str:
    """Markdown to sanitised HTML. Headings are shifted down so a post never outranks the page."""
    html = _markdown.render(source)
    for level in range(2, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
    )


def check_storable(value: str, *, field: str = "") -> str:
    """Refuse what no database column can hold; the text itself is returned unchanged.

    Lone surrogates (valid JSON, invalid Unicode) and NUL bytes (refused by PostgreSQL) would
    otherwise fail deep inside the database as a 500; here they become a clear message.
    `field` names the text in the message ("Your message"); a name marked for translation is
    said in the language active now.
    """
    if "\x00" in value:
        raise ValidationError(
            gettext("%(field)s contains a null character; please remove it.")
            % {"field": _field_name(field)}
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            gettext("%(field)s contains characters that are not valid text; please retype it.")
            % {"field": _field_name(field)}
        ) from None
    return value


def _field_name(field: str) -> str:
    return gettext(str(field)) if field else gettext("This field")


def clean_text(value: str, *, field: str = "") -> str:
    """Normalise a member's text and refuse what cannot be stored safely.

    Every edge (API schemas, forms, socket messages) calls this BEFORE checking a length: NFC can
    make a text longer (U+0344 becomes two characters), so a length checked first is no limit.
    """
    return unicodedata.normalize("NFC", check_storable(value, field=field)).strip()
