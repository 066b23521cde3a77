"""Notifications in the JSON API."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from haven.accounts.api_auth import member_auth
from haven.core.api_schemas import InputSchema, PageNumber, PageOf, RowId, paginate
from haven.core.public_ids import coarse_time
from haven.notifications.actions import (
    do_mark_notifications_read,
    filter_notifications_for,
    unread_count,
)
from haven.notifications.display import actor_label, notification_text, notification_url
from haven.notifications.permissions import check_mark_notifications_read

router = Router(auth=member_auth, tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: Literal[
        "reply", "reaction", "follow", "urgent", "moderation", "chat", "reminder", "care",
        "update_reply", "unanswered",
    ]  # fmt: skip
    text: str
    actor_label: str
    url: str
    thread_id: str | None = Field(description="The thread's public id.")
    post_id: str | None = Field(description="The post's public id.")
    created_at: datetime
    is_read: bool


class NotificationPageOut(PageOf):
    items: list[NotificationOut]
    unread: int


class MarkReadIn(InputSchema):
    ids: list[RowId] | None = Field(default=None, max_length=500, description="All when omitted.")


class MarkedOut(Schema):
    marked: int
    unread: int


@router.get("/notifications", response=NotificationPageOut)
def list_notifications(request: HttpRequest, page: PageNumber = 1):
    items, meta = paginate(filter_notifications_for(request.user), page)
    return {
        **meta,
        "unread": unread_count(request.user),
        "items": [
            {
                "id": n.pk,
                "kind": n.kind,
                "text": notification_text(n),
                "actor_label": actor_label(n),
                "url": notification_url(n),
                "thread_id": n.thread.public_id if n.thread_id else None,
                "post_id": n.post.public_id if n.post_id else None,
                # An anonymous writer's exact time could link them to their named posts.
                "created_at": coarse_time(n.created_at) if n.actor_is_anonymous else n.created_at,
                "is_read": n.read_at is not None,
            }
            for n in items
        ],
    }


@router.post("/notifications/read", response=MarkedOut)
def mark_read(request: HttpRequest, payload: MarkReadIn):
    check_mark_notifications_read(request.actor)
    marked = do_mark_notifications_read(request.user, payload.ids)
    return {"marked": marked, "unread": unread_count(request.user)}
