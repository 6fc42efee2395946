"""The files participants upload with a registration (a nomination document, a file answering a
question): PDFs only, judged by their content, never by their name or the browser's word, and no
larger than settings.REGISTRATION_UPLOAD_MAX_BYTES. They are kept in the private storage under
random names (see the models' `upload_to`).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF_HEADER = b"%PDF-"
# Where a PDF's trailer ("startxref", its offset, "%%EOF") is looked for: the end of the file.
PDF_TRAILER_WINDOW = 2048


def check_pdf(upload) -> None:
    """Raise ValidationError unless `upload` is a complete PDF within the size limit.

    Codes: `too_large` (over settings.REGISTRATION_UPLOAD_MAX_BYTES), `not_pdf` (no PDF header:
    a renamed image or program), `incomplete` (no trailer: a file cut short). Reads only the
    head and the tail of the file, and leaves it at its start.
    """
    limit = settings.REGISTRATION_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if upload.size is None or size > limit:
        raise ValidationError(
            _("The file may be at most %(limit)s; this one has %(size)s."),
            code="too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(size)},
        )
    try:
        upload.seek(0)
        if not upload.read(len(PDF_HEADER)) == PDF_HEADER:
            raise ValidationError(
                _("This file is not a PDF: save or export it as a PDF and upload that."),
                code="not_pdf",
            )
        upload.seek(max(0, size - PDF_TRAILER_WINDOW))
        tail = upload.read()
        end = tail.rfind(b"%%EOF")
        if end < 0 or tail.rfind(b"startxref", 0, end) < 0:
            raise ValidationError(
                _(
                    "This PDF is incomplete (its end is missing): save or export it again and "
                    "upload the new file."
                ),
                code="incomplete",
            )
    finally:
        upload.seek(0)


def sha256_of(upload) -> str:
    """The upload's SHA-256 in hex, read in chunks; leaves the file at its start."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
