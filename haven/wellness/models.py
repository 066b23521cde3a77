"""Tools a member uses alone: journal, mood check-ins, safety plan; and the resource library.

Privacy: journal entries, check-in notes and the safety plan are private to one person and
encrypted at rest (see encryption.py). Nothing here is registered in the admin site except the
library, which is public.
"""

import math
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core import places
from haven.wellness.encryption import EncryptedJSONField, EncryptedTextField

JOURNAL_TITLE_MAX_LENGTH = 200
JOURNAL_BODY_MAX_LENGTH = 20_000
JOURNAL_MAX_TAGS = 10
CHECKIN_NOTE_MAX_LENGTH = 280
SAFETY_PLAN_ITEM_MAX_LENGTH = 300
SAFETY_PLAN_MAX_ITEMS = 12

mood_validators = [MinValueValidator(1), MaxValueValidator(10)]


class Feeling(models.TextChoices):
    ANXIOUS = "anxious", _("Anxious")
    CALM = "calm", _("Calm")
    LONELY = "lonely", _("Lonely")
    HOPEFUL = "hopeful", _("Hopeful")
    SAD = "sad", _("Sad")
    GRATEFUL = "grateful", _("Grateful")
    TIRED = "tired", _("Tired")
    ANGRY = "angry", _("Angry")
    OVERWHELMED = "overwhelmed", _("Overwhelmed")
    CONNECTED = "connected", _("Connected")
    NUMB = "numb", _("Numb")
    PROUD = "proud", _("Proud")


def time_zone_choices() -> list[tuple[str, str]]:
    """Every zone, named as the reader says it ("México — Ciudad de México")."""
    return places.time_zone_choices()


class WellnessSettings(models.Model):
    """A member's own choices for the wellness tools: their time zone and daily reminder."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellness_settings"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    reminder_enabled = models.BooleanField(default=False)
    reminder_time = models.TimeField(default="20:00")
    reminder_email = models.BooleanField(
        default=False, help_text=_("Also by e-mail, if your account has an e-mail address.")
    )

    class Meta:
        verbose_name_plural = "wellness settings"

    def __str__(self) -> str:
        return f"wellness settings of {self.member_id}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class JournalEntry(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    title = EncryptedTextField(blank=True)
    body = EncryptedTextField()
    tags = EncryptedJSONField(default=list)
    mood = models.PositiveSmallIntegerField(null=True, blank=True, validators=mood_validators)
    # Ids of vetted resources close to the entry, found by a job for the writer alone; encrypted
    # like the entry, because they hint at what it is about. No vector of the entry is kept.
    suggested_resources = EncryptedJSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"])]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        # Never the title: this may end up in logs.
        return f"journal entry {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("wellness:journal_entry", args=[self.pk])


class MoodCheckIn(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mood_checkins"
    )
    mood = models.PositiveSmallIntegerField(validators=mood_validators)
    feelings = models.JSONField(default=list, blank=True)
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The member's own calendar day when they checked in, so charts and streaks follow their
    # days, not the server's.
    local_date = models.DateField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "local_date"])]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class ReminderDelivery(models.Model):
    """One row per member and local day a reminder went out: the unique constraint is what makes
    the reminder job safe to run twice, or to be killed and run again."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    local_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "local_date"], name="wellness_one_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"reminder for {self.member_id} on {self.local_date}"


class SafetyPlan(models.Model):
    """The six steps of a safety plan (Stanley & Brown) plus reasons for living, as lists of
    short items keyed by step (see safety_plan.STEPS)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    steps = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"safety plan of {self.member_id}"


class SafetyPlanShare(models.Model):
    """A read-only view of a safety plan granted by its owner, until they revoke it."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="shares")
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # A share with a listener lasts only while their chat is open.
    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "shared_with", "conversation"],
                condition=models.Q(revoked_at__isnull=True),
                name="wellness_one_open_share",
            )
        ]

    def __str__(self) -> str:
        return f"share of plan {self.plan_id} with {self.shared_with_id}"


# --- Resource library (public to members)


class LibraryRole(models.Model):
    """Who may write resources (editor) and who may review them (reviewer). Granted by admins
    until verified therapists review as part of their profile."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        REVIEWER = "reviewer", _("Reviewer")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    # For reviewers: shown on every resource they review, e.g. "licensed clinical social worker".
    credential = models.CharField(max_length=120, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "role"], name="wellness_one_library_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        COPING = "coping", _("Coping strategy")
        GUIDE = "guide", _("Guide")
        WORKSHEET = "worksheet", _("Worksheet")
        CRISIS = "crisis", _("Crisis information")

    class Category(models.TextChoices):
        GROUNDING = "grounding", _("Grounding")
        BREATHING = "breathing", _("Breathing")
        SLEEP = "sleep", _("Sleep")
        THOUGHTS = "thoughts", _("Thoughts")
        MOOD = "mood", _("Mood")
        CONNECTION = "connection", _("Connection")
        CRISIS = "crisis", _("Crisis")
        SELF_CARE = "self-care", _("Self-care")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.CharField(max_length=12, choices=Category.choices)
    tags = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=240)
    body = models.TextField(max_length=30_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every edit of the text, so a review covers exactly the revision it read.
    revision = models.PositiveIntegerField(default=1)
    misinformation_topics = models.JSONField(default=list, blank=True)
    crisis_related = models.BooleanField(default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # A translation is its own resource, written and reviewed on its own (a review covers the
    # words a reader reads); this links the versions so a reader sees theirs and not both.
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wellness:resource", args=[self.slug])

    @property
    def work_id(self) -> int:
        """The same for every language version of one resource: the original's id."""
        return self.translation_of_id or self.pk

    @property
    def reading_minutes(self) -> int:
        # About 200 words a minute for careful reading.
        return max(1, math.ceil(len(self.body.split()) / 200))


class ResourceReview(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Copied from the reviewer's role at the time: the record stays true if the role changes.
    reviewer_pseudonym = models.CharField(max_length=30)
    credential = models.CharField(max_length=120)
    revision = models.PositiveIntegerField()
    reviewed_at = models.DateTimeField(default=timezone.now)
    notes = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"review of {self.resource_id} r{self.revision}"

    @property
    def expires_at(self):
        return self.reviewed_at + timedelta(days=settings.HAVEN_RESOURCE_REVIEW_DAYS)


class ResourceFavourite(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_favourites"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "resource"], name="wellness_one_favourite")
        ]

    def __str__(self) -> str:
        return f"favourite {self.resource_id} of {self.member_id}"
