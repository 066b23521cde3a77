"""Types shared by the API's schemas."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext, gettext_noop
from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    Strict,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from haven.core.text import check_storable, clean_text


def _must_be_true(value: bool) -> bool:
    if value is not True:
        raise ValueError(gettext("Please confirm this (true) to go on."))
    return value


# A confirmation the member must give (the room's rules read): true, and only true; a
# Literal[True] would let 1 through, as 1 == True.
Confirmed = Annotated[bool, AfterValidator(_must_be_true)]


class InputSchema(Schema):
    """The base of every request body: the documented shape, and nothing else.

    Strict: true is not 1, "3" is not 3, a string is not a list. No attribute reading: ninja's
    Schema reads attributes (for Django objects going out), which made "hello", 123 or
    [null, null] into an empty, valid body; here anything but a JSON object is a 422. Unknown
    keys are refused too, so a misspelt field is never silently ignored.
    """

    model_config = ConfigDict(strict=True, from_attributes=False, extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler, info: ValidationInfo
    ) -> Any:
        # Replaces ninja's wrapper, which would read any object's attributes as fields.
        return handler(values)


def _clean(value: Any) -> Any:
    # Anything but a string is left to the strict str check, which names the right problem.
    if not isinstance(value, str):
        return value
    try:
        return clean_text(value, field=gettext_noop("The text"))
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None


def _storable(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return check_storable(value, field=gettext_noop("The text"))
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None


def _as_sent_within(max_length: int) -> BeforeValidator:
    """The documented maxLength holds for the text as sent, too: cleaning can only shorten a
    text padded with spaces, so without this a longer body than the schema allows is accepted.
    (Pydantic runs the last BeforeValidator of an Annotated type first.)"""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return value

    return BeforeValidator(check)


def MemberText(max_length: int, *, required: bool = True) -> Any:
    """A member's text: valid Unicode, NFC, trimmed, THEN within limits (not blank if required).

    Normalising first matters: NFC can lengthen a text (U+0344 becomes two characters), so a
    length checked before it lets through text longer than the column (a 500 on PostgreSQL).
    """
    return Annotated[
        str,
        Field(min_length=1 if required else 0, max_length=max_length),
        BeforeValidator(_clean),
        _as_sent_within(max_length),
    ]


CleanText = MemberText


def PlainText(max_length: int, *, min_length: int = 0, pattern: str | None = None) -> Any:
    """A short identifier-like text (pseudonym, e-mail, code): cleaned like MemberText."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, pattern=pattern),
        BeforeValidator(_clean),
        _as_sent_within(max_length),
    ]


def Secret(max_length: int, *, min_length: int = 0) -> Any:
    """A password: kept exactly as typed (never normalised), but storable and hashable."""
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), BeforeValidator(_storable)
    ]


def _json_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(gettext("This must be a number."))
    return value


def _json_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(gettext("This must be a date and time, e.g. 2026-05-04T09:30:00Z."))
    return value


# JSON has no decimal or datetime type: these arrive as numbers or strings, which strict mode
# would refuse, so each is parsed leniently from exactly its documented JSON shapes.
def JsonDecimal(**constraints: Any) -> Any:
    return Annotated[Decimal, Strict(False), Field(**constraints), BeforeValidator(_json_number)]


JsonDateTime = Annotated[datetime, Strict(False), BeforeValidator(_json_datetime)]


def paginate(queryset, page: int, per_page: int | None = None) -> tuple[list, dict]:
    """One page of any sequence, with the numbers a client needs to ask for the next."""
    paginator = Paginator(queryset, per_page or settings.HAVEN_PAGE_SIZE)
    current = paginator.get_page(page)
    return list(current.object_list), {
        "count": paginator.count,
        "page": current.number,
        "num_pages": paginator.num_pages,
    }


class Message(Schema):
    detail: str


class AuthorOut(Schema):
    pseudonym: str


class PageOf(Schema):
    count: int
    page: int
    num_pages: int


PageNumber = Annotated[int, Field(ge=1, le=100_000)]
# A row id (or a version number) sent in a body: within the columns' range, so a huge number is a
# 422 and never an overflow in the database driver.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A thread's, post's or update's public id (haven.core.public_ids): URL-safe, never a pk.
PublicId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Version = Annotated[int, Field(ge=1, le=32_767)]
