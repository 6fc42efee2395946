"""Registration load benchmark: many participants register and confirm at once.

Serves the site as production does: gunicorn under production settings (persistent database
connections), e-mail queued in the database task backend and sent by `manage.py db_worker` to an
SMTP server (aiosmtpd, on loopback). An event opens registration with fewer seats than
participants; then PARTICIPANTS virtual participants, CONCURRENCY at a time, each
  1. GET the registration form (CSRF cookie and token),
  2. POST it (one in DOUBLE_CLICK_EVERY posts it twice at once, as a double click does),
  3. POST the confirmation from their signed link. The link is the one the e-mail carries,
     made from the database here so that the load does not wait for the mail queue.
Each participant comes through a different client address (X-Forwarded-For behind one trusted
proxy), so the per-address rate limit stays at its production value.

Reports registrations/s (participants registered and confirmed per second of wall time), p50/p99
latency of each step, the CPU each kind of process spent per registration during the load (web,
mail worker, Postgres, this load generator with its SMTP sink), and the minimal Django view's
requests/s (wrk) in the same run; then checks
the database: every participant registered once, none lost, none pending, seats never overbooked,
the waiting list holding exactly the rest in order; and that the worker delivers every e-mail.

Run: .venv/bin/python bench/registration_load.py  (after `make run` or `make test` set up the
database; BENCH_PARTICIPANTS, BENCH_CONCURRENCY, BENCH_WORKERS, BENCH_SECONDS tune it)
Target: registrations/s >= 0.1x the minimal view's requests/s, p99 <= 300 ms.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "600"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
DOUBLE_CLICK_EVERY = 20  # one participant in 20 posts the form twice at once
TIME_LIMIT = 300  # seconds for the load phase
MAIL_DRAIN_LIMIT = 300  # seconds for the worker to send the queued e-mails afterwards
TARGET_RATIO = 0.1
TARGET_P99_MS = 300.0


class Mailbox:
    """Counts the e-mails the worker delivers to this run's participants."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += sum(rcpt.endswith(f"@{self.domain}") for rcpt in envelope.rcpt_tos)
        return "250 OK"


class Client:
    """One participant's HTTP client: keeps its cookies and one connection."""

    def __init__(self, base: str, address: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.origin = base
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        headers = {"X-Forwarded-For": self.address, "Origin": self.origin}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # gunicorn's sync workers close idle keep-alive connections: reconnect once.
            self.connection.close()
            started = time.perf_counter()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, text, elapsed

    def close(self) -> None:
        self.connection.close()


DOMAIN = f"run{int(time.time())}.bench.example.org"


def participant_form(event, n: int, csrf: str) -> dict:
    return {
        "csrfmiddlewaretoken": csrf,
        "honorific": "Ms." if n % 2 else "Mr.",
        "first_name": f"Participant{n}",
        "last_name": "Benchmark",
        "position": "Adviser",
        "organization": "Ministry of Labour",
        "sector": "gov_labour",
        "country": ["PH", "KE", "IN", "GH", "MA", "CH"][n % 6],
        "email": f"participant{n}@{DOMAIN}",
        "phone": "+41 22 717 91 11",
        "days": [day.isoformat() for day in event.days],
        "consent_privacy": "on",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def signed_link_path(event, address: str) -> str:
    """The path of the link in the participant's e-mail, made as the site makes it.

    Each client thread keeps its database connection for the whole run.
    """
    from registration.models import Registration, normalize_email

    # Only the access key is read: the load generator shares the 2 cores with the server.
    access_key = Registration.objects.values_list("access_key", flat=True).get(
        event=event, email_normalized=normalize_email(address)
    )
    return Registration(event=event, access_key=access_key).get_absolute_url()


def post_twice_at_once(client: Client, path: str, data: dict) -> list[tuple[int, str, float]]:
    twin = Client(client.origin, client.address)
    twin.cookies = dict(client.cookies)
    results: list[tuple[int, str, float]] = []
    threads = [
        threading.Thread(target=lambda c=c: results.append(c.request("POST", path, data)))
        for c in (client, twin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    twin.close()
    return results


def run_participant(base: str, event, n: int, timings: dict) -> str | None:
    """Register and confirm one participant; returns an error message or None."""
    client = Client(base, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
    register_path = f"/{event.slug}/register/"
    try:
        status, page, elapsed = client.request("GET", register_path)
        timings["form"].append(elapsed)
        if status != 200:
            return f"form: HTTP {status}"
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = participant_form(event, n, csrf)
        if n % DOUBLE_CLICK_EVERY == 0:
            results = post_twice_at_once(client, register_path, data)
            timings["register"].extend(elapsed for _status, _text, elapsed in results)
            if [status for status, _text, _elapsed in results] != [302, 302]:
                return f"double register: HTTP {[r[0] for r in results]}"
        else:
            status, _, elapsed = client.request("POST", register_path, data)
            timings["register"].append(elapsed)
            if status != 302:
                return f"register: HTTP {status}"
        confirm_path = signed_link_path(event, data["email"]) + "confirm/"
        status, _, elapsed = client.request("POST", confirm_path, {"csrfmiddlewaretoken": csrf})
        timings["confirm"].append(elapsed)
        if status != 302:
            return f"confirm: HTTP {status}"
        return None
    except Exception as error:  # the benchmark reports every failure instead of stopping
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()


def wait_for_mail(event) -> tuple[int, int, float]:
    """Wait until the worker has sent the event's e-mails: (sent, unsent, seconds waited)."""
    from outbox.models import Message
    from registration.models import RegistrationEmail

    emails = Message.objects.filter(
        pk__in=RegistrationEmail.objects.filter(registration__event=event).values("message_id")
    )
    started = time.monotonic()
    while emails.filter(state=Message.State.WAITING).exists():
        if time.monotonic() - started > MAIL_DRAIN_LIMIT:
            break
        time.sleep(0.5)
    return (
        emails.filter(state=Message.State.SENT).count(),
        emails.exclude(state=Message.State.SENT).count(),
        time.monotonic() - started,
    )


def remove_event(event) -> None:
    """Delete the benchmark's event and its registrations from the development database."""
    from django.db import DatabaseError

    try:
        event.delete()
    except DatabaseError as error:
        print(f"warning: the benchmark event {event.slug} could not be deleted: {error}")


def main() -> None:
    from aiosmtpd.controller import Controller

    smtp_port = common.free_port()
    mailbox = Mailbox(DOMAIN)
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    common.PRODUCTION_ENV = {
        **common.PRODUCTION_ENV,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PROXY_COUNT": "1",
    }
    os.environ.update(common.PRODUCTION_ENV)
    common.manage("migrate", "--no-input", "--verbosity", "0")
    import django

    django.setup()

    from registration.models import Registration

    capacity = PARTICIPANTS * 5 // 6
    event = common.open_bench_event(
        slug="registration-bench", title="Registration benchmark", capacity=capacity
    )
    worker = subprocess.Popen(
        [common.PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=common.ROOT,
        env={**os.environ, **common.PRODUCTION_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    timings: dict[str, list[float]] = {"form": [], "register": [], "confirm": []}
    try:
        with common.gunicorn(workers=WORKERS) as base:
            minimal = f"{base}/bench/minimal"
            common.wrk(minimal, seconds=1)
            before = common.wrk(minimal, seconds=SECONDS)

            cpu_before = common.cpu_seconds_by_kind()
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                futures = [
                    pool.submit(run_participant, base, event, n, timings)
                    for n in range(PARTICIPANTS)
                ]
                errors = [future.result(timeout=TIME_LIMIT) for future in futures]
            wall = time.perf_counter() - started
            cpu_during = {
                kind: seconds - cpu_before[kind]
                for kind, seconds in common.cpu_seconds_by_kind().items()
            }

            after = common.wrk(minimal, seconds=SECONDS)
        mail_sent, mail_unsent, mail_seconds = wait_for_mail(event)

        registrations = Registration.objects.filter(event=event)
        counts = {
            status: registrations.filter(status=status).count()
            for status in Registration.Status.values
        }
        total = registrations.count()
        distinct = registrations.values("email_normalized").distinct().count()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()
        remove_event(event)

    failures = [error for error in errors if error]
    registered = PARTICIPANTS - len(failures)
    all_requests = [t for values in timings.values() for t in values]
    reference_rps = (before["rps"] + after["rps"]) / 2
    registrations_per_second = registered / wall
    p99 = percentile(all_requests, 0.99)
    lost = PARTICIPANTS - total
    overbooked = max(0, counts["confirmed"] - capacity)
    checks = {
        "0 errors": not failures,
        "0 lost, 0 duplicates (one registration per participant)": total
        == PARTICIPANTS
        == distinct,
        "0 pending after confirmation": counts["pending"] == 0,
        "0 overbooked (confirmed == capacity)": overbooked == 0 and counts["confirmed"] == capacity,
        "the rest on the waiting list": counts["waiting"] == PARTICIPANTS - capacity,
        "every e-mail delivered by the worker": mail_unsent == 0 and mail_sent == mailbox.count,
        f"registrations/s >= {TARGET_RATIO} x minimal view": registrations_per_second
        >= TARGET_RATIO * reference_rps,
        f"p99 <= {TARGET_P99_MS:.0f} ms": p99 <= TARGET_P99_MS,
    }

    print(
        f"gunicorn {WORKERS} sync workers, production settings, database task queue + "
        f"db_worker; {PARTICIPANTS} participants, {CONCURRENCY} at a time; capacity {capacity}; "
        f"every {DOUBLE_CLICK_EVERY}th posts the form twice at once"
    )
    print(
        f"minimal view (40 KB, wrk -t1 -c8 -d{SECONDS}s): {before['rps']:.0f} req/s before, "
        f"{after['rps']:.0f} after"
    )
    print(
        f"registrations: {registered} in {wall:.1f} s = {registrations_per_second:.1f}/s "
        f"({registrations_per_second / reference_rps:.3f} x minimal); "
        f"{len(all_requests) / wall:.0f} requests/s"
    )
    print(f"{'step':<10}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for step, values in [*timings.items(), ("all", all_requests)]:
        print(
            f"{step:<10}{len(values):>6}{statistics.median(values):>10.1f}"
            f"{percentile(values, 0.99):>10.1f}{max(values):>10.1f}"
        )
    print(
        "CPU per registration during the load: "
        + ", ".join(
            f"{kind} {seconds / registered * 1000:.1f} ms" for kind, seconds in cpu_during.items()
        )
    )
    print(
        f"database: {total} registrations ({distinct} addresses) {counts}; lost {lost}, "
        f"overbooked {overbooked}"
    )
    print(
        f"e-mail: {mail_sent} sent ({mailbox.count} received by SMTP), {mail_unsent} unsent, "
        f"queue drained {mail_seconds:.1f} s after the load"
    )
    for message in sorted(set(failures))[:10]:
        print("error:", message)
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")

    out = common.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "registration_load.json").write_text(
        json.dumps(
            {
                "participants": PARTICIPANTS,
                "concurrency": CONCURRENCY,
                "workers": WORKERS,
                "capacity": capacity,
                "minimal_rps": [before["rps"], after["rps"]],
                "registrations_per_second": registrations_per_second,
                "requests_per_second": len(all_requests) / wall,
                "latency_ms": {
                    step: {"p50": statistics.median(v), "p99": percentile(v, 0.99)}
                    for step, v in timings.items()
                },
                "p99_ms": p99,
                "cpu_ms_per_registration": {
                    kind: seconds / registered * 1000 for kind, seconds in cpu_during.items()
                },
                "counts": counts,
                "lost": lost,
                "overbooked": overbooked,
                "mail": {"sent": mail_sent, "unsent": mail_unsent, "drain_s": mail_seconds},
                "errors": failures[:20],
                "checks": checks,
            },
            indent=2,
        )
    )
    if not all(checks.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
