"""What the registrations of an event add up to, read for others: the lists of participants who
agreed to appear (the public page, the proceedings' book) and the counts on the admin's Event
page. Reads only; nothing here takes a lock or changes a registration.

The proceedings app reads `proceedings_participants` through registration.services; the lists'
version (registration.models.PARTICIPANT_LISTS_SEQUENCE) tells it when to read again.
"""

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from agenda.models import Event
from registration.models import BreakoutGroup, Registration

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


def _country_name(code: str) -> str:
    return str(Registration(country=code).country.name)


def registration_counts(event: Event) -> dict[str, list[tuple[str, int]]]:
    """Registrations of the event counted by status, sector, country, category and country ×
    category (erased ones included: their counts remain).

    "category" and "country_category" count active registrations only (pending, awaiting
    approval, confirmed, waiting), as organizers plan the room with them; a registration
    without category is counted under "No category". "country_category" rows are
    (country, category, count), most registrations first, then by the countries' names.
    """
    registrations = Registration.objects.filter(event=event)
    by_status = dict(registrations.values_list("status").annotate(n=Count("pk")))
    by_sector = Counter(dict(registrations.values_list("sector").annotate(n=Count("pk"))))
    by_country = registrations.values_list("country").annotate(n=Count("pk")).order_by("-n")
    active = registrations.filter(status__in=Registration.ACTIVE_STATUSES)
    names = {category.pk: str(category) for category in event.participant_categories.all()}
    no_category = str(_("No category"))
    by_category = Counter(dict(active.values_list("category").annotate(n=Count("pk"))))
    by_country_category = (
        active.values_list("country", "category").annotate(n=Count("pk")).order_by()
    )
    return {
        "status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "sector": [
            (label, by_sector[value])
            for value, label in Registration.Sector.choices
            if by_sector[value]
        ],
        "country": [(_country_name(code), n) for code, n in by_country if code],
        "category": [
            *((name, by_category[pk]) for pk, name in names.items()),
            *([(no_category, by_category[None])] if by_category[None] else []),
        ],
        "country_category": sorted(
            (
                (_country_name(code), names.get(category, no_category), n)
                for code, category, n in by_country_category
                if code
            ),
            key=lambda row: (-row[2], row[0], row[1]),
        ),
    }


def group_fill(event: Event) -> list[tuple[BreakoutGroup, int]]:
    """The event's break-out groups with how many active registrations chose each (the number
    a group's seats limit), in the groups' order."""
    chosen = dict(
        Registration.objects.filter(
            event=event, status__in=Registration.ACTIVE_STATUSES, breakout_group__isnull=False
        )
        .values_list("breakout_group")
        .annotate(n=Count("pk"))
    )
    return [(group, chosen.get(group.pk, 0)) for group in event.breakout_groups.all()]
