"""Per-client limits on form submissions, counted in the shared cache.

Each allowed submission claims a numbered slot with `cache.add`, which only one client can win for
a given key on every backend (the database cache inserts under a primary key), so the limit holds
exactly across all web processes, unlike a read-modify-write counter.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import BaseCache, cache
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
    backend = backend or cache
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    prefix = f"registration:rate:{scope}:{digest}:{int(time.time() // window)}"
    # A client's first submission in a window costs one `add`; the n-th costs n, which only
    # matters to a client hammering the form.
    return any(backend.add(f"{prefix}:{slot}", 1, timeout=window) for slot in range(1, limit + 1))
