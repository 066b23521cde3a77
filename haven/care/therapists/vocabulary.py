"""The words of therapist profiles and licence decisions that the models leave open."""

from django.db import models

from haven.care.models import Licence

# --- Profiles

# ISO 639 codes: the languages most often asked for, and two sign languages (ISO 639-3).
LANGUAGE_CHOICES = [
    ("en", "English"), ("es", "Spanish"), ("fr", "French"), ("de", "German"),
    ("it", "Italian"), ("pt", "Portuguese"), ("nl", "Dutch"), ("pl", "Polish"),
    ("ro", "Romanian"), ("el", "Greek"), ("sv", "Swedish"), ("cy", "Welsh"), ("ga", "Irish"),
    ("ru", "Russian"), ("uk", "Ukrainian"), ("tr", "Turkish"), ("ar", "Arabic"),
    ("he", "Hebrew"), ("fa", "Persian"), ("ur", "Urdu"), ("hi", "Hindi"), ("bn", "Bengali"),
    ("pa", "Punjabi"), ("ta", "Tamil"), ("zh", "Chinese"), ("ja", "Japanese"),
    ("ko", "Korean"), ("vi", "Vietnamese"), ("tl", "Tagalog"), ("sw", "Swahili"),
    ("ase", "American Sign Language"), ("bfi", "British Sign Language"),
]  # fmt: skip
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

CURRENCY_CHOICES = [
    ("USD", "US dollars (USD)"), ("GBP", "Pounds sterling (GBP)"), ("EUR", "Euros (EUR)"),
    ("CAD", "Canadian dollars (CAD)"), ("AUD", "Australian dollars (AUD)"),
    ("NZD", "New Zealand dollars (NZD)"), ("CHF", "Swiss francs (CHF)"),
    ("SEK", "Swedish kronor (SEK)"), ("NOK", "Norwegian kroner (NOK)"),
    ("DKK", "Danish kroner (DKK)"), ("INR", "Indian rupees (INR)"),
    ("ZAR", "South African rand (ZAR)"),
]  # fmt: skip

# ISO 3166-1 alpha-2, or an ISO 3166-2 subdivision ("US-CA", "GB-SCT").
JURISDICTION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"

PROFILE_FIELDS = (
    "professional_name", "pronouns", "gender", "age_band", "faith", "lgbtq_affirming",
    "specialties", "approaches", "languages", "formats", "fee_per_session", "currency",
    "sliding_scale", "time_zone", "session_minutes", "statement",
)  # fmt: skip
LICENCE_FIELDS = ("licence_type", "number", "issuing_body", "jurisdiction", "expires_on")


# --- Licence decisions


class LicenceDecision(models.TextChoices):
    APPROVE = "approve", "Approve: the licence is verified"
    MORE_INFO = "more_info", "Ask the therapist for more information"
    REJECT = "reject", "Reject: the licence can't be verified"


DECIDED_STATUS = {
    LicenceDecision.APPROVE: Licence.Status.APPROVED,
    LicenceDecision.MORE_INFO: Licence.Status.MORE_INFO,
    LicenceDecision.REJECT: Licence.Status.REJECTED,
}
