"""Shared pieces of the benchmarks: a gunicorn server on loopback under production settings,
and wrk to load it. Every run is bounded in time and talks only to 127.0.0.1."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PRODUCTION_ENV = {
    "IDM_ENVIRONMENT": "production",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-" + "Zt8qW3nLx6Vb1Rk9Hd4Ys7Jm2Pc5Gf0Ae" * 2,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_URL": "smtp://127.0.0.1:2525",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    "LOG_LEVEL": "ERROR",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return result.stdout


@contextmanager
def gunicorn(*, workers: int = 2, threads: int = 1):
    """Serve the site with gunicorn under production settings; yields the base URL."""
    port = free_port()
    env = {**os.environ, **PRODUCTION_ENV}
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, *, seconds: int = 8, connections: int = 8, threads: int = 1) -> dict:
    """Load one URL with wrk; requests/s and p50/p99 latency in milliseconds."""
    if shutil.which("wrk") is None:
        raise SystemExit("The benchmarks need wrk: apt-get install wrk")
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROCESS_KINDS = {
    "gunicorn": "web (gunicorn)",
    "db_worker": "mail worker (db_worker)",
    "postgres": "Postgres",
    "bench/": "load generator and SMTP sink",
}


def cpu_seconds_by_kind() -> dict[str, float]:
    """CPU seconds (user + system) used so far by the processes in play, by kind; with a later
    call, tells where a phase's CPU went. Processes that ended in between are not counted."""
    seconds: dict[str, float] = dict.fromkeys(PROCESS_KINDS.values(), 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, UnicodeDecodeError):
            continue  # ended meanwhile, or not ours to read
        for marker, kind in PROCESS_KINDS.items():
            if marker in command:
                seconds[kind] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
                break
    return seconds


def open_bench_event(*, slug: str, title: str, capacity: int):
    """A published event in 2031 whose registration is open now, named for one benchmark run."""
    import datetime

    from django.utils import timezone

    from agenda.models import Event, Organization
    from registration.models import RegistrationSettings

    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    organizer, _ = Organization.objects.get_or_create(
        name="International Organization for Migration"
    )
    event = Event.objects.create(
        slug=f"{slug}-{stamp}",
        title=title,
        start_date=datetime.date(2031, 3, 23),
        end_date=datetime.date(2031, 3, 24),
        city="Geneva",
        organizer=organizer,
        status=Event.Status.PUBLISHED,
    )
    RegistrationSettings.objects.update_or_create(
        event=event,
        defaults={
            "capacity": capacity,
            "opens_at": timezone.now() - datetime.timedelta(hours=1),
            "closes_at": timezone.now() + datetime.timedelta(days=1),
        },
    )
    return event
