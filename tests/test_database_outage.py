"""A database outage under a running server: stale public pages or 503s, never a 500.

The server is a real gunicorn process on loopback, and the database a throwaway PostgreSQL of its
own (the launcher of devtools/localdb.py with another project root), really stopped and
started again: stopping the suite's own server would break the other tests.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools import localdb

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SLUG = "migration-and-human-resources-for-health"
CACHED = [
    f"/{SLUG}/",
    f"/{SLUG}/agenda/",
    f"/{SLUG}/people/",
    f"/{SLUG}/sessions/session-1/",
]
NOT_CACHED = [
    f"/{SLUG}/register/",  # a form: uses CSRF, never stored
    f"/{SLUG}/documents/",  # public, but not visited before the outage
    f"/{SLUG}/people/luigi-bertinato/",
    "/events/",
    "/healthz",
]

# After a failed connection, the server does not try again for this long.
RETRY_SECONDS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def get(base: str, address: str, **headers: str) -> Answer:
    request = urllib.request.Request(base + address, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


@dataclass
class ThrowawayPostgres:
    root: Path
    env: dict[str, str]

    @property
    def url(self) -> str:
        run = self.root / "var" / "run"
        return f"postgres://{localdb.SUPERUSER}@/{localdb.DB_NAME}?host={run}&port=5432"

    def launcher(self, command: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "devtools.localdb", command],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )


@pytest.fixture
def throwaway_postgres():
    root = Path(tempfile.mkdtemp(prefix="idm-outage-", dir="/tmp"))
    root.chmod(0o755)  # the server may run as the unprivileged user (as root)
    (root / "var").mkdir()
    env = {**os.environ, "IDM_PROJECT_ROOT": str(root), "IDM_PG_PORT": "5432"}
    env.pop("DATABASE_URL", None)
    # The suite's server has its binaries extracted already: reuse them rather than unpack again.
    binaries = localdb.binaries_dir(localdb.Layout(ROOT, "5432"), localdb.find_archive())
    if (binaries / "bin" / "postgres").is_file():
        (root / "var" / binaries.name).symlink_to(binaries)
    postgres = ThrowawayPostgres(root, env)
    try:
        postgres.launcher("start")
        yield postgres
    finally:
        subprocess.run(
            [sys.executable, "-m", "devtools.localdb", "stop"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def site(throwaway_postgres):
    """The seed event served by gunicorn from the throwaway database; yields the base URL."""
    env = {
        **os.environ,
        "DATABASE_URL": throwaway_postgres.url,
        "DEBUG": "false",
        "LOG_LEVEL": "CRITICAL",
        "DATABASE_RETRY_SECONDS": str(RETRY_SECONDS),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for command in (["migrate", "--no-input"], ["createcachetable"], ["load_seed_event"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "idm_seminar.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "critical"),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base, "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_database_outage_serves_cached_pages_stale_and_the_rest_503(site, throwaway_postgres):
    before = {address: [get(site, address), get(site, address)] for address in CACHED}
    healthy = [answer for answers in before.values() for answer in answers]
    healthy += [get(site, address) for address in NOT_CACHED[:1]]

    throwaway_postgres.launcher("stop")
    cached = {address: get(site, address) for address in CACHED}
    with_query = {address: get(site, f"{address}?v=outage") for address in CACHED}
    other_language = get(site, CACHED[1], **{"Accept-Language": "fr"})
    refused = {address: get(site, address) for address in NOT_CACHED}
    throwaway_postgres.launcher("start")
    # The site tries the database again once its back-off after the last failure has passed.
    time.sleep(RETRY_SECONDS)
    after = {address: get(site, address) for address in CACHED + NOT_CACHED}

    during = [*cached.values(), *with_query.values(), other_language, *refused.values()]
    statuses = [answer.status for answer in healthy + during + list(after.values())]
    assert statuses.count(500) == 0
    assert {answer.status for answer in healthy} == {200}
    assert all("X-Page-Cache" not in answer.headers for answer in healthy)
    # English is the only language until the French and Spanish catalogs exist, so a French
    # visitor is given the English page that is already cached.
    for address, answer in [*cached.items(), *with_query.items(), (CACHED[1], other_language)]:
        assert answer.status == 200, address
        assert answer.headers["X-Page-Cache"] == "stale", address
        assert answer.headers["Cache-Control"] == "no-cache", address
        assert answer.body == before[address][0].body, address
    for answer in refused.values():
        assert answer.status == 503
        assert answer.headers["Retry-After"] == "30"
    assert {address: answer.status for address, answer in after.items()} == dict.fromkeys(
        CACHED + NOT_CACHED, 200
    )
    assert all("X-Page-Cache" not in answer.headers for answer in after.values())
