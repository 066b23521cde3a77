"""Keyset ("older / newer") pagination for long lists that people read from the top: the feeds
and a community's threads.

A numbered page costs an exact COUNT of every row that could be shown, and an OFFSET that
reads every row before the page: both grow with the community (17-20 ms a page at 200,000
posts). Here a page is "the next N rows after this one" in the list's own order, read from the
index that serves the order, so the last page costs what the first does. The cursor is the
position of a page's first or last row: the values of the ordering's fields, base64 JSON in
the URL (?after= / ?before=). A cursor someone edited by hand only gives another position or
the first page, never another person's rows: the queryset's own filters still apply.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet

# Django's own row-value lookups (behind composite primary keys since 5.2).
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import HttpRequest

MAX_CURSOR_LENGTH = 200


@dataclass
class KeysetPage:
    """One page of a list, with the cursors of the pages on either side (None: no such page)."""

    object_list: list
    newer: str | None
    older: str | None

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older)


def _ordering(queryset: QuerySet) -> list[tuple[str, bool]]:
    """(field, descending) of the queryset's explicit order_by, which must end on a unique
    field (the id) so that every row has one position."""
    fields = [(name.lstrip("-"), name.startswith("-")) for name in queryset.query.order_by]
    if not fields or fields[-1][0] not in ("id", "pk"):
        raise ValueError("Keyset pages need an ordering that ends with the id.")
    if len({descending for _name, descending in fields}) > 1:
        raise ValueError("Keyset pages need every field of the ordering in one direction.")
    return fields


def _encode(values: list[Any]) -> str:
    text = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, ordering: list[tuple[str, bool]], model) -> list[Any] | None:
    """The values a cursor holds, typed as the model's fields; None when it is not one."""
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(ordering):
            return None
        typed = []
        for (name, _descending), value in zip(ordering, values, strict=True):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            value = field.to_python(value)
            if isinstance(value, datetime) and value.tzinfo is None:
                return None  # the cursors written here carry their offset
            typed.append(value)
        return typed
    except (ValueError, TypeError, binascii.Error, LookupError, ValidationError):
        return None


def _beyond(ordering: list[tuple[str, bool]], values: list[Any], forwards: bool):
    """Rows after (forwards) or before the position `values`, as one row-value comparison,
    (a, b, id) < (x, y, z), which PostgreSQL and SQLite answer by seeking in the index that
    serves the order (an OR of column comparisons would be filtered row by row instead)."""
    descending = ordering[0][1]
    lookup = TupleLessThan if descending == forwards else TupleGreaterThan
    return lookup(Tuple(*(F(name) for name, _descending in ordering)), tuple(values))


def _position(row, ordering: list[tuple[str, bool]]) -> list[Any]:
    return [getattr(row, name) for name, _descending in ordering]


def keyset_page(request: HttpRequest, queryset: QuerySet, per_page: int) -> KeysetPage:
    """The page after ?after=, before ?before=, or the first; each a query of per_page + 1
    rows (the extra one says whether there is more)."""
    ordering = _ordering(queryset)
    model = queryset.model
    after = _decode(request.GET.get("after", ""), ordering, model)
    before = None if after else _decode(request.GET.get("before", ""), ordering, model)
    if before is not None:
        reversed_order = [f"{'' if descending else '-'}{name}" for name, descending in ordering]
        rows = list(
            queryset.filter(_beyond(ordering, before, forwards=False)).order_by(*reversed_order)[
                : per_page + 1
            ]
        )
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        if not rows:  # nothing newer than that any more: the first page
            return keyset_page_first(queryset, ordering, per_page)
        return KeysetPage(
            rows,
            newer=_encode(_position(rows[0], ordering)) if more_before else None,
            older=_encode(_position(rows[-1], ordering)),
        )
    if after is not None:
        rows = list(queryset.filter(_beyond(ordering, after, forwards=True))[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        return KeysetPage(
            rows,
            newer=_encode(_position(rows[0], ordering)) if rows else _encode(after),
            older=_encode(_position(rows[-1], ordering)) if more else None,
        )
    return keyset_page_first(queryset, ordering, per_page)


def keyset_page_first(queryset: QuerySet, ordering, per_page: int) -> KeysetPage:
    rows = list(queryset[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows, newer=None, older=_encode(_position(rows[-1], ordering)) if more else None
    )
