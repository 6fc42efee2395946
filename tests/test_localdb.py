"""The private PostgreSQL launcher (devtools/localdb.py).

These tests never use Django's test database (no ``db`` fixture): the server tests run the
launcher as a subprocess on scratch project roots (``IDM_PROJECT_ROOT``), each with its own
var/ and socket, so they do not touch the project's own server.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from devtools import localdb
from devtools.localdb import (
    ACL_GROUP,
    ACL_GROUP_OBJ,
    ACL_MASK,
    ACL_OTHER,
    ACL_USER,
    ACL_USER_OBJ,
)
from devtools.localdb import (
    ACL_UNDEFINED_ID as UNDEF,
)

REPO = Path(__file__).resolve().parent.parent


def launcher(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m devtools.localdb ARGS`` against the scratch project ``root``."""
    environ = {k: v for k, v in os.environ.items() if k not in ("IDM_PG_PORT", "IDM_PG_ARCHIVE")}
    return subprocess.run(
        [sys.executable, "-m", "devtools.localdb", *args],
        cwd=REPO,
        env={**environ, "IDM_PROJECT_ROOT": str(root), **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_connection_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDM_PG_PORT", raising=False)
    assert localdb.connection_settings(tmp_path) == {
        "HOST": str(tmp_path / "var" / "run"),
        "PORT": "5432",
        "NAME": "idm_seminar",
        "USER": "idm",
    }
    monkeypatch.setenv("IDM_PG_PORT", "6543")
    assert localdb.connection_settings(tmp_path)["PORT"] == "6543"
    monkeypatch.setenv("IDM_PROJECT_ROOT", str(tmp_path))
    assert localdb.connection_settings()["HOST"] == str(tmp_path / "var" / "run")
    monkeypatch.delenv("IDM_PROJECT_ROOT")
    assert localdb.connection_settings()["HOST"] == str(REPO / "var" / "run")


def test_acl_encoding_round_trip() -> None:
    entries = [
        (ACL_USER_OBJ, UNDEF, 7),
        (ACL_USER, 1000, 5),
        (ACL_USER, 999, 1),
        (ACL_GROUP_OBJ, UNDEF, 5),
        (ACL_GROUP, 50, 4),
        (ACL_MASK, UNDEF, 5),
        (ACL_OTHER, UNDEF, 0),
    ]
    raw = localdb.encode_acl(entries)
    assert raw[:4] == b"\x02\x00\x00\x00"
    assert len(raw) == 4 + 8 * len(entries)
    # sorted by tag then id; each entry is (u16 tag, u16 perm, u32 id), little-endian
    assert raw[4:12] == b"\x01\x00\x07\x00\xff\xff\xff\xff"
    assert struct.unpack("<HHI", raw[12:20]) == (ACL_USER, 1, 999)
    assert localdb.decode_acl(raw) == sorted(entries)
    with pytest.raises(ValueError):
        localdb.decode_acl(b"\x01\x00\x00\x00")


def test_traverse_entry_keeps_existing_permissions() -> None:
    # Plain mode 0750: the new mask must cover the owning group's r-x as well as x.
    entries = localdb.with_user_traverse(localdb.acl_from_mode(0o750), 999)
    assert entries == [
        (ACL_USER_OBJ, UNDEF, 7),
        (ACL_USER, 999, 1),
        (ACL_GROUP_OBJ, UNDEF, 5),
        (ACL_MASK, UNDEF, 5),
        (ACL_OTHER, UNDEF, 0),
    ]
    # An existing ACL: named entries stay, the user's r gains x, the mask gains x.
    existing = [
        (ACL_USER_OBJ, UNDEF, 7),
        (ACL_USER, 999, 4),
        (ACL_GROUP_OBJ, UNDEF, 0),
        (ACL_GROUP, 50, 6),
        (ACL_MASK, UNDEF, 4),
        (ACL_OTHER, UNDEF, 0),
    ]
    assert localdb.with_user_traverse(existing, 999) == [
        (ACL_USER_OBJ, UNDEF, 7),
        (ACL_USER, 999, 5),
        (ACL_GROUP_OBJ, UNDEF, 0),
        (ACL_GROUP, 50, 6),
        (ACL_MASK, UNDEF, 5),
        (ACL_OTHER, UNDEF, 0),
    ]


def test_grant_traverse_on_a_real_directory(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    try:
        localdb.grant_traverse(private, 54321)
    except localdb.LocalDbError:
        pytest.skip("this file system does not support POSIX ACLs")
    acl = localdb.decode_acl(os.getxattr(private, localdb.ACL_XATTR))
    assert (ACL_USER, 54321, 1) in acl
    assert (ACL_GROUP_OBJ, UNDEF, 0) in acl
    assert private.stat().st_mode & 0o777 == 0o710  # group bits show the mask


def test_missing_binaries_give_a_one_line_error(tmp_path: Path) -> None:
    result = launcher(tmp_path, "start", IDM_PG_ARCHIVE=str(tmp_path / "missing.tar.gz"))
    assert_one_line_error(result, "binaries", "make install")


@pytest.fixture(scope="module")
def running_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scratch project root whose server has been started (and is stopped afterwards)."""
    root = tmp_path_factory.mktemp("pg")
    started = launcher(root, "start")
    try:
        assert started.returncode == 0, started.stderr
        assert "started the server" in started.stdout
        yield root
    finally:
        launcher(root, "stop")


@pytest.mark.slow
def test_start_is_idempotent_and_status_reports_running(running_root: Path) -> None:
    status = launcher(running_root, "status")
    assert status.returncode == 0
    assert "running" in status.stdout

    began = time.monotonic()
    again = launcher(running_root, "start")
    elapsed = time.monotonic() - began
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stdout
    assert elapsed < 1.5  # about 0.1 s; generous for loaded CI machines

    settings = localdb.connection_settings(running_root)
    with psycopg.connect(
        host=settings["HOST"], dbname=settings["NAME"], user=settings["USER"]
    ) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.slow
def test_stop_then_restart(running_root: Path) -> None:
    assert launcher(running_root, "stop").returncode == 0
    stopped = launcher(running_root, "status")
    assert stopped.returncode == 3
    assert "stopped" in stopped.stdout
    assert "not running" in launcher(running_root, "stop").stdout
    restarted = launcher(running_root, "start")  # existing cluster: no initdb, just start
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.startswith("localdb: started the server")


@pytest.mark.slow
def test_second_server_on_the_same_socket_is_refused(running_root: Path, tmp_path: Path) -> None:
    # Another project whose socket directory is the running server's: same socket file.
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "run").symlink_to(running_root / "var" / "run")
    for binaries in (running_root / "var").glob("postgresql-*"):
        if binaries.is_dir():
            (tmp_path / "var" / binaries.name).symlink_to(binaries)

    result = launcher(tmp_path, "start")
    assert_one_line_error(result, "already used by another PostgreSQL server", "IDM_PG_PORT")
    assert launcher(tmp_path, "status").returncode == 3
    assert launcher(running_root, "status").returncode == 0


def test_failures_are_explained_in_one_line(tmp_path: Path) -> None:
    paths = localdb.Layout(tmp_path, "5432")
    full = localdb.explain(paths, "initdb failed", "could not write: No space left on device")
    assert "disk full" in full
    log = (
        "pg_ctl: could not start server\n"
        "2026-01-01 10:00:00.000 UTC [42] LOG:  starting PostgreSQL 18.6\n"
        '2026-01-01 10:00:00.001 UTC [42] FATAL:  invalid value for parameter "port"\n'
        "2026-01-01 10:00:00.002 UTC [42] LOG:  database system is shut down\n"
    )
    other = localdb.explain(paths, "the server did not start", log)
    assert other.startswith('the server did not start: FATAL:  invalid value for parameter "port"')
    assert "\n" not in other
