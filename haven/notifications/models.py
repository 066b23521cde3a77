"""In-app notifications. The actor is stored with its anonymity, and shown through it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        REACTION = "reaction", _("Reaction")
        FOLLOW = "follow", _("New follower")
        URGENT = "urgent", _("Urgent item for moderators")
        MODERATION = "moderation", _("A moderator's decision")
        CHAT = "chat", _("A new chat")
        REMINDER = "reminder", _("A check-in reminder")
        CARE = "care", _("Professional care")
        UPDATE_REPLY = "update_reply", _("A reply to your update")
        ROOM = "room", _("Support rooms and sharing circles")
        DIRECT = "direct", _("A direct message")
        UNANSWERED = "unanswered", _("Someone could use a reply")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_is_anonymous = models.BooleanField(default=False)
    thread = models.ForeignKey(
        "forums.Thread", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=40, blank=True)  # e.g. the reaction kind
    message = models.CharField(max_length=600, blank=True)  # a moderator's words to the member
    update = models.ForeignKey(
        "updates.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Where a care notification leads (an appointment, a message thread, a licence).
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            # The notifications page: a member's newest first, whatever was read.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
