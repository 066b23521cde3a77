"""Licence evidence files: what may be uploaded, and how a stored one is handed to staff."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, gettext_lazy

from haven.care.models import Licence

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

# Declared type → (what the file must start with, the names it may have, a word for people).
EVIDENCE_KINDS: dict[str, tuple[bytes, tuple[str, ...], Any]] = {
    "application/pdf": (b"%PDF-", (".pdf",), "PDF"),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",), gettext_lazy("PNG image")),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg"), gettext_lazy("JPEG image")),
}


def validate_evidence_file(upload: UploadedFile) -> None:
    """PDF, PNG or JPEG up to 5 MB. The declared type, the name and the first bytes must all
    agree: a browser's word alone is not enough for a file staff will open."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            gettext(
                "This file is larger than 5 MB. A smaller scan or a photo of the licence is enough."
            ),
            code="too_big",
        )
    if not upload.size:
        raise ValidationError(
            gettext("This file is empty. Please choose the file again."), code="empty"
        )
    kind = EVIDENCE_KINDS.get((upload.content_type or "").lower())
    if kind is None or Path(upload.name or "").suffix.lower() not in kind[1]:
        raise ValidationError(
            gettext("Please upload the evidence as a PDF, PNG or JPEG file."), code="wrong_type"
        )
    magic, _, word = kind
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            gettext(
                "This file is named like a %(kind)s but isn't one inside: it may be damaged or "
                "saved in another format. Please upload the original PDF, PNG or JPEG."
            )
            % {"kind": word},
            code="not_what_it_says",
        )


def evidence_file_name(licence: Licence) -> str:
    return Path(licence.evidence.name).name if licence.evidence else ""


def evidence_content_type(licence: Licence) -> str:
    suffix = Path(licence.evidence.name).suffix.lower()
    for content_type, (_, suffixes, _) in EVIDENCE_KINDS.items():
        if suffix in suffixes:
            return content_type
    return "application/octet-stream"
