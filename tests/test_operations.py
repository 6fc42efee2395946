"""Operations: health check, database outages, production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "IDM_ENVIRONMENT": "production",
    "SECRET_KEY": "x7-" + "k3Jq9vLr2TzW8mYp4NcB6hFd1GsXa5Ue0RiOw" * 2,
    "ALLOWED_HOSTS": "seminars.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "DATABASE_URL": "postgres://idm@localhost:5432/idm",
}

PROBE = """
from django.test import Client
client = Client(raise_request_exception=False)
for path in ("/healthz", "/"):
    response = client.get(path)
    print(path, response.status_code, response.get("Retry-After"), response.content[:200])
"""


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_pages_answer_503_with_retry_after_when_the_database_is_unreachable():
    result = run_django(PROBE, DATABASE_URL="postgres://idm@/idm?host=/nonexistent-socket-dir")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("/healthz 503 30 b'database unavailable")
    assert lines[1].startswith("/ 503 30 ")
    assert "Traceback" not in result.stdout


def test_healthz_and_pages_ask_for_the_same_retry_after_in_an_outage():
    code = "import idm_seminar.pagecache as p\np.RETRY_AFTER_SECONDS = 45\n" + PROBE

    result = run_django(code, DATABASE_URL="postgres://idm@/idm?host=/nonexistent-socket-dir")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("/healthz 503 45 ")
    assert lines[1].startswith("/ 503 45 ")


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def import_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter, as a production process starts."""
    environment = {**os.environ, **PRODUCTION_ENV, **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", "import idm_seminar.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


STRONG_KEY = PRODUCTION_ENV["SECRET_KEY"]


@pytest.mark.parametrize(
    ("secret_key", "refusal"),
    [
        ("", "SECRET_KEY has 0 characters"),
        ("too-short", "SECRET_KEY has 9 characters"),
        (STRONG_KEY[:49], "SECRET_KEY has 49 characters"),
        ("a" * 50, "SECRET_KEY has 1 distinct characters"),
        ("abcd" * 20, "SECRET_KEY has 4 distinct characters"),
        (
            "django-insecure-local-only-key-never-used-in-production",
            "starts with 'django-insecure-'",
        ),
        ("django-insecure-" + STRONG_KEY, "starts with 'django-insecure-'"),
    ],
)
def test_production_settings_refuse_a_weak_secret_key(secret_key, refusal):
    result = import_settings(SECRET_KEY=secret_key)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert refusal in result.stderr


def test_production_settings_refuse_a_missing_secret_key():
    environment = {**os.environ, **PRODUCTION_ENV}
    environment.pop("SECRET_KEY")
    environment.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "-c", "import idm_seminar.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "starts with 'django-insecure-'" in result.stderr


@pytest.mark.parametrize("secret_key", [STRONG_KEY, "abcde" * 10])
def test_production_settings_start_with_a_strong_secret_key(secret_key):
    result = import_settings(SECRET_KEY=secret_key)

    assert result.returncode == 0, result.stderr


REFERRER_PROBE = """
from django.test import Client
response = Client(raise_request_exception=False).get("/healthz", secure=True, headers={"host": %r})
print(response.status_code, response.get("Referrer-Policy"))
"""


@pytest.mark.parametrize(
    ("environment", "host"),
    [({"IDM_ENVIRONMENT": "local"}, "localhost"), (PRODUCTION_ENV, "seminars.example.org")],
    ids=["local", "production"],
)
def test_referrer_policy_is_same_origin_in_every_environment(environment, host):
    # Links carrying secret tokens rely on it; no view sets the header itself.
    unreachable = "postgres://idm@/idm?host=/nonexistent-socket-dir"
    result = run_django(REFERRER_PROBE % host, **{**environment, "DATABASE_URL": unreachable})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "same-origin"]
