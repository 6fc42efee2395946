"""Caching of public pages, invalidated by any edit of agenda content.

Every public page is stored under a key that includes a content version. Any save or delete of an
agenda model replaces the version once its transaction commits (see agenda.signals), so the next
request after an edit renders afresh, in every web process, while unchanged pages cost one or two
cache reads. Organizers (staff) see drafts and are never served from or into the cache.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "agenda:content-version"
PAGE_TIMEOUT = 24 * 3600
BROWSER_MAX_AGE = 60


def content_version() -> str:
    """The current version of agenda content, created when the cache has none."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return str(version)


def bump_content_version() -> None:
    """Mark every cached page stale; called after a transaction that edited agenda content."""
    cache.set(CONTENT_VERSION_KEY, str(time.time_ns()), timeout=None)


def _page_key(request: HttpRequest, version: str) -> str:
    # The date is part of the key: which events are upcoming or past changes at midnight.
    raw = f"{request.get_full_path()}|{get_language()}|{version}|{timezone.localdate()}"
    return "agenda:page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the shared cache, with an ETag for conditional requests."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.user.is_staff:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        version = content_version()
        key = _page_key(request, version)
        etag = quote_etag(key.rsplit(":", 1)[1][:32])
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        else:
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code == 200 and not response.cookies:
                    cache.set(key, response, PAGE_TIMEOUT)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        response["Vary"] = "Cookie, Accept-Language"
        return response

    return wrapper
