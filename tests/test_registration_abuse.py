"""Abuse: per-client limits shared by every web process, and throttled organizer logins."""

import subprocess
import sys
import textwrap
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from registration import ratelimit

ALLOW_IN_SUBPROCESS = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idm_seminar.settings")
    import django
    django.setup()
    from django.db import connection
    connection.settings_dict["NAME"] = sys.argv[1]
    from registration import ratelimit
    print(sum(ratelimit.allow("test", sys.argv[2], limit=5, window=600) for _ in range(4)))
    """
)


def test_rate_limit_lives_in_a_cache_shared_by_processes():
    backend = settings.CACHES["default"]["BACKEND"]

    assert backend != "django.core.cache.backends.locmem.LocMemCache"
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
    }


@pytest.mark.django_db
def test_rate_limit_holds_across_separate_cache_clients():
    first_process = caches.create_connection("default")
    second_process = caches.create_connection("default")
    address = f"192.0.2.{uuid.uuid4().int % 250}"

    allowed_first = [
        ratelimit.allow("test", address, limit=5, window=600, backend=first_process)
        for _ in range(3)
    ]
    allowed_second = [
        ratelimit.allow("test", address, limit=5, window=600, backend=second_process)
        for _ in range(3)
    ]

    assert first_process is not second_process
    assert allowed_first == [True, True, True]
    assert allowed_second == [True, True, False]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_rate_limit_holds_across_processes():
    address = f"rate-limit-test-{uuid.uuid4()}"
    allowed_here = [ratelimit.allow("test", address, limit=5, window=600) for _ in range(3)]

    other = subprocess.run(
        [sys.executable, "-c", ALLOW_IN_SUBPROCESS, connection.settings_dict["NAME"], address],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=True,
    )

    assert allowed_here == [True, True, True]
    assert other.stdout.strip().splitlines()[-1] == "2"


@pytest.mark.django_db
def test_organizer_login_locked_after_repeated_failures(client, organizer):
    login = reverse("admin:login")
    failures = [
        client.post(login, {"username": "organizer", "password": f"wrong-{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    locked = client.post(login, {"username": "organizer", "password": "a-long-organizer-password"})

    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_organizer_login_lock_is_per_username_and_address(client, organizer, django_user_model):
    django_user_model.objects.create_user(
        "colleague", password="another-long-password", is_staff=True
    )
    login = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "organizer", "password": f"wrong-{n}"})

    colleague = client.post(login, {"username": "colleague", "password": "another-long-password"})

    assert colleague.status_code == 302


def test_client_address_behind_trusted_proxy(rf, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = rf.post("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2", REMOTE_ADDR="10.0.0.1")

    assert ratelimit.client_address(request) == "198.51.100.2"


def test_client_address_without_proxy_ignores_forwarded_header(rf, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = rf.post("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")

    assert ratelimit.client_address(request) == "10.0.0.1"
