"""Live 1:1 support: listeners and their training, chat requests, conversations, messages."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.content import ModerationState

MESSAGE_MAX_LENGTH = 2000
REQUEST_MAX_LENGTH = 1000


class ListenerProfile(models.Model):
    class Status(models.TextChoices):
        TRAINING = "training", _("In training")
        LISTENER = "listener", _("Trained listener")
        REVOKED = "revoked", _("No longer a listener")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listener_profile"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TRAINING)
    lessons_completed = models.JSONField(default=list, blank=True)
    passed_quiz_at = models.DateTimeField(null=True, blank=True)
    is_online = models.BooleanField(default=False)
    topics = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    # In the listener's words: what they have been through and how they like to listen. Shown
    # to no one; it only helps match seekers whose request reads alike.
    experience = models.TextField(max_length=1000, blank=True)
    max_chats = models.PositiveSmallIntegerField(default=2)
    last_matched_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"listener profile of {self.user_id} ({self.status})"

    @property
    def is_active_listener(self) -> bool:
        return self.status == self.Status.LISTENER and self.user.is_active


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    score = models.FloatField()
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"quiz attempt {self.pk}: {self.score:.0%}"


class ChatRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a listener")
        OFFERED = "offered", _("Offered to a listener")
        MATCHED = "matched", _("Matched")
        CANCELLED = "cancelled", _("Cancelled")

    # Waiting or offered: the seeker has this request open and may not ask again meanwhile.
    OPEN_STATUSES = (Status.WAITING, Status.OFFERED)

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_requests"
    )
    topics = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, default="en")
    message = models.CharField(max_length=REQUEST_MAX_LENGTH, blank=True)
    safety_labels = models.JSONField(default=list, blank=True)
    # Vetted resources close to the message, found by a job and shown to the seeker alone
    # while they wait. Only the ids are kept, never a vector of the message.
    suggested_resource_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Its place in the queue: a request that goes back (an offer not accepted, a listener who
    # went quiet) keeps the time the seeker first asked.
    created_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(null=True, blank=True)
    # The listener it is offered to, until they accept, pass, leave or the offer runs out.
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="chat_offers",
    )  # fmt: skip
    offered_at = models.DateTimeField(null=True, blank=True)
    # Listeners it was offered to who did not take it (or went quiet): never offered again.
    passed_listener_ids = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "offered_to"]),
        ]

    def __str__(self) -> str:
        return f"chat request {self.pk} ({self.status})"


class Conversation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations_as_seeker",
    )
    listener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations_as_listener",
    )
    request = models.OneToOneField(
        ChatRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversation"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    seeker_last_read_id = models.BigIntegerField(default=0)
    listener_last_read_id = models.BigIntegerField(default=0)
    crisis_flagged = models.BooleanField(default=False)
    # A site moderator who joined an escalated chat as a third participant (audited).
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    moderator_joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["listener", "status"])]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.status})"

    def participant_ids(self) -> set[int]:
        return {i for i in (self.seeker_id, self.listener_id) if i is not None}

    def role_of(self, user) -> str | None:
        return self.role_of_id(user.pk)

    def role_of_id(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id == self.seeker_id:
            return "seeker"
        if user_id == self.listener_id:
            return "listener"
        if user_id == self.moderator_id:
            return "moderator"
        return None


class ChatMessage(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Chosen by the sending client, so a message re-sent after a lost acknowledgement is
    # stored once: the server answers the retry with the message it already has.
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState.choices, default=ModerationState.VISIBLE
    )
    safety_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"], name="one_message_per_client_id"
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in conversation {self.conversation_id}"


class ChatFeedback(models.Model):
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField()
    feedback = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.rating}/5 for conversation {self.conversation_id}"
