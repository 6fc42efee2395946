"""After a failed connection, the site does not try the database again for a few seconds."""

import time

import psycopg
import pytest
from django.db import OperationalError, connections

from idm_seminar.postgresql.base import database_down


@pytest.fixture
def refused_connections(db, monkeypatch):
    """Every new connection is refused by the server; yields the list of attempts."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(kwargs)
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(psycopg, "connect", refuse)
    database_down.clear()
    yield attempts
    database_down.clear()


def try_to_connect(wrapper) -> str:
    with pytest.raises(OperationalError) as error:
        wrapper.ensure_connection()
    return str(error.value)


def test_failed_connection_is_not_retried_within_the_retry_window(refused_connections, settings):
    settings.DATABASE_RETRY_SECONDS = 60
    wrapper = connections["default"].copy()

    errors = [try_to_connect(wrapper) for _ in range(5)]

    assert len(refused_connections) == 1
    assert errors[0] == "connection refused"
    assert all("not retrying yet" in error for error in errors[1:])


def test_failed_connection_is_retried_after_the_retry_window(refused_connections, settings):
    settings.DATABASE_RETRY_SECONDS = 0.05
    wrapper = connections["default"].copy()
    try_to_connect(wrapper)

    time.sleep(0.1)
    try_to_connect(wrapper)

    assert len(refused_connections) == 2
