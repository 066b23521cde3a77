"""Accounts in the JSON API: sign-up, tokens, the guidelines, the profile, export, deletion."""

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from haven.accounts import actions
from haven.accounts.api_auth import member_auth, member_auth_guidelines_exempt, token_auth
from haven.accounts.device_signals import do_record_request_signals
from haven.accounts.forms import (
    MAX_TOPICS,
    deletion_confirmed,
    deletion_not_confirmed,
    parse_topics,
)
from haven.accounts.gates import check_login_allowed
from haven.accounts.guidelines import current_guidelines
from haven.accounts.language import signup_language
from haven.accounts.lockout import lockout_message
from haven.accounts.models import PSEUDONYM_MAX_LENGTH, ApiToken, User
from haven.accounts.permissions import access_member_by_pseudonym, check_edit_profile
from haven.accounts.personal_data import export_user_data
from haven.accounts.rate_limits import check_rate_limit, count_towards_rate_limit
from haven.accounts.tokens import (
    access_api_token_by_id,
    do_create_api_token,
    do_revoke_api_token,
    tokens_of,
)
from haven.accounts.two_factor import requires_two_factor, verify_code_for
from haven.core.api_schemas import InputSchema, MemberText, PlainText, Secret, Version
from haven.core.language import is_offered
from haven.safety.countries import COUNTRIES
from haven.safety.screening import TextNeedsReviewChoice

router = Router(tags=["accounts"])


class SignupIn(InputSchema):
    pseudonym: PlainText(PSEUDONYM_MAX_LENGTH, pattern=r"^[A-Za-z0-9_-]{3,30}$")
    password: Secret(200, min_length=1)
    email: PlainText(254) = ""
    accept_guidelines: bool = Field(description="Must be true: the guidelines in force.")


class TokenIn(InputSchema):
    pseudonym: PlainText(PSEUDONYM_MAX_LENGTH)
    password: Secret(200)
    name: PlainText(60) = "app"
    # Therapists, moderators and admins: a code from their authenticator or a backup code.
    code: PlainText(20) = ""


class TokenOut(Schema):
    token: str
    pseudonym: str


class TokenInfoOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool = Field(description="True for the token this request was made with.")


def token_info(token: ApiToken, current: ApiToken | None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "current": current is not None and current.pk == token.pk,
    }


class GuidelinesOut(Schema):
    version: int
    body: str = Field(description="In the reader's language where translated, else the original.")
    language: str
    published_at: datetime
    accepted: bool | None = Field(description="Null when not signed in.")


class AcceptIn(InputSchema):
    version: Version


class MeOut(Schema):
    pseudonym: str
    role: str
    bio: str
    topics: list[str]
    country: str
    language: str = Field(description="Haven's language for this member; empty: the device's.")
    email: str = Field(description="Only ever shown to its owner.")
    guidelines_version: int
    date_joined: datetime


class MeIn(InputSchema):
    bio: MemberText(300, required=False) | None = None
    topics: list[MemberText(30)] | None = Field(default=None, max_length=MAX_TOPICS)
    country: PlainText(2) | None = None
    language: PlainText(8) | None = Field(
        None, description="One of the offered language codes (en, es), or empty for the device's."
    )
    email: PlainText(254) | None = None


class MemberOut(Schema):
    pseudonym: str
    role: str
    bio: str
    topics: list[str]
    follower_count: int
    following_count: int


class DeleteAccountIn(InputSchema):
    password: Secret(200) | None = Field(
        None, description="The account's password. Required unless the account has none."
    )
    confirm: PlainText(PSEUDONYM_MAX_LENGTH) | None = Field(
        None,
        description="An account without a password (quick start) types its pseudonym or DELETE.",
    )
    content: Literal["erase", "keep"]


def _validate_email(email: str) -> str:
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise HttpError(422, _("That e-mail address doesn't look right.")) from None
    return email


def me_out(user: User) -> dict[str, Any]:
    return {
        "pseudonym": user.pseudonym,
        "role": user.role,
        "bio": user.bio,
        "topics": user.topics,
        "country": user.country,
        "language": user.language,
        "email": user.email,
        "guidelines_version": user.guidelines_version,
        "date_joined": user.date_joined,
    }


@router.post("/auth/signup", response={201: TokenOut}, auth=None)
def signup(request: HttpRequest, payload: SignupIn):
    guidelines = current_guidelines()
    if not payload.accept_guidelines:
        raise HttpError(422, _("Please read and accept the community guidelines to join."))
    if User.objects.filter(pseudonym__iexact=payload.pseudonym).exists():
        raise HttpError(409, _("That pseudonym is taken. How about another one?"))
    email = _validate_email(payload.email.strip())
    try:
        password_validation.validate_password(
            payload.password, User(pseudonym=payload.pseudonym, email=email)
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    # Only accounts made count: a refused sign-up costs nothing (haven.accounts.views.signup).
    check_rate_limit(request, "signup")
    user = actions.do_create_user(
        payload.pseudonym,
        payload.password,
        email=email,
        guidelines_version=guidelines.version if guidelines else 0,
        language=signup_language(),
    )
    count_towards_rate_limit(request, "signup")
    do_record_request_signals(request, user)  # for moderators' ban-evasion signals
    return Status(201, {"token": do_create_api_token(user), "pseudonym": user.pseudonym})


@router.post("/auth/token", response=TokenOut, auth=None)
def create_token(request: HttpRequest, payload: TokenIn):
    # authenticate() with the request lets django-axes count failures and lock out guessing,
    # on the same counters as the login form (haven.accounts.lockout).
    user = authenticate(request, username=payload.pseudonym, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise HttpError(429, lockout_message())
        raise HttpError(401, _("That pseudonym and password don't match."))
    check_login_allowed(user)
    needs_code = requires_two_factor(user)
    if needs_code and not verify_code_for(user, payload.code):
        raise HttpError(
            401,
            _(
                "Your role needs two-factor authentication: send the code from your "
                "authenticator app (or a backup code) as `code`."
            ),
        )
    do_record_request_signals(request, user)  # for moderators' ban-evasion signals
    return {
        "token": do_create_api_token(user, name=payload.name, with_two_factor=needs_code),
        "pseudonym": user.pseudonym,
    }


@router.delete("/auth/token", response={204: None}, auth=member_auth_guidelines_exempt)
def revoke_token(request: HttpRequest):
    api_token = getattr(request, "api_token", None)
    if api_token is None:
        raise HttpError(400, _("This request was not made with a token."))
    do_revoke_api_token(api_token)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenInfoOut], auth=member_auth_guidelines_exempt)
def list_tokens(request: HttpRequest):
    """Your apps' tokens that still work: never the token itself, which only its app holds."""
    current = getattr(request, "api_token", None)
    return [token_info(token, current) for token in tokens_of(request.user)]


@router.delete("/me/tokens/{token_id}", response={204: None}, auth=member_auth_guidelines_exempt)
def delete_token(request: HttpRequest, token_id: int):
    do_revoke_api_token(access_api_token_by_id(request.user, token_id))
    return Status(204, None)


@router.get("/guidelines", response=GuidelinesOut, auth=None)
def get_guidelines(request: HttpRequest):
    guidelines = current_guidelines()
    if guidelines is None:
        raise HttpError(404, _("No guidelines have been published yet."))
    user = _optional_user(request)
    text = guidelines.in_reader_language
    return {
        "version": guidelines.version,
        "body": text.body,
        "language": text.language,
        "published_at": guidelines.published_at,
        "accepted": None if user is None else user.guidelines_version >= guidelines.version,
    }


def _optional_user(request: HttpRequest) -> User | None:

    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return token_auth.authenticate(request, header[7:].strip())
    return None


@router.post("/guidelines/accept", response=GuidelinesOut, auth=member_auth_guidelines_exempt)
def accept_guidelines(request: HttpRequest, payload: AcceptIn):
    guidelines = current_guidelines()
    if guidelines is None or payload.version != guidelines.version:
        raise HttpError(409, _("Those are not the guidelines in force. Please reload them."))
    actions.do_accept_guidelines(request.user, guidelines.version)
    return get_guidelines(request)


@router.get("/me", response=MeOut, auth=member_auth)
def get_me(request: HttpRequest):
    return me_out(request.user)


@router.patch("/me", response=MeOut, auth=member_auth)
def update_me(request: HttpRequest, payload: MeIn):
    check_edit_profile(request.actor)
    user = request.user
    country = user.country if payload.country is None else payload.country.upper()
    if country and country not in COUNTRIES:
        raise HttpError(422, _("Please use a two-letter country code we know, or leave it empty."))
    if payload.language is not None and payload.language and not is_offered(payload.language):
        raise HttpError(422, _("Please use a language Haven offers (en, es), or leave it empty."))
    try:
        _update_profile(user, payload, country)
    except TextNeedsReviewChoice:
        raise HttpError(
            422, _("This may hurt someone, so it can't go on your profile. Please change it.")
        ) from None
    return me_out(user)


def _update_profile(user: User, payload: MeIn, country: str) -> None:
    actions.do_update_profile(
        user,
        bio=user.bio if payload.bio is None else payload.bio,
        topics=user.topics if payload.topics is None else parse_topics(",".join(payload.topics)),
        country=country,
        email=user.email if payload.email is None else _validate_email(payload.email.strip()),
    )
    if payload.language is not None:
        actions.do_set_language(user, payload.language)


@router.get(
    "/me/export",
    response=dict[str, Any],
    auth=member_auth_guidelines_exempt,
    summary="Everything Haven holds about you",
)
def export_me(request: HttpRequest) -> dict[str, Any]:
    return export_user_data(request.user)


@router.post("/me/delete", response={204: None}, auth=member_auth_guidelines_exempt)
def delete_me(request: HttpRequest, payload: DeleteAccountIn):
    if request.user.has_usable_password():
        if payload.password is None or not request.user.check_password(payload.password):
            raise HttpError(403, _("That password is not right."))
    elif not deletion_confirmed(request.user, payload.confirm or ""):
        raise HttpError(403, deletion_not_confirmed())
    actions.do_delete_account(request.user, erase_content=payload.content == "erase")
    return Status(204, None)


@router.get("/members/{pseudonym}", response=MemberOut, auth=member_auth)
def get_member(request: HttpRequest, pseudonym: str):
    member = access_member_by_pseudonym(request.user, pseudonym)
    return {
        "pseudonym": member.pseudonym,
        "role": member.role,
        "bio": member.bio,
        "topics": member.topics,
        "follower_count": member.followers.filter(status="accepted").count(),
        "following_count": member.following.filter(status="accepted").count(),
    }
