"""How long database connections are kept: per request under the development server, which runs
each request in a thread of its own, and persistent in every other process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def connection_age(argv: list[str], **env: str) -> int:
    """CONN_MAX_AGE as the settings give it to a process started with `argv`."""
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    if "CONN_MAX_AGE" not in env:
        environment.pop("CONN_MAX_AGE", None)
    code = (
        f"import sys; sys.argv = {argv!r}; import idm_seminar.settings as settings; "
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout)


@pytest.mark.parametrize(
    "argv",
    [
        ["manage.py", "runserver", "127.0.0.1:8000", "--noreload"],
        ["/srv/idm/manage.py", "runserver"],
    ],
)
def test_development_server_connects_per_request(argv):
    assert connection_age(argv) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["gunicorn", "idm_seminar.wsgi:application"],
        ["manage.py", "migrate"],
        ["manage.py", "shell", "-c", "runserver"],
    ],
)
def test_other_processes_keep_connections_for_a_minute(argv):
    assert connection_age(argv) == 60


def test_connection_age_from_the_environment_wins_under_the_development_server():
    assert connection_age(["manage.py", "runserver"], CONN_MAX_AGE="30") == 30
