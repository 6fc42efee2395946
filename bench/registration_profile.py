"""In-process cost of the registration journey: time and SQL queries per request.

Runs the three requests of bench/registration_load.py (GET the form, POST it, POST the
confirmation from the signed link) through django.test.Client under production settings,
against a throwaway event that is deleted afterwards, and the minimal view the same way for the
ratio. No server, no network: what is measured is Django, the middleware and our code.

Run: .venv/bin/python bench/registration_profile.py  (after `make run` or `make test` set up the
database; BENCH_ITERATIONS tunes it, BENCH_PROFILE=register prints a cProfile of one step)
"""

import cProfile
import datetime
import os
import pstats
import statistics
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

ITERATIONS = int(os.environ.get("BENCH_ITERATIONS", "200"))
PROFILE = os.environ.get("BENCH_PROFILE", "")
SHOW_QUERIES = bool(os.environ.get("BENCH_QUERIES"))


def main() -> None:
    os.environ.update(
        {
            **common.PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PROXY_COUNT": "1",
        }
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from agenda.models import Event, Organization
    from registration.models import Registration, RegistrationSettings

    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    organizer, _ = Organization.objects.get_or_create(
        name="International Organization for Migration"
    )
    event = Event.objects.create(
        slug=f"registration-profile-{stamp}",
        title="Registration profile",
        start_date=datetime.date(2031, 3, 23),
        end_date=datetime.date(2031, 3, 24),
        city="Geneva",
        organizer=organizer,
        status=Event.Status.PUBLISHED,
    )
    RegistrationSettings.objects.update_or_create(
        event=event,
        defaults={
            "capacity": ITERATIONS * 5 // 6,
            "opens_at": timezone.now() - datetime.timedelta(hours=1),
            "closes_at": timezone.now() + datetime.timedelta(days=1),
        },
    )
    register_path = f"/{event.slug}/register/"
    times: dict[str, list[float]] = {"minimal": [], "form": [], "register": [], "confirm": []}
    cpu: dict[str, list[float]] = {step: [] for step in times}
    queries: dict[str, list[int]] = {step: [] for step in times}
    # CPU time, not wall time: the load is CPU-bound, and waits for the disk (commits) are not.
    profiles = {step: cProfile.Profile(time.process_time) for step in times}

    def timed(step, call, *args):
        profile = profiles[step] if step == PROFILE else None
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            cpu_started = time.process_time()
            if profile:
                profile.enable()
            response = call(*args)
            if profile:
                profile.disable()
            times[step].append((time.perf_counter() - started) * 1000)
            cpu[step].append((time.process_time() - cpu_started) * 1000)
        queries[step].append(len(captured))
        if SHOW_QUERIES and len(times[step]) == ITERATIONS // 2:
            print(f"-- {step}: {len(captured)} queries")
            for query in captured.captured_queries:
                print("  ", query["sql"][:300])
        return response

    # One client for the run: a new one would load the middleware (and whitenoise's file scan)
    # again. Each participant starts without cookies and comes from their own address.
    client = Client(enforce_csrf_checks=True)
    run = int(time.time()) % 256
    try:
        for n in range(ITERATIONS):
            client.cookies = SimpleCookie()
            # A new address per participant and run: the rate limit counts per address.
            client.defaults["HTTP_X_FORWARDED_FOR"] = f"10.{run}.{n // 256 % 256}.{n % 256}"
            timed("minimal", client.get, "/bench/minimal")
            response = timed("form", client.get, register_path)
            assert response.status_code == 200, response.status_code
            csrf = client.cookies["csrftoken"].value
            email = f"participant{n}@profile.example.org"
            data = {
                "csrfmiddlewaretoken": csrf,
                "honorific": "Ms.",
                "first_name": f"Participant{n}",
                "last_name": "Profile",
                "position": "Adviser",
                "organization": "Ministry of Labour",
                "sector": "gov_labour",
                "country": ["PH", "KE", "IN", "GH", "MA", "CH"][n % 6],
                "email": email,
                "phone": "+41 22 717 91 11",
                "days": [day.isoformat() for day in event.days],
                "consent_privacy": "on",
            }
            response = timed("register", client.post, register_path, data)
            assert response.status_code == 302, response.status_code
            link = Registration.objects.get(event=event, email_normalized=email).get_absolute_url()
            response = timed(
                "confirm", client.post, link + "confirm/", {"csrfmiddlewaretoken": csrf}
            )
            assert response.status_code == 302, response.status_code
    finally:
        from django_tasks_db.models import DBTaskResult

        emails = list(Registration.objects.filter(event=event).values_list("emails__pk", flat=True))
        DBTaskResult.objects.filter(args_kwargs__args__0__in=emails).delete()
        event.delete()

    # The first requests warm templates, caches and connections.
    warm = min(20, ITERATIONS // 4)
    print(f"{ITERATIONS} iterations, first {warm} left out; production settings, test client")
    print(f"{'step':<10}{'mean ms':>10}{'p50 ms':>10}{'p90 ms':>10}{'cpu p50':>10}{'queries':>10}")
    for step, values in times.items():
        values = values[warm:]
        print(
            f"{step:<10}{statistics.mean(values):>10.2f}{statistics.median(values):>10.2f}"
            f"{sorted(values)[int(len(values) * 0.9)]:>10.2f}"
            f"{statistics.median(cpu[step][warm:]):>10.2f}"
            f"{statistics.median(queries[step][warm:]):>10.0f}"
        )
    steps = ("form", "register", "confirm")
    journey = sum(statistics.mean(times[step][warm:]) for step in steps)
    journey_cpu = sum(statistics.median(cpu[step][warm:]) for step in steps)
    minimal = statistics.mean(times["minimal"][warm:])
    print(
        f"journey {journey:.2f} ms ({journey_cpu:.2f} ms CPU in this process) = "
        f"{journey / minimal:.1f} minimal views; registrations per minimal request "
        f"{minimal / journey:.3f}"
    )
    if PROFILE:
        stats = pstats.Stats(profiles[PROFILE])
        stats.dump_stats(f"/tmp/registration-{PROFILE}.prof")
        stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
