"""Per-client limits on form submissions, counted in the shared cache.

The count must hold exactly across all web processes, so it is never a read-modify-write of a
cached value. In the database cache (the default), one statement counts a submission: an upsert
of a counter row in the cache's table, which Postgres serializes on that row, and which refuses
to count past the limit. In another shared cache (Redis, memcached) each allowed submission
claims a numbered slot with `cache.add`, which only one client can win for a given key.
"""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind PROXY_COUNT trusted proxies, the one the nearest proxy saw.

    Behind a load balancer every request comes from the balancer's address, so without this a
    limit per address would become one limit for everybody.
    """
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:100]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(
    scope: str,
    address: str,
    *,
    limit: int | None = None,
    window: int | None = None,
    backend: BaseCache | None = None,
) -> bool:
    """Count a submission from `address`; False once `limit` were made in the current window."""
    limit = settings.REGISTRATION_RATE_LIMIT if limit is None else limit
    window = settings.REGISTRATION_RATE_WINDOW if window is None else window
    backend = backend or caches[DEFAULT_CACHE_ALIAS]
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"registration:rate:{scope}:{digest}:{int(time.time() // window)}"
    if isinstance(backend, DatabaseCache):
        return _count_in_table(backend, key, limit=limit, window=window)
    # A client's first submission in a window costs one `add`; the n-th costs n, which only
    # matters to a client hammering the form.
    return any(backend.add(f"{key}:{slot}", 1, timeout=window) for slot in range(1, limit + 1))


def _count_in_table(backend: DatabaseCache, key: str, *, limit: int, window: int) -> bool:
    """Add one to the key's counter row in the database cache's table, unless it reached `limit`.

    One round trip instead of the cache API's four statements and a savepoint per `add`, and no
    COUNT(*) of the whole table. The row holds a plain number, not a pickled value, so it is
    never read through the cache API; it expires with the window and is culled like any entry.
    """
    key = backend.make_and_validate_key(key)
    connection = connections[router.db_for_write(backend.cache_model_class)]
    table = connection.ops.quote_name(backend._table)
    expires = datetime.datetime.fromtimestamp(time.time() + window, tz=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS entry (cache_key, value, expires) VALUES (%s, '1', %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET value = (entry.value::integer + 1)::text "
            "WHERE entry.value::integer < %s "
            "RETURNING 1",
            [key, expires, limit],
        )
        return cursor.fetchone() is not None and limit > 0
