from django import forms

from haven.core.text import clean_text


class MemberTextField(forms.CharField):
    """A CharField for what members write: NFC-normalised, valid Unicode, no NUL bytes."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, field=str(self.label or "")) if value else value
