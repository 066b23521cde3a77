"""Direct messages between members: a request the recipient accepts before any text shows."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.content import ModerationState

DIRECT_MESSAGE_MAX_LENGTH = 2000


class DirectThread(models.Model):
    """Two members' conversation. It starts as a request; until the recipient accepts, they see
    only who asked, never the text."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="direct_threads_started"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="direct_threads_received"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "recipient"], name="one_direct_thread"),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="direct_thread_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"direct thread {self.pk}"

    def participant_ids(self) -> set[int]:
        return {self.sender_id, self.recipient_id}

    def other_id(self, user_id: int) -> int:
        return self.recipient_id if user_id == self.sender_id else self.sender_id

    def other_of(self, user):
        return self.recipient if user.pk == self.sender_id else self.sender

    @property
    def was_accepted(self) -> bool:
        """Accepted once (it may have closed since): only then may the recipient read it."""
        return self.answered_at is not None and self.status in (
            self.Status.ACCEPTED,
            self.Status.CLOSED,
        )


class DirectMessage(models.Model):
    thread = models.ForeignKey(DirectThread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=DIRECT_MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    safety_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "sender", "client_id"], name="one_direct_message_per_client_id"
            )
        ]

    def __str__(self) -> str:
        return f"direct message {self.pk}"

    # Moderation's queue names whose words an item is about by `author`.
    @property
    def author(self):
        return self.sender

    @property
    def author_id(self) -> int | None:
        return self.sender_id
