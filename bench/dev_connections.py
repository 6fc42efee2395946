"""How many database connections the development server keeps open after a burst of requests.

Starts the server exactly as `make run` does: `manage.py runserver 127.0.0.1:PORT --noreload`
(threaded, one thread per request) with SITE_URL pointing at it and no CONN_MAX_AGE in its
environment, so that the settings' own rule for the development server is what is measured. Sends
REQUESTS GETs of public and form pages from CLIENTS parallel clients on loopback, waits a moment,
and counts the rows of pg_stat_activity for the site's database (this script's own connection
left out), and the most seen during the burst. Extra arguments go to the server's environment,
e.g. `CONN_MAX_AGE=60` to see what persistent connections do.

Run: .venv/bin/python bench/dev_connections.py [NAME=VALUE ...]  (after `make run` or `make test`
set up the database). Target: a handful (at most 5).
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, free_port

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
SETTLE_SECONDS = 2


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:  # counted as not 200 (e.g. 503: connections ran out)
        return error.code


COUNT = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def open_connections() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(COUNT)
        return cursor.fetchone()[0]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idm_seminar.settings")
    import django

    django.setup()
    from django.db import connection

    from agenda.models import Event

    event = Event.objects.get(slug="migration-and-human-resources-for-health")
    port = free_port()
    overrides = dict(arg.split("=", 1) for arg in sys.argv[1:])
    # The environment `make run` gives its server (the Makefile exports SITE_URL), nothing more.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE")
    }
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**environment, "SITE_URL": f"http://127.0.0.1:{port}", **overrides},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("runserver did not start") from None
                time.sleep(0.2)
        pages = [
            f"{base}/{event.slug}/",
            f"{base}/{event.slug}/agenda/",
            f"{base}/{event.slug}/people/",
            f"{base}/{event.slug}/register/",
        ]
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            try:
                while not done.wait(0.02):
                    peak = max(peak, open_connections())
            finally:
                connection.close()

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.monotonic()
        try:
            with ThreadPoolExecutor(CLIENTS) as clients:
                statuses = list(clients.map(get, (pages[n % len(pages)] for n in range(REQUESTS))))
        finally:
            done.set()
            watcher.join()
        elapsed = time.monotonic() - started
        time.sleep(SETTLE_SECONDS)
        after = open_connections()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    failed = sum(status != 200 for status in statuses)
    print(
        f"{REQUESTS} GETs from {CLIENTS} clients in {elapsed:.1f}s ({failed} not 200); "
        f"database connections at most {peak} during the burst, {after} afterwards"
        + (f" (server with {' '.join(sys.argv[1:])})" if overrides else "")
    )
    if failed or after > 5:
        sys.exit(1)


if __name__ == "__main__":
    main()
