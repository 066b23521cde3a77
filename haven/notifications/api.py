"""Notifications in the JSON API."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from haven.api.auth import member_auth
from haven.api.schemas import PageNumber, PageOf, paginate
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
    kind: Literal["reply", "reaction", "follow", "urgent", "moderation", "chat", "reminder", "care"]
    text: str
    actor_label: str
    url: str
    thread_id: int | None
    post_id: int | None
    created_at: datetime
    is_read: bool


class NotificationPageOut(PageOf):
    items: list[NotificationOut]
    unread: int


class MarkReadIn(Schema):
    ids: list[int] | None = Field(default=None, max_length=500, description="All when omitted.")


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
                "thread_id": n.thread_id,
                "post_id": n.post_id,
                "created_at": n.created_at,
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
