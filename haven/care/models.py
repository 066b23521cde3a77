"""Professional care: verified therapists, matching, booking, secure messaging, session notes and
telehealth rooms.

Privacy: care messages, session notes, questionnaire answers and hand-off summaries are private
to the people in the care relationship and encrypted at rest (haven.wellness.encryption). Times
are stored in UTC; each person sees them in their own time zone.
"""

from datetime import date

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from haven.wellness.encryption import EncryptedJSONField, EncryptedTextField

# Licence evidence is never served as a static or media file: only staff reviewing the licence
# download it, through a view that checks who asks. The field takes a callable, so the location
# (a setting) never reaches the migration state.
evidence_storage = SimpleLazyObject(lambda: FileSystemStorage(location=settings.HAVEN_EVIDENCE_DIR))


def get_evidence_storage() -> FileSystemStorage:
    return evidence_storage


MESSAGE_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 20_000


class Specialty(models.TextChoices):
    ANXIETY = "anxiety", _("Anxiety")
    DEPRESSION = "depression", _("Depression")
    TRAUMA = "trauma", _("Trauma and PTSD")
    GRIEF = "grief", _("Grief and loss")
    RELATIONSHIPS = "relationships", _("Relationships")
    ADDICTION = "addiction", _("Addiction")
    EATING = "eating", _("Eating disorders")
    OCD = "ocd", _("OCD")
    BIPOLAR = "bipolar", _("Bipolar disorder")
    SELF_HARM = "self-harm", _("Self-harm")
    STRESS = "stress", _("Stress and burnout")
    IDENTITY = "identity", _("Identity and LGBTQ+ issues")
    SLEEP = "sleep", _("Sleep")
    PARENTING = "parenting", _("Parenting")


class Approach(models.TextChoices):
    CBT = "cbt", _("CBT (cognitive behavioural therapy)")
    DBT = "dbt", _("DBT (dialectical behaviour therapy)")
    EMDR = "emdr", _("EMDR")
    ACT = "act", _("ACT (acceptance and commitment therapy)")
    PSYCHODYNAMIC = "psychodynamic", _("Psychodynamic")
    PERSON_CENTRED = "person-centred", _("Person-centred")
    IPT = "ipt", _("Interpersonal therapy")
    SYSTEMIC = "systemic", _("Family and systemic")
    MINDFULNESS = "mindfulness", _("Mindfulness-based")
    SOLUTION_FOCUSED = "solution-focused", _("Solution-focused")


class SessionFormat(models.TextChoices):
    VIDEO = "video", _("Video")
    MESSAGING = "messaging", _("Messaging")


class AgeBand(models.TextChoices):
    UNDER_35 = "under-35", _("Under 35")
    FROM_35_TO_50 = "35-50", _("35 to 50")
    OVER_50 = "over-50", _("Over 50")


class TherapistProfile(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Application not sent yet")
        SUBMITTED = "submitted", _("Waiting for licence review")
        ACTIVE = "active", _("Seeing clients")
        PAUSED = "paused", _("Not taking new clients")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile"
    )
    # Therapists practise under their professional name; members stay pseudonymous.
    professional_name = models.CharField(max_length=120)
    pronouns = models.CharField(max_length=30, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    faith = models.CharField(max_length=60, blank=True)
    lgbtq_affirming = models.BooleanField(default=False)
    specialties = models.JSONField(default=list)
    approaches = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    formats = models.JSONField(default=list)
    fee_per_session = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD")
    sliding_scale = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, default="UTC")
    session_minutes = models.PositiveSmallIntegerField(default=50)
    statement = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.professional_name

    def valid_licences(self, on: date | None = None):
        on = on or timezone.now().date()
        return self.licences.filter(status=Licence.Status.APPROVED, expires_on__gte=on)


class Licence(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        MORE_INFO = "more_info", _("More information needed")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Not verified")

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="licences"
    )
    licence_type = models.CharField(max_length=80)  # e.g. "LCSW", "Clinical psychologist"
    number = models.CharField(max_length=60)
    issuing_body = models.CharField(max_length=160)
    # ISO 3166: a country ("GB") or a subdivision ("US-CA").
    jurisdiction = models.CharField(max_length=10)
    expires_on = models.DateField()
    evidence = models.FileField(storage=get_evidence_storage, upload_to="%Y/%m/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_note = models.CharField(max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.licence_type} {self.number} ({self.jurisdiction})"

    def is_valid(self, on: date | None = None) -> bool:
        on = on or timezone.now().date()
        return self.status == self.Status.APPROVED and self.expires_on >= on


class WeeklyAvailability(models.Model):
    """Hours a therapist works each week, in their own time zone."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="weekly_availability"
    )
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]

    def __str__(self) -> str:
        return f"{self.therapist_id}: {self.weekday} {self.start_time}-{self.end_time}"


class AvailabilityException(models.Model):
    """A day off (no times) or changed hours on one date, in the therapist's time zone."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    date = models.DateField()
    available = models.BooleanField(default=False)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        return f"{self.therapist_id}: {self.date}"


class CareRelationship(models.Model):
    """A member working with a therapist: what messaging, notes and sharing hang on."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_relationships"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="relationships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "therapist"],
                condition=models.Q(status="active"),
                name="care_one_active_relationship_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"care {self.member_id} with {self.therapist_id}"


# What a rescheduled session says was said: stored in English, read in the reader's language.
MOVED_TO_A_NEW_TIME = gettext_noop("Moved to a new time.")


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="appointments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointments"
    )
    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=SessionFormat.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    cancel_reason = models.CharField(max_length=300, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_to"
    )
    # Where the member says they are for this session (a therapist must be licensed there, and
    # needs it for the emergency plan).
    member_location = models.CharField(max_length=10, blank=True)
    location_confirmed_at = models.DateTimeField(null=True, blank=True)
    day_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    hour_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"]),
            models.Index(fields=["member", "starts_at"]),
        ]
        # On PostgreSQL an exclusion constraint (migration 0002) forbids two booked
        # appointments of one therapist that overlap; SQLite relies on the row lock in booking.

    def __str__(self) -> str:
        return f"appointment {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def cancel_reason_for_reader(self) -> str:
        """The reason as the reader should see it: Haven's own words translated, a person's
        words as they wrote them."""
        if self.cancel_reason == MOVED_TO_A_NEW_TIME:
            return gettext(MOVED_TO_A_NEW_TIME)
        return self.cancel_reason


class CareMessage(models.Model):
    relationship = models.ForeignKey(
        CareRelationship, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the safety pipeline heard crisis words: the therapist is alerted, not moderators.
    crisis_flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"care message {self.pk}"


class SessionNote(models.Model):
    """The therapist's own notes on one appointment: nobody else reads them."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="session_note"
    )
    body = EncryptedTextField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"note on appointment {self.appointment_id}"


class MatchingAnswers(models.Model):
    """The member's questionnaire: preferences and screening answers, encrypted."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_answers"
    )
    answers = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"questionnaire of {self.member_id}"


class TelehealthConsent(models.Model):
    """Informed consent before a first video session; a new version asks again."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telehealth_consents"
    )
    version = models.PositiveSmallIntegerField()
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "version"], name="care_one_consent_version")
        ]

    def __str__(self) -> str:
        return f"consent v{self.version} of {self.member_id}"


class CalendarFeed(models.Model):
    """A secret, revocable .ics address. Only a hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class Handoff(models.Model):
    """With the seeker's consent, a listener's short summary for the therapist they book."""

    conversation = models.ForeignKey(
        "chat.Conversation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_handoffs"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Given by the member; until then the therapist sees nothing.
    consented_at = models.DateTimeField(null=True, blank=True)
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"hand-off for {self.member_id}"
