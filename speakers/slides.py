"""Speakers' slides kept private and bounded: where they are stored, what is accepted, and how
large a request may be before anything reads it.

- Slides live in the "private" storage (settings.STORAGES, its backend named by
  PRIVATE_STORAGE_BACKEND), by default under PRIVATE_MEDIA_ROOT, outside the public MEDIA_ROOT,
  readable by the site's user only, under random names; no URL serves that folder. Views that
  check who asks (the speaker's link, the admin) hand a file out as an attachment.
- A file's type is judged from its structure, never its name or the browser's word: a PDF has its
  header and its end-of-file trailer; a PPTX is a zip holding `[Content_Types].xml` and
  `ppt/presentation.xml` whose entries do not declare an absurd unpacked size (zip bombs).
- `RequestBodyLimitMiddleware` answers 413 to a body declared larger than the site accepts, before
  the CSRF check or the view reads it.
"""

import os
import zipfile

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

PDF = "pdf"
PPTX = "pptx"
PDF_TRAILER_WINDOW = 2048
PPTX_REQUIRED_PARTS = frozenset({"[Content_Types].xml", "ppt/presentation.xml"})
ZIP_MAX_ENTRIES = 10_000
# Room for the form around the file in a multipart body (boundaries, headers, CSRF token).
FORM_OVERHEAD_BYTES = 64 * 1024
SLIDES_UPLOAD_VIEW = "speakers:slides"
# The registration's addresses that take PDFs with their form, and how many files each takes
# (None: settings.REGISTRATION_UPLOADS_PER_FORM, the forms with questions answered by files);
# named here, not imported: registration is the layer above.
REGISTRATION_UPLOAD_VIEWS = {
    "registration:register-category": None,
    "registration:edit": None,
    "registration:delegation-register": 1,
    "registration:delegation-nomination": 1,
}


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk under settings.PRIVATE_MEDIA_ROOT (read when used, so tests can move it).

    Private files have no URL: asking for one is a mistake that must not turn into a link. Files
    and folders are the owner's alone (0600, 0700) unless the options say otherwise.
    """

    def __init__(self, *, file_permissions_mode=0o600, directory_permissions_mode=0o700, **options):
        super().__init__(
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
            **options,
        )

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view that checks access.")


def human_size(size: int) -> str:
    return str(filesizeformat(size))


def slides_file_type(upload) -> str:
    """PDF or PPTX, judged from the file's structure (never its name); ValidationError else.

    Reads only the head and tail of the file and the zip's directory: nothing is unpacked.
    """
    max_bytes = settings.SPEAKER_SLIDES_MAX_BYTES
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("Slides may be at most %(limit)s; this file has %(size)s."),
            code="slides_too_large",
            params={"limit": human_size(max_bytes), "size": human_size(upload.size or 0)},
        )
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            _check_pdf_trailer(upload)
            return PDF
        if head.startswith(b"PK\x03\x04"):
            _check_pptx(upload)
            return PPTX
    finally:
        upload.seek(0)
    raise ValidationError(
        _("Slides must be a PDF or a PowerPoint (.pptx) file; this file is neither."),
        code="slides_type",
    )


def _check_pdf_trailer(upload) -> None:
    upload.seek(max(0, upload.size - PDF_TRAILER_WINDOW))
    tail = upload.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail.rfind(b"startxref", 0, end) < 0:
        raise ValidationError(
            _(
                "This PDF is incomplete (its end is missing): save or export it again and "
                "upload the new file."
            ),
            code="slides_incomplete",
        )


def _check_pptx(upload) -> None:
    not_pptx = ValidationError(
        _(
            "This file is an archive but not a PowerPoint presentation: slides must be a PDF or "
            "a PowerPoint (.pptx) file."
        ),
        code="slides_type",
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise not_pptx from error
    if len(entries) > ZIP_MAX_ENTRIES:
        raise not_pptx
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > settings.SPEAKER_SLIDES_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "This file would unpack to %(size)s, more than any presentation needs "
                "(at most %(limit)s): it is refused. Save the presentation again from "
                "PowerPoint, or export it as a PDF."
            ),
            code="slides_unpacked_too_large",
            params={
                "size": human_size(unpacked),
                "limit": human_size(settings.SPEAKER_SLIDES_MAX_UNPACKED_BYTES),
            },
        )
    if not PPTX_REQUIRED_PARTS.issubset(entry.filename for entry in entries):
        raise not_pptx


def request_body_limit(request: HttpRequest) -> int:
    """The largest body this request may carry: one file of slides plus its form on the speakers'
    upload address, its registration PDFs (REGISTRATION_UPLOAD_VIEWS) plus the form on the
    registration's addresses that take them, settings.ADMIN_REQUEST_BODY_MAX_BYTES in the admin
    for a signed-in user, settings.REQUEST_BODY_MAX_BYTES elsewhere (the admin's login page
    included).

    Reads the session (below SessionMiddleware) only for an admin address."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    if match.view_name == SLIDES_UPLOAD_VIEW:
        return settings.SPEAKER_SLIDES_MAX_BYTES + FORM_OVERHEAD_BYTES
    if match.view_name in REGISTRATION_UPLOAD_VIEWS:
        files = REGISTRATION_UPLOAD_VIEWS[match.view_name] or settings.REGISTRATION_UPLOADS_PER_FORM
        uploads = settings.REGISTRATION_UPLOAD_MAX_BYTES * files
        return max(settings.REQUEST_BODY_MAX_BYTES, uploads + FORM_OVERHEAD_BYTES)
    if match.app_name == admin.site.name and SESSION_KEY in request.session:
        return settings.ADMIN_REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    """Answers 413, with a page that says the limit, to a request whose declared body is larger
    than its address accepts, without reading the body.

    Must come before every middleware that reads the body (CsrfViewMiddleware reads the form)
    and after SessionMiddleware (the admin's larger limit is for signed-in users only).
    A body without Content-Length is read by Django as empty, so the declared length bounds it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        smallest_limit = min(
            settings.REQUEST_BODY_MAX_BYTES,
            settings.ADMIN_REQUEST_BODY_MAX_BYTES,
            settings.SPEAKER_SLIDES_MAX_BYTES + FORM_OVERHEAD_BYTES,
            settings.REGISTRATION_UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES,
        )
        if length > smallest_limit:
            limit = request_body_limit(request)
            if length > limit:
                return too_large_response(request, limit=limit)
        return self.get_response(request)


def too_large_response(request: HttpRequest, *, limit: int) -> HttpResponse:
    back_url = None
    slides_limit = None
    try:
        match = resolve(request.path_info)
        if match.view_name == SLIDES_UPLOAD_VIEW:
            slides_limit = human_size(settings.SPEAKER_SLIDES_MAX_BYTES)
            back_url = reverse(
                "speakers:page",
                kwargs={"event": match.kwargs["event"], "token": match.kwargs["token"]},
            )
    except (Resolver404, NoReverseMatch, KeyError):
        pass
    response = render(
        request,
        "request_too_large.html",
        {"limit": human_size(limit), "slides_limit": slides_limit, "back_url": back_url},
        status=413,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
