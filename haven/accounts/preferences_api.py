"""Filters and blocking in the JSON API: the same checks and actions as the filters page."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.accounts.models import MemberPreferences, TrustLevel, User
from haven.accounts.permissions import access_member_by_pseudonym
from haven.accounts.preferences import (
    MAX_MUTED_TAGS,
    blocked_members,
    check_block_member,
    check_change_preferences,
    do_block,
    do_save_preferences,
    do_unblock,
    preferences_of,
)
from haven.accounts.preferences_forms import TAG_MAX_LENGTH, parse_muted_tags
from haven.core.api_schemas import InputSchema, PlainText
from haven.core.themes import THEMES, THEMES_BY_KEY

router = Router(auth=member_auth, tags=["preferences"])

ThemeKey = Literal[tuple(THEMES_BY_KEY)]  # type: ignore[valid-type]
WarningDisplayName = Literal["blur", "hide", "show"]
DirectMessagesFromName = Literal["nobody", "following", "level"]


class ThemeOut(Schema):
    key: str
    label: str
    description: str


class PreferencesOut(Schema):
    muted_themes: list[str] = Field(description="Theme keys whose threads and updates fold.")
    muted_tags: list[str]
    content_warning_display: WarningDisplayName = Field(
        description="blur: behind the warning until opened (the default); hide: a one-line "
        "note; show: shown with the warning above."
    )
    direct_messages_from: DirectMessagesFromName
    direct_messages_min_level: int = Field(
        description="With direct_messages_from 'level': the lowest trust level (0-4) that may "
        "write first."
    )
    is_peer_responder: bool = Field(
        description="Offered threads that are still waiting for a first reply."
    )
    blocked: list[str] = Field(description="Pseudonyms of the members you blocked.")
    themes: list[ThemeOut] = Field(description="Every theme that can be muted.")


class PreferencesIn(InputSchema):
    """The whole set of choices: a field left out goes back to its default."""

    muted_themes: list[ThemeKey] = Field(default_factory=list, max_length=len(THEMES))
    muted_tags: list[PlainText(TAG_MAX_LENGTH)] = Field(
        default_factory=list, max_length=MAX_MUTED_TAGS
    )
    content_warning_display: WarningDisplayName = "blur"
    direct_messages_from: DirectMessagesFromName = "following"
    direct_messages_min_level: int = Field(
        default=TrustLevel.MEMBER, ge=min(TrustLevel.values), le=max(TrustLevel.values)
    )
    is_peer_responder: bool = False


class BlockOut(Schema):
    pseudonym: str
    blocked: bool


def preferences_out(user: User, prefs: MemberPreferences) -> dict:
    return {
        "muted_themes": prefs.muted_themes,
        "muted_tags": prefs.muted_tags,
        "content_warning_display": prefs.content_warning_display,
        "direct_messages_from": prefs.direct_messages_from,
        "direct_messages_min_level": prefs.direct_messages_min_level,
        "is_peer_responder": prefs.is_peer_responder,
        "blocked": [block.blocked.pseudonym for block in blocked_members(user)],
        "themes": [
            {"key": theme.key, "label": str(theme.label), "description": str(theme.description)}
            for theme in THEMES
        ],
    }


@router.get("/me/preferences", response=PreferencesOut, summary="Your filters and blocks")
def get_preferences(request: HttpRequest):
    return preferences_out(request.user, preferences_of(request.user))


@router.put("/me/preferences", response=PreferencesOut, summary="Save your filters")
def put_preferences(request: HttpRequest, payload: PreferencesIn):
    check_change_preferences(request.actor)
    try:
        tags = parse_muted_tags(payload.muted_tags)
    except ValueError as problem:
        raise HttpError(422, str(problem)) from None
    prefs = do_save_preferences(
        request.user,
        muted_themes=list(payload.muted_themes),
        muted_tags=tags,
        content_warning_display=payload.content_warning_display,
        direct_messages_from=payload.direct_messages_from,
        direct_messages_min_level=payload.direct_messages_min_level,
        is_peer_responder=payload.is_peer_responder,
    )
    return preferences_out(request.user, prefs)


@router.post(
    "/members/{pseudonym}/block",
    response=BlockOut,
    summary="Block a member (silent: they are not told)",
)
def block(request: HttpRequest, pseudonym: str):
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_block_member(request.actor, member)
    do_block(request.user, member)
    return {"pseudonym": member.pseudonym, "blocked": True}


@router.delete("/members/{pseudonym}/block", response=BlockOut, summary="Unblock a member")
def unblock(request: HttpRequest, pseudonym: str):
    member = access_member_by_pseudonym(request.user, pseudonym)
    check_block_member(request.actor, member)
    do_unblock(request.user, member.pk)
    return {"pseudonym": member.pseudonym, "blocked": False}
