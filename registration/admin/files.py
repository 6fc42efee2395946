"""Private PDFs handed to organizers from the admin (nomination documents, files answering a
question): as attachments, never cached, never sniffed as another type; a file missing from the
storage is a 404, not a 500."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def private_pdf_response(file, *, filename: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
