"""Middleware that keeps a database outage from turning into tracebacks."""

from collections.abc import Callable

from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30


def database_unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    """A short 503 page that tells people (and proxies) to come back shortly."""
    body = render_to_string("503.html", request=None)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After while the database cannot be reached.

    Django closes a broken persistent connection at the end of the request (CONN_HEALTH_CHECKS
    checks it at the start of the next), so the site recovers on its own once Postgres is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except OperationalError:
            self._drop_broken_connections()
            return database_unavailable_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError):
            self._drop_broken_connections()
            return database_unavailable_response(request)
        return None

    @staticmethod
    def _drop_broken_connections() -> None:
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:  # a dead connection may fail to close: forget it
                connection.connection = None
