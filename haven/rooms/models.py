"""Group support rooms (live topic chat with hosts) and the sharing circles scheduled in them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.core.content import ModerationState

ROOM_MESSAGE_MAX_LENGTH = 1000
ROOM_TITLE_MAX_LENGTH = 80
ROOM_TOPIC_MAX_LENGTH = 300


class Room(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status of a support room", "Open")
        SCHEDULED = "scheduled", _("Opens for its circle")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=ROOM_TITLE_MAX_LENGTH)
    topic = models.CharField(max_length=ROOM_TOPIC_MAX_LENGTH)
    rules = models.TextField(blank=True, help_text="Shown to everyone on entry.")
    # In an anonymous room members appear under a per-room name ("Guest 7"), not their pseudonym.
    is_anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    community = models.ForeignKey(
        "communities.Community", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="rooms",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(default=25)
    # Seconds a member waits between messages (0: off); hosts set it.
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    pinned_message = models.ForeignKey(
        "RoomMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["status", "-last_message_at"])]

    def __str__(self) -> str:
        return self.title


class RoomMember(models.Model):
    """A member's place in a room: their role, their name in an anonymous room, and a host's
    mute or removal."""

    class Role(models.TextChoices):
        HOST = "host", pgettext_lazy("role: the person looking after a support room", "Host")
        MEMBER = "member", _("Member")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_places"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    alias = models.CharField(max_length=40, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="one_place_per_room")]

    def __str__(self) -> str:
        return f"{self.user_id} in room {self.room_id}"


class RoomMessage(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Chosen by the sending client: a retry after a lost acknowledgement is stored once.
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=ROOM_MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    safety_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="one_room_message_per_client_id"
            )
        ]
        indexes = [
            models.Index(fields=["created_at"]),
            # A room's talk after the last id a client saw (history, resume, the API).
            models.Index(fields=["room", "id"], name="room_message_room_id"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in room {self.room_id}"


class Circle(models.Model):
    """A scheduled sharing circle: its room opens shortly before it starts."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=ROOM_TITLE_MAX_LENGTH)
    topic = models.CharField(max_length=ROOM_TOPIC_MAX_LENGTH)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    size_limit = models.PositiveSmallIntegerField(default=12)
    is_anonymous = models.BooleanField(default=False)
    room = models.OneToOneField(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="circle"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class CircleSignup(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_signups"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.GOING)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_signup_per_circle")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} for circle {self.circle_id}"
