"""Link-request timing benchmark: does "Request a new link" answer as fast for an address that is
not registered as for one that is?

Serves the site as production does: gunicorn under production settings, the database task queue
with `manage.py db_worker` beside it, e-mail to an SMTP server (aiosmtpd) on loopback. An event
takes registrations and has TRIES registered participants. One client gets the form once (CSRF
cookie and token), warms up, then POSTs the form TRIES times with a registered address and
TRIES times with an unknown one, interleaved (each pair in random order), a pause after each
request so that the worker's sending of the previous link does not share the cores with the
next request. Each request comes from its own client address (X-Forwarded-For behind one trusted
proxy), so the per-address rate limit (REGISTRATION_RATE_LIMIT) stays at its production value and
never answers instead of the view.

Reports the median (and p10/p90) time of the POST for known and unknown addresses and their
difference; then checks that the worker sent one e-mail to each known address and none to the
unknown ones.

Run: .venv/bin/python bench/link_request.py  (after `make run` or `make test` set up the
database; BENCH_TRIES, BENCH_PAUSE tune it)
Target: |median(known) - median(unknown)| < 1 ms.
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.registration_load import Client, percentile, remove_event

TRIES = int(os.environ.get("BENCH_TRIES", "50"))
WARM_UP = 10
PAUSE = float(os.environ.get("BENCH_PAUSE", "0.15"))  # seconds after each request
MAIL_DRAIN_LIMIT = 120  # seconds for the worker to send the links afterwards
TARGET_DIFFERENCE_MS = 1.0
DOMAIN = f"links{int(time.time())}.bench.example.org"


class Mailbox:
    """Records the recipients of the e-mails the worker delivers."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def create_event():
    from django.utils import timezone

    from registration.models import Registration

    event = common.open_bench_event(
        slug="link-request-bench", title="Link request benchmark", capacity=TRIES * 2
    )
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            first_name=f"Known{n}",
            last_name="Benchmark",
            organization="Ministry of Labour",
            sector=Registration.Sector.GOVERNMENT_LABOUR,
            country="KE",
            email=f"known{n}@{DOMAIN}",
            email_normalized=f"known{n}@{DOMAIN}",
            days=event.days,
            consent_privacy=True,
            email_confirmed_at=now,
            queued_at=now,
            confirmed_at=now,
        )
        for n in range(TRIES + WARM_UP)
    )
    return event


def measure(base: str, event) -> dict[str, list[float]]:
    """POST the link-request form for known and unknown addresses, interleaved; milliseconds."""
    from django.urls import reverse

    path = reverse("registration:request-link", args=[event.slug])
    client = Client(base, "10.200.0.1")
    status, page, _ = client.request("GET", path)
    if status != 200:
        raise RuntimeError(f"link request form: HTTP {status}")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    rng = random.Random(8)
    plan = []
    for n in range(TRIES + WARM_UP):
        pair = [("known", n), ("unknown", n)]
        rng.shuffle(pair)
        plan.extend(pair)
    for count, (kind, n) in enumerate(plan):
        client.address = f"10.{201 + count // 65536}.{count // 256 % 256}.{count % 256}"
        body = {"csrfmiddlewaretoken": csrf, "email": f"{kind}{n}@{DOMAIN}", "website": ""}
        status, page, elapsed = client.request("POST", path, body)
        if status != 200 or "Check your e-mail" not in page:
            raise RuntimeError(f"{kind} link request: HTTP {status}")
        if n >= WARM_UP:
            timings[kind].append(elapsed)
        time.sleep(PAUSE)
    client.close()
    return timings


def wait_for_mail(mailbox: Mailbox) -> float:
    started = time.monotonic()
    while len(mailbox.recipients) < TRIES + WARM_UP:
        if time.monotonic() - started > MAIL_DRAIN_LIMIT:
            break
        time.sleep(0.5)
    time.sleep(2)  # a little longer, so that a mail to an unknown address would show
    return time.monotonic() - started


def main() -> None:
    from aiosmtpd.controller import Controller

    smtp_port = common.free_port()
    mailbox = Mailbox()
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
    common.manage("createcachetable")
    import django

    django.setup()
    from django.conf import settings

    event = create_event()
    worker = subprocess.Popen(
        [common.PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=common.ROOT,
        env={**os.environ, **common.PRODUCTION_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with common.gunicorn(workers=1) as base:
            timings = measure(base, event)
        mail_seconds = wait_for_mail(mailbox)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()
        remove_event(event)

    known_median = statistics.median(timings["known"])
    unknown_median = statistics.median(timings["unknown"])
    difference = known_median - unknown_median
    to_known = [r for r in mailbox.recipients if r.startswith("known")]
    to_unknown = [r for r in mailbox.recipients if r.startswith("unknown")]
    checks = {
        f"|median difference| < {TARGET_DIFFERENCE_MS:g} ms": abs(difference)
        < TARGET_DIFFERENCE_MS,
        "one link sent to each known address": sorted(to_known)
        == sorted(f"known{n}@{DOMAIN}" for n in range(TRIES + WARM_UP)),
        "no e-mail to an unknown address": not to_unknown,
    }

    print(
        f"gunicorn 1 sync worker, production settings, database task queue + db_worker; "
        f"{TRIES} link requests each for known and unknown addresses, interleaved, after "
        f"{WARM_UP} of each to warm up; {PAUSE * 1000:.0f} ms pause after each; rate limit "
        f"{settings.REGISTRATION_RATE_LIMIT} per address and {settings.REGISTRATION_RATE_WINDOW} s"
    )
    print(f"{'address':<10}{'n':>5}{'median ms':>12}{'p10 ms':>10}{'p90 ms':>10}")
    for kind, values in timings.items():
        print(
            f"{kind:<10}{len(values):>5}{statistics.median(values):>12.2f}"
            f"{percentile(values, 0.1):>10.2f}{percentile(values, 0.9):>10.2f}"
        )
    print(f"difference of the medians (known - unknown): {difference:+.2f} ms")
    print(
        f"e-mail: {len(to_known)} to known addresses, {len(to_unknown)} to unknown ones "
        f"({mail_seconds:.1f} s to drain)"
    )
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")

    out = common.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "link_request.json").write_text(
        json.dumps(
            {
                "tries": TRIES,
                "pause_s": PAUSE,
                "median_ms": {"known": known_median, "unknown": unknown_median},
                "difference_ms": difference,
                "timings_ms": timings,
                "mail": {"known": len(to_known), "unknown": len(to_unknown)},
                "checks": checks,
            },
            indent=2,
        )
    )
    if not all(checks.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
