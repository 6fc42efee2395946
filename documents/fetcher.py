"""The URL fetcher WeasyPrint gets for the seminar's documents: safe by construction.

Names, abstracts and reports typed by users end up in the HTML, so WeasyPrint gets a URL fetcher
that only reads the project's own static files and media, straight from disk or storage, and
refuses everything else (http, https, ftp, file, unexpected data: URLs). Nothing is ever fetched
over the network and there are no redirects to follow.
"""

import base64
import binascii
import functools
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib import request
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

# What a PDF template may load from static files or media: stylesheets, images and fonts.
ALLOWED_STATIC_TYPES = {
    "text/css",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "font/woff",
    "font/woff2",
    "font/ttf",
    "font/otf",
}
# data: URLs may only carry raster images: a data: stylesheet or SVG could carry further URLs
# and is never needed by our templates.
ALLOWED_DATA_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_FETCH_BYTES = 20 * 1024 * 1024


class RefusedURL(ValueError):
    """The PDF fetcher does not load this URL. WeasyPrint leaves the resource out and goes on."""


def base_url() -> str:
    """The address relative URLs in PDF templates are resolved against."""
    return settings.SITE_URL.rstrip("/") + "/"


def _own_path(url: str, prefix: str) -> str | None:
    """The path below `prefix` (STATIC_URL or MEDIA_URL) of one of the site's own URLs."""
    site = urlsplit(base_url())
    parts = urlsplit(url)
    prefix_parts = urlsplit(prefix)
    if prefix_parts.scheme:  # STATIC_URL on a CDN, for example
        if (parts.scheme, parts.netloc) != (prefix_parts.scheme, prefix_parts.netloc):
            return None
    elif (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    if not parts.path.startswith(prefix_parts.path):
        return None
    relative = unquote(parts.path[len(prefix_parts.path) :])
    normalized = posixpath.normpath(relative) if relative else ""
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or normalized.startswith(("../", "/"))
        or normalized in {".", ".."}
        or ".." in relative.split("/")
    ):
        raise RefusedURL(f"Path outside the site's files: {url}")
    return normalized


def _content_type(name: str) -> str:
    content_type, _encoding = mimetypes.guess_type(name)
    return content_type or "application/octet-stream"


def _read_static(name: str) -> bytes | None:
    path = finders.find(name)
    if path:
        return Path(path).read_bytes()
    try:  # collected (and possibly hashed) static files in production
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                return handle.read(MAX_FETCH_BYTES + 1)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None


def _read_media(name: str) -> bytes | None:
    try:
        if not default_storage.exists(name):
            return None
        with default_storage.open(name) as handle:
            return handle.read(MAX_FETCH_BYTES + 1)
    except (SuspiciousFileOperation, ValueError):
        return None


def _decode_data_url(url: str) -> tuple[str, bytes]:
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise RefusedURL("Malformed data: URL")
    params = [p.strip().lower() for p in header.split(";")]
    content_type = params[0] or "text/plain"
    if content_type not in ALLOWED_DATA_TYPES:
        raise RefusedURL(f"data: URL of type {content_type!r}")
    try:
        if "base64" in params[1:]:
            return content_type, base64.b64decode(unquote(payload), validate=False)
        return content_type, unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as error:
        raise RefusedURL("Malformed data: URL") from error


def resolve_url(url: str) -> tuple[str, bytes]:
    """The content type and bytes of one URL a PDF template may load, or RefusedURL.

    Only the project's own static files and media (by their URL under SITE_URL), and data: URLs
    of raster images, are read; they are read from disk or storage, never over the network.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        return _decode_data_url(url)
    if scheme not in {"http", "https"}:
        raise RefusedURL(f"Scheme {scheme or '(none)'!r} is not allowed: {url[:200]}")
    for prefix, reader in ((settings.STATIC_URL, _read_static), (settings.MEDIA_URL, _read_media)):
        name = _own_path(url, prefix)
        if name is None:
            continue
        content_type = _content_type(name)
        if content_type not in ALLOWED_STATIC_TYPES:
            raise RefusedURL(f"File of type {content_type!r} is not allowed: {url}")
        content = reader(name)
        if content is None:
            raise RefusedURL(f"No such file: {url}")
        if len(content) > MAX_FETCH_BYTES:
            raise RefusedURL(f"File too large: {url}")
        return content_type, content
    raise RefusedURL(f"Not one of the site's static files or media: {url[:200]}")


@functools.cache
def _safe_url_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """WeasyPrint's fetcher, cut down to the site's own static files and media.

        It never calls the parent's opener (no network, no file://, no redirects); refused URLs
        raise, which WeasyPrint reports and skips, so the document still renders. `fetched` and
        `refused` record what happened, for tests and logs.
        """

        def __init__(self):
            # Not URLFetcher.__init__: it installs urllib's network and file handlers (and
            # builds an SSL context), none of which may ever be used here.
            request.OpenerDirector.__init__(self)
            self._timeout = 1
            self._http_headers = {}
            self._allowed_protocols = ()
            self._fail_on_errors = False
            self._request = None
            self.fetched: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                content_type, content = resolve_url(url)
            except RefusedURL as refusal:
                self.refused.append(url)
                logger.warning("PDF rendering refused to load %s (%s)", url[:200], refusal)
                raise
            self.fetched.append(url)
            return URLFetcherResponse(url, content, {"Content-Type": content_type})

        def open(self, url, data=None, timeout=None):  # pragma: no cover - never by urllib
            raise RefusedURL("The PDF fetcher opens nothing by itself.")

    return SafeURLFetcher


def safe_url_fetcher():
    """A new fetcher for one rendering (imports WeasyPrint)."""
    return _safe_url_fetcher_class()()
