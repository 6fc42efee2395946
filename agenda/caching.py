"""Caching of public pages, invalidated by any edit of agenda content.

Every public page is stored under a key that includes the content version: a Postgres sequence
that any save or delete of agenda content advances once its transaction commits (agenda.signals).
Reading it is one tiny round trip, so the next request after an edit renders afresh in every
process, while an unchanged page is answered from this process's memory (or from the shared
cache, when another process rendered it first). Organizers (staff) see drafts and are never
served from or into the cache.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language

CONTENT_VERSION_SEQUENCE = "agenda_content_version"
# Who is on the events' lists of participants (public list, proceedings): the registration app
# advances it, the proceedings PDF depends on it.
PARTICIPANT_LISTS_SEQUENCE = "agenda_participant_lists_version"
PAGE_TIMEOUT = 24 * 3600
BROWSER_MAX_AGE = 60
LOCAL_PAGES = 512
# Cookies that make a visitor's page their own: a signed-in session, or messages to show.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def content_version(sequence: str = CONTENT_VERSION_SEQUENCE) -> int:
    """The current version of agenda content (or of the `sequence` named)."""
    return content_versions(sequence)[0]


def content_versions(*sequences: str) -> tuple[int, ...]:
    """The current versions of the sequences named, in one round trip.

    Read on the raw connection, without Django's cursor wrapper or its health check: a sequence
    is not transactional, so every process sees a bump as soon as it is made. A connection found
    broken (the database restarted) is replaced once before giving up.
    """
    # Our own sequence names, never input.
    columns = ", ".join(f"(SELECT last_value FROM {sequence})" for sequence in sequences)
    for attempt in (1, 2):
        connection.ensure_connection()
        try:
            with connection.wrap_database_errors:
                return tuple(connection.connection.execute(f"SELECT {columns}").fetchone())
        except OperationalError:
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def bump_content_version(sequence: str = CONTENT_VERSION_SEQUENCE) -> None:
    """Mark everything made from this content stale; called after the transaction that edited it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])


class LocalPages:
    """A small per-process LRU of rendered pages: (status, headers, body) by cache key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[Hashable, tuple[int, dict, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[int, dict, bytes] | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: tuple[int, dict, bytes]) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


local_pages = LocalPages(LOCAL_PAGES)
# Paths (with query) known to be public pages: only these are looked up ahead of the middleware,
# so that other requests pay no version read for them.
public_paths: set[str] = set()
PUBLIC_PATHS = 4096


def _page_key(request: HttpRequest, version: int) -> str:
    # The date is part of the key: which events are upcoming or past changes at midnight.
    raw = f"{request.get_full_path()}|{get_language()}|{version}|{timezone.localdate()}"
    return "agenda:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cached_page(request: HttpRequest, key: str, etag: str, view, args, kwargs) -> HttpResponse:
    page = local_pages.get(key) or cache.get(key)
    if page is None:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        # Headers are stored final, so serving a cached page only copies them.
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        response["Vary"] = "Cookie, Accept-Language"
        page = (response.status_code, dict(response.headers), response.content)
        cache.set(key, page, PAGE_TIMEOUT)
    local_pages.put(key, page)
    status, headers, body = page
    return HttpResponse(body, status=status, headers=headers)


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the cache, with an ETag for conditional requests."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Without a session cookie the visitor is anonymous: no need to load a user. Messages
        # waiting for the visitor are theirs alone: that page is neither served nor kept.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        has_messages = CookieStorage.cookie_name in request.COOKIES
        if (
            request.method not in ("GET", "HEAD")
            or has_messages
            or (signed_in and request.user.is_staff)
        ):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        version = content_version()
        # Tells PublicPageMiddleware that this response is a public page made from `version`.
        request.public_page_version = version
        key = _page_key(request, version)
        etag = quote_etag(key.rsplit(":", 1)[1][:32])
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            return response
        return _cached_page(request, key, etag, view, args, kwargs)

    return wrapper


class PublicPageMiddleware:
    """Answer anonymous GETs of public pages from this process's memory, ahead of the middleware
    below it (sessions, locale, CSRF, authentication, messages, history, axes).

    A page is kept as the middleware below left it, under its path, the request's language
    inputs (Accept-Language and the language cookie), the content version and the date; only
    responses that `cached_public_page` produced and that set no cookie are kept. Requests with
    a session or messages cookie always go the whole way. Put it after SecurityMiddleware,
    DatabaseUnavailableMiddleware and WhiteNoise, before SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookies = request.COOKIES
        anonymous = request.method in ("GET", "HEAD") and not any(
            name in cookies for name in PRIVATE_COOKIES
        )
        path = request.get_full_path()
        if anonymous and path in public_paths:
            page = local_pages.get(self._key(request, path, content_version()))
            if page is not None:
                return self._serve(request, page)
        response = self.get_response(request)
        version = getattr(request, "public_page_version", None)
        if (
            anonymous
            and version is not None
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            if len(public_paths) >= PUBLIC_PATHS:
                public_paths.clear()
            public_paths.add(path)
            page = (response.status_code, dict(response.headers), response.content)
            local_pages.put(self._key(request, path, version), page)
        return response

    @staticmethod
    def _key(request: HttpRequest, path: str, version: int) -> tuple:
        return (
            path,
            request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
            version,
            # Which events are upcoming or past changes at midnight.
            timezone.localdate(),
        )

    @staticmethod
    def _serve(request: HttpRequest, page: tuple[int, dict, bytes]) -> HttpResponse:
        status, headers, body = page
        etag = headers.get("ETag")
        if etag and etag in request.headers.get("If-None-Match", ""):
            kept = ("ETag", "Cache-Control", "Vary", "Content-Language")
            return HttpResponse(status=304, headers={h: headers[h] for h in kept if h in headers})
        return HttpResponse(body, status=status, headers=headers)
