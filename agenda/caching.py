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
from collections.abc import Callable
from functools import wraps

from django.conf import settings
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
LOCAL_PAGES = 256


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
        self.pages: OrderedDict[str, tuple[int, dict, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[int, dict, bytes] | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: tuple[int, dict, bytes]) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


local_pages = LocalPages(LOCAL_PAGES)


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
        # Without a session cookie the visitor is anonymous: no need to load a user.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if request.method not in ("GET", "HEAD") or (signed_in and request.user.is_staff):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _page_key(request, content_version())
        etag = quote_etag(key.rsplit(":", 1)[1][:32])
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            return response
        return _cached_page(request, key, etag, view, args, kwargs)

    return wrapper
