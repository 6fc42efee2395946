"""Django's PostgreSQL backend that stops knocking on a database that is down.

When a new connection fails, the process notes a moment, settings.DATABASE_RETRY_SECONDS ahead,
until which the database is taken as down: every connection asked for meanwhile fails at once
with OperationalError, without waiting for the connect timeout (seconds when the host is
unreachable). The page cache turns that error into a stale page or the 503 page, as it does any
outage (idm_seminar/pagecache.py). After the moment, the next connection tries again, so the site
recovers by itself. Connections already open are used as they are.
"""

import threading
import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseDown:
    """The moment, process-wide, until which new connections are not tried."""

    def __init__(self) -> None:
        self.until = 0.0
        self.lock = threading.Lock()

    def holds(self) -> bool:
        """Whether a connection failed less than the retry window ago."""
        return time.monotonic() < self.until

    def note_failure(self) -> None:
        """Take the database as down for the retry window, from now."""
        with self.lock:
            self.until = time.monotonic() + settings.DATABASE_RETRY_SECONDS

    def clear(self) -> None:
        """Forget the last failure: the next connection is tried."""
        with self.lock:
            self.until = 0.0


database_down = DatabaseDown()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if database_down.holds():
            raise self.Database.OperationalError(
                "The database was unreachable moments ago; not retrying yet."
            )
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError:
            database_down.note_failure()
            raise
