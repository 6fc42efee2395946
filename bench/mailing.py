"""How long an organizer's "send" of a mailing to 1,000 registrants takes to queue.

Generates 1,000 registrations in English, French and Spanish on a throwaway event, writes a
mailing (English and French words; Spanish readers get the English, marked), then POSTs the
admin's send button as a Registration manager would, through django.test.Client under
production settings with the database task backend (delivery tasks are rows, as in production;
nothing is delivered here). The request writes 1,000 outbox messages, 1,000 mailing recipients
and 20 delivery tasks in one transaction. Each run uses a new mailing to the same people;
everything is deleted afterwards.

Run: .venv/bin/python bench/mailing.py  (after `migrate` on the local database;
BENCH_RUNS tunes it, BENCH_RECIPIENTS the size)
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "1000"))
LANGUAGES = ("en", "fr", "es")


def main() -> None:
    os.environ.update(
        {
            **common.PRODUCTION_ENV,
            "ALLOWED_HOSTS": "testserver",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        }
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation
    from django_tasks_db.models import DBTaskResult

    from agenda.models import Event, Organization
    from outbox.models import Message
    from registration.models import Mailing, MailingRecipient, Registration

    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    started = timezone.now()
    organizer, _ = Organization.objects.get_or_create(
        name="International Organization for Migration"
    )
    event = Event.objects.create(
        slug=f"mailing-bench-{stamp}",
        title="Mailing bench",
        start_date=datetime.date(2031, 3, 23),
        end_date=datetime.date(2031, 3, 24),
        city="Geneva",
        organizer=organizer,
        status=Event.Status.PUBLISHED,
    )
    people = Registration.objects.bulk_create(
        Registration(
            event=event,
            first_name=f"First{n}",
            last_name=f"Last{n}",
            organization="Ministry of Health",
            country="SN",
            email=f"person{n}@mailing-bench.example.org",
            email_normalized=f"person{n}@mailing-bench.example.org",
            days=event.days,
            consent_privacy=True,
            language=LANGUAGES[n % 3],
        )
        for n in range(RECIPIENTS)
    )
    user = get_user_model().objects.create_user(
        f"mailing-bench-{stamp}", "organizer@mailing-bench.example.org", is_staff=True
    )
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    times = []
    try:
        for _run in range(RUNS):
            mailing = Mailing.objects.create(
                event=event,
                subject_en="News about {event} for {name}",
                text_en="Dear {name},\n\nNews about {event}. Your registration: {link}\n",
                subject_fr="Nouvelles de {event} pour {name}",
                text_fr="Bonjour {name},\n\nNouvelles de {event}. Votre inscription : {link}\n",
            )
            with translation.override("en"):
                url = reverse("admin:registration_mailing_send", args=[mailing.pk])
            begin = time.perf_counter()
            response = client.post(url)
            times.append(time.perf_counter() - begin)
            assert response.status_code == 302, response.status_code
            assert Mailing.objects.get(pk=mailing.pk).recipient_count == RECIPIENTS
    finally:
        ids = [person.pk for person in people]
        MailingRecipient.objects.filter(mailing__event=event).delete()
        Message.objects.filter(topic="registration.mailing", object_id__in=ids).delete()
        DBTaskResult.objects.filter(
            task_path="outbox.tasks.deliver_messages", enqueued_at__gte=started
        ).delete()
        event.delete()
        user.delete()

    print(
        f"send of a mailing to {RECIPIENTS} registrations ({', '.join(LANGUAGES)}), admin POST "
        f"under production settings, {RUNS} runs"
    )
    print(
        f"seconds: first {times[0]:.3f}, median {statistics.median(times):.3f}, "
        f"max {max(times):.3f}; all: {' '.join(f'{t:.3f}' for t in times)}"
    )


if __name__ == "__main__":
    main()
