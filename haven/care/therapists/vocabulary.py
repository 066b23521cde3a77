"""The words of therapist profiles and licence decisions that the models leave open."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.care.models import Licence

# --- Profiles

# ISO 639 codes: the languages most often asked for, and two sign languages (ISO 639-3).
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("el", _("Greek")),
    ("sv", _("Swedish")),
    ("cy", _("Welsh")),
    ("ga", _("Irish")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("he", _("Hebrew")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("pa", _("Punjabi")),
    ("ta", _("Tamil")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("vi", _("Vietnamese")),
    ("tl", _("Tagalog")),
    ("sw", _("Swahili")),
    ("ase", _("American Sign Language")),
    ("bfi", _("British Sign Language")),
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

CURRENCY_CHOICES = [
    ("USD", _("US dollars (USD)")),
    ("GBP", _("Pounds sterling (GBP)")),
    ("EUR", _("Euros (EUR)")),
    ("CAD", _("Canadian dollars (CAD)")),
    ("AUD", _("Australian dollars (AUD)")),
    ("NZD", _("New Zealand dollars (NZD)")),
    ("CHF", _("Swiss francs (CHF)")),
    ("SEK", _("Swedish kronor (SEK)")),
    ("NOK", _("Norwegian kroner (NOK)")),
    ("DKK", _("Danish kroner (DKK)")),
    ("INR", _("Indian rupees (INR)")),
    ("ZAR", _("South African rand (ZAR)")),
]

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
    APPROVE = "approve", _("Approve: the licence is verified")
    MORE_INFO = "more_info", _("Ask the therapist for more information")
    REJECT = "reject", _("Reject: the licence can't be verified")


DECIDED_STATUS = {
    LicenceDecision.APPROVE: Licence.Status.APPROVED,
    LicenceDecision.MORE_INFO: Licence.Status.MORE_INFO,
    LicenceDecision.REJECT: Licence.Status.REJECTED,
}
