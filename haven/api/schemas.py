"""Types shared by the API's schemas."""

from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from ninja import Schema
from pydantic import AfterValidator, Field

from haven.core.text import clean_text


def _clean(value: str) -> str:
    try:
        return clean_text(value, field="The text")
    except DjangoValidationError as error:
        raise ValueError(error.messages[0]) from None


def _clean_required(value: str) -> str:
    value = _clean(value)
    if not value:
        raise ValueError("This can't be empty.")
    return value


def MemberText(max_length: int, *, required: bool = True):
    """A member's text: within limits, valid Unicode, NFC, trimmed (and not blank if required)."""
    return Annotated[
        str,
        Field(min_length=1 if required else 0, max_length=max_length),
        AfterValidator(_clean_required if required else _clean),
    ]


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
