"""Crisis resources shown by the "Get help now" page and, later, the support panel."""

from django.conf import settings
from django.db import models

from haven.core.contact_links import sms_href, tel_href


class CrisisResource(models.Model):
    """A hotline or service. Country is an ISO 3166 code; "ZZ" means it serves everyone. A
    country's lines may come as a set per language (the reader sees the set in their language,
    else the set kept for every language: haven.core.error_pages.in_reader_language)."""

    INTERNATIONAL = "ZZ"

    country = models.CharField(max_length=2, db_index=True)
    country_name = models.CharField(max_length=60)
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="The language this entry is written in and the line answers in; blank: the "
        "entry shown when the country has none in the reader's language.",
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField(max_length=80, blank=True, help_text="How to reach it by SMS.")
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=60, blank=True)
    is_emergency_number = models.BooleanField(default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["country_name", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "language", "name"],
                name="one_resource_name_per_country_and_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country}{f', {self.language}' if self.language else ''})"

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def sms_href(self) -> str:
        return sms_href(self.text)
