"""Crisis numbers as links a phone acts on: one tap to call, one tap to a text with the keyword
already typed. Used by the crisis lines stored in the database and by the error pages' copy."""

import re
from urllib.parse import quote

# "Text HOME to 741741", "Text 988", "Text 0477 13 11 14"; in Spanish "Envía AYUDA al 988"
_SMS = re.compile(
    r"^\s*(?:text|env[ií]a)\s+(?:(?P<keyword>[^\s\d][^\s]*)\s+(?:to|al|a)\s+)?"
    r"(?P<number>\+?\d[\d\s-]*\d|\d)\s*$",
    re.IGNORECASE,
)


def tel_href(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def sms_href(how_to_text: str) -> str:
    """An sms: link for "Text HOME to 741741" (the keyword as the message), or "" when the text
    is not of that form and is better shown as words."""
    match = _SMS.match(how_to_text or "")
    if match is None:
        return ""
    number = "".join(ch for ch in match["number"] if ch.isdigit() or ch == "+")
    keyword = match["keyword"]
    # "?&body=" is read by both Android and iOS messaging apps.
    return f"sms:{number}?&body={quote(keyword)}" if keyword else f"sms:{number}"
