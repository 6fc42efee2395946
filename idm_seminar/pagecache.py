"""The page cache of the public site, and how the site answers while its database is down.

A public page is a view decorated with `cached_public_page`. The decorator names the query
parameters the page reads, each with a function giving its canonical value (`PAGINATED`: the page
number). The page's address is its path plus those parameters in canonical form; every other
parameter is dropped before the view runs, so `/agenda/?v=<random>` is the page `/agenda/`:
served from the cache, never rendered or stored anew.

A page is kept under its address, the language, the content version and the date. The content
version is a Postgres sequence that any edit of public content advances after its commit
(agenda/signals.py), so the next request after an edit renders afresh in every process; the date,
because which events are upcoming or past changes at midnight. `PageCacheMiddleware`, at the top
of the middleware, answers anonymous GETs of addresses it knows from this process's memory, ahead
of sessions, CSRF and authentication, for one round trip (reading the version). A process that has
not rendered the page yet finds it in the shared cache (Django's default cache), which other
processes filled. Only rendered answers that are 200, not streamed, set no cookie, do not vary on
the cookie and did not use CSRF are kept; the cache then adds its own `Vary: Cookie` so that
browsers and proxies do not reuse the anonymous page for a signed-in organizer.

While the database cannot be reached, a public page in memory is still served, marked stale
(`X-Page-Cache: stale`, `Cache-Control: no-cache`); everything else answers the 503 page with
Retry-After, never a 500. Broken connections are dropped; after a failed connection none is tried
for settings.DATABASE_RETRY_SECONDS (idm_seminar/postgresql/base.py), so that requests meanwhile
are answered at once, and the first request after that connects anew: the site recovers by itself
when the database is back.
"""

import datetime
import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_language_from_request,
)

CONTENT_VERSION_SEQUENCE = "agenda_content_version"
PAGE_TIMEOUT = 24 * 3600
BROWSER_MAX_AGE = 60
LOCAL_PAGES = 512
KNOWN_PATHS = 4096
RETRY_AFTER_SECONDS = 30
STALE_HEADER = "X-Page-Cache"
# Cookies that make a visitor's page their own: a signed-in session, or messages to show.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
# What Django raises when the database cannot be reached: refused or lost connections
# (OperationalError) and the use of a connection that was lost meanwhile (InterfaceError).
DATABASE_DOWN = (OperationalError, InterfaceError)

type Query = Mapping[str, Callable[[str], str | None]]


def page_number(value: str) -> str | None:
    """A page number in canonical form ("2" for "02"), or None for anything else."""
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return str(int(value))
    return None


# The query of paginated lists.
PAGINATED: Query = {"page": page_number}


# --- content versions ---------------------------------------------------------------------------


def content_version(sequence: str = CONTENT_VERSION_SEQUENCE) -> int:
    """The current version of public content (or of the `sequence` named)."""
    return content_versions(sequence)[0]


def content_versions(*sequences: str) -> tuple[int, ...]:
    """The current versions of the sequences named, in one round trip.

    Read on the raw connection, without Django's cursor wrapper or its health check: a sequence
    is not transactional, so every process sees a bump as soon as it is made. A connection found
    broken (the database restarted) is replaced once before giving up with OperationalError.
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


# --- pages in memory ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """A stored answer, with the headers it is served with, and what it was made from."""

    version: int
    day: datetime.date
    status: int
    headers: dict[str, str]
    body: bytes


class LocalPages:
    """This process's newest page of each (address, language), least recently used out first,
    and the query each known path reads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[tuple[str, str], Page] = OrderedDict()
        self.paths: dict[str, Query] = {}
        self.lock = threading.Lock()

    def get(self, address: str, language: str) -> Page | None:
        with self.lock:
            page = self.pages.get((address, language))
            if page is not None:
                self.pages.move_to_end((address, language))
            return page

    def put(self, path: str, query: Query, address: str, language: str, page: Page) -> None:
        with self.lock:
            if path not in self.paths and len(self.paths) >= KNOWN_PATHS:
                self.paths.clear()
            self.paths[path] = query
            self.pages[(address, language)] = page
            self.pages.move_to_end((address, language))
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def query_of(self, path: str) -> Query | None:
        """The query a known public path reads; None for a path never stored here."""
        return self.paths.get(path)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.paths.clear()


local_pages = LocalPages(LOCAL_PAGES)


def canonical_query(request: HttpRequest, query: Query) -> str:
    """The request's query string reduced to the parameters `query` names, in canonical form."""
    if not request.META.get("QUERY_STRING"):
        return ""
    known = {}
    for name, canonical in query.items():
        if name in request.GET and (value := canonical(request.GET[name])) is not None:
            known[name] = value
    return urlencode(sorted(known.items()))


def _address(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


def _shared_key(address: str, language: str, version: int, day: datetime.date) -> str:
    raw = f"{address}|{language}|{version}|{day}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


@dataclass(slots=True)
class PublicPage:
    """What `cached_public_page` tells the middleware about the request it handles."""

    path: str
    query: Query
    address: str
    language: str
    version: int | None = None
    day: datetime.date | None = None
    key: str = ""
    # Found in the shared cache: kept in memory as it is, not stored again.
    shared: Page | None = None
    # The view asked for a CSRF token: noted when its answer is made, since CsrfViewMiddleware
    # clears its own flag once it has set the cookie.
    used_csrf: bool = False


# --- the decorator ------------------------------------------------------------------------------


def cached_public_page(view: Callable | None = None, *, query: Query | None = None) -> Callable:
    """Serve a public GET page from the cache, with an ETag for conditional requests.

    `query` names the query parameters the page reads, each with the function that gives its
    canonical value (None drops it); the view never sees any other. Organizers (staff) and
    visitors with messages waiting get the page rendered for them, marked private.
    """
    if view is None:
        return partial(cached_public_page, query=query)
    known: Query = dict(query or {})

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if (
            request.method not in ("GET", "HEAD")
            or CookieStorage.cookie_name in request.COOKIES
            or (signed_in and request.user.is_staff)
        ):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if not signed_in:
            # Nobody is signed in: no session to load, so nothing in the page varies on it.
            request.user = AnonymousUser()
        query_string = canonical_query(request, known)
        request.META["QUERY_STRING"] = query_string
        request.GET = QueryDict(query_string)
        page = PublicPage(
            path=request.path,
            query=known,
            address=_address(request.path, query_string),
            language=get_language(),
        )
        # Set before the version is read: during an outage the middleware serves this page stale.
        request.public_page = page
        page.version, page.day = content_version(), timezone.localdate()
        page.key = _shared_key(page.address, page.language, page.version, page.day)
        etag = quote_etag(page.key.rsplit(":", 1)[1][:32])
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            # As the stored page does: a browser must not reuse it for a signed-in organizer.
            patch_vary_headers(response, ("Cookie",))
            return response
        shared = cache.get(page.key)
        if shared is not None:
            status, headers, body = shared
            page.shared = Page(page.version, page.day, status, headers, body)
            return HttpResponse(body, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        page.used_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if response.status_code == 200:
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    return wrapper


# --- the middleware -----------------------------------------------------------------------------


class PageCacheMiddleware:
    """Answer public pages from memory, keep the pages `cached_public_page` rendered, and answer
    database outages with stale pages or the 503 page.

    Put it right after SecurityMiddleware, above WhiteNoise, sessions, CSRF and authentication:
    pages from memory skip them, and an outage anywhere below becomes a 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Read the language as LocaleMiddleware will, so that a page is found under the language
        # it was rendered in: an address without a language prefix is the default language's.
        self.language_in_path, self.default_prefixed = is_language_prefix_patterns_used(
            settings.ROOT_URLCONF
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._from_memory(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if getattr(request, "database_down", False):
            return self._outage_response(request)
        self._keep(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            return self._outage_response(request)
        return None

    def _language(self, request: HttpRequest) -> str:
        if self.language_in_path and not self.default_prefixed:
            return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        return get_language_from_request(request, check_path=self.language_in_path)

    def _from_memory(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or any(
            name in request.COOKIES for name in PRIVATE_COOKIES
        ):
            return None
        query = local_pages.query_of(request.path)
        if query is None:
            return None
        address = _address(request.path, canonical_query(request, query))
        language = self._language(request)
        page = local_pages.get(address, language)
        if page is None:
            return None
        try:
            version = content_version()
        except DATABASE_DOWN:
            _drop_broken_connections()
            return _stale_response(page)
        if page.version != version or page.day != timezone.localdate():
            return None
        return _serve(request, page)

    @staticmethod
    def _keep(request: HttpRequest, response: HttpResponse) -> None:
        public: PublicPage | None = getattr(request, "public_page", None)
        if public is None or public.version is None:
            return
        if public.shared is not None:
            local_pages.put(
                public.path, public.query, public.address, public.language, public.shared
            )
            return
        if (
            response.status_code != 200
            or STALE_HEADER in response
            or response.streaming
            or response.cookies
            or has_vary_header(response, "Cookie")
            or public.used_csrf
        ):
            return
        patch_vary_headers(response, ("Cookie",))
        headers = dict(response.headers)
        page = Page(public.version, public.day, 200, headers, response.content)
        local_pages.put(public.path, public.query, public.address, public.language, page)
        try:
            cache.set(public.key, (page.status, page.headers, page.body), PAGE_TIMEOUT)
        except DATABASE_DOWN:  # lost since the page was rendered: it stays in this process only
            _drop_broken_connections()

    @staticmethod
    def _outage_response(request: HttpRequest) -> HttpResponse:
        _drop_broken_connections()
        public: PublicPage | None = getattr(request, "public_page", None)
        if public is not None and (page := local_pages.get(public.address, public.language)):
            return _stale_response(page)
        return database_unavailable_response()


def _serve(request: HttpRequest, page: Page) -> HttpResponse:
    etag = page.headers.get("ETag")
    if etag and etag in request.headers.get("If-None-Match", ""):
        kept = ("ETag", "Cache-Control", "Vary", "Content-Language")
        return HttpResponse(
            status=304, headers={h: page.headers[h] for h in kept if h in page.headers}
        )
    return HttpResponse(page.body, status=page.status, headers=page.headers)


def _stale_response(page: Page) -> HttpResponse:
    response = HttpResponse(page.body, status=page.status, headers=page.headers)
    response[STALE_HEADER] = "stale"
    response["Cache-Control"] = "no-cache"
    return response


def database_unavailable_response() -> HttpResponse:
    """A short 503 page that tells people (and proxies) to come back shortly."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _drop_broken_connections() -> None:
    """Close every connection of this thread, so that the next request connects anew."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a dead connection may fail to close: forget it
            conn.connection = None


@receiver(got_request_exception)
def _note_database_down(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Mark a request whose failure below the view (a middleware, an error page) came from the
    database, so that PageCacheMiddleware answers 503 instead of the 500 Django made of it."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        request.database_down = True
