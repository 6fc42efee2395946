"""The files participants upload with a registration (nomination documents, answers' files):
PDFs only, size-limited, judged by their structure, never by their name or the browser's word.

The file is then kept in the private storage under a random name (registration.models.
nominations); this module only decides whether it is acceptable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from speakers.slides import PDF_TRAILER_WINDOW, human_size


def check_pdf(upload) -> None:
    """Refuse (ValidationError) an upload that is too large (`too_large`), is not a PDF by its
    header (`not_pdf`), or lacks the PDF's end-of-file trailer (`incomplete`). Reads only the
    head and the tail of the file and leaves it at its start."""
    max_bytes = settings.REGISTRATION_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if upload.size is None or size > max_bytes:
        raise ValidationError(
            _("The file may be at most %(limit)s; this one has %(size)s."),
            code="too_large",
            params={"limit": human_size(max_bytes), "size": human_size(size)},
        )
    try:
        upload.seek(0)
        if not upload.read(5) == b"%PDF-":
            raise ValidationError(
                _("The file must be a PDF document; this file is not one."), code="not_pdf"
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
