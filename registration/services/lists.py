"""What the registrations of an event add up to, read for others: the lists of participants who
agreed to appear (the public page, the proceedings' book) and the counts on the admin's Event
page. Reads only; nothing here takes a lock or changes a registration.

The proceedings app reads `proceedings_participants` through registration.services; the lists'
version (registration.models.PARTICIPANT_LISTS_SEQUENCE) tells it when to read again.
"""

from collections import Counter

from django.db.models import Count

from agenda.models import Event
from registration.models import Registration

Status = Registration.Status


def _participant_rows(queryset) -> list[dict[str, str]]:
    return [
        {
            "name": registration.full_name,
            "organization": registration.organization,
            "country": str(registration.country.name),
        }
        for registration in queryset.order_by("last_name", "first_name", "pk")
    ]


def proceedings_participants(event: Event) -> list[dict[str, str]]:
    """Confirmed participants who agreed to appear in the proceedings' list of participants.

    Keys: name, organization, country (the country's name). The proceedings app reads it.
    """
    return _participant_rows(Registration.objects.on_proceedings_list().filter(event=event))


def public_participants(event: Event) -> list[dict[str, str]]:
    """Confirmed participants who agreed to appear in the public list (same keys as above)."""
    return _participant_rows(Registration.objects.on_public_list().filter(event=event))


def registration_counts(event: Event) -> dict[str, list[tuple[str, int]]]:
    """Registrations of the event counted by status, sector and country (erased ones included)."""
    registrations = Registration.objects.filter(event=event)
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")))
    by_sector = Counter(dict(registrations.values_list("sector").annotate(n=Count("pk"))))
    by_country = registrations.values_list("country").annotate(n=Count("pk")).order_by("-n")
    return {
        "status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "sector": [
            (label, by_sector[value])
            for value, label in Registration.Sector.choices
            if by_sector[value]
        ],
        "country": [
            (str(Registration(country=code).country.name), n) for code, n in by_country if code
        ],
    }
