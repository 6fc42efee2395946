"""Races for the last seats of a category, a break-out group and a question's option, each with
its lock-off twin that must overbook (proof that the race can be lost without the seat lock)."""

import threading

import pytest
from django.db import connection
from django.test import override_settings

from registration import services
from registration.models import BreakoutGroup, QuestionKind, Registration
from registration.services import answers
from tests.factories import EventFactory
from tests.questions_factories import CategoryFactory, OptionFactory, QuestionFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
RACERS = 30
SEATS = 5


def race(work, items) -> list[BaseException]:
    """Run `work(item)` for every item at once, each thread on its own connection; the errors
    other than a refused full choice."""
    barrier = threading.Barrier(len(items))
    errors: list[BaseException] = []

    def run(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except answers.ChoiceFull:
            pass
        except BaseException as error:  # every other failure counts
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def details(event, n: int, **values) -> dict:
    return {
        "first_name": f"Racer{n}",
        "last_name": "Diallo",
        "organization": "Ministry of Health",
        "sector": "gov_health",
        "country": "SN",
        "email": f"racer{n}@example.org",
        "days": event.days,
        "consent_privacy": True,
        **values,
    }


# A category's last seats: confirmations in a category of 5 seats within an event of 100.


def category_race():
    event = RegistrationSettingsFactory(capacity=100).event
    category = CategoryFactory(event=event, seats=SEATS, approval="never")
    pending = [
        RegistrationFactory(event=event, category=category, email=f"racer{n}@example.org")
        for n in range(RACERS)
    ]
    errors = race(services.confirm_registration, pending)
    return category, errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_confirmation_race_for_a_categorys_last_seats_never_overbooks():
    category, errors = category_race()

    assert errors == []
    registrations = Registration.objects.filter(category=category)
    assert registrations.filter(status=Status.CONFIRMED).count() == SEATS
    assert registrations.filter(status=Status.WAITING).count() == RACERS - SEATS


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(REGISTRATION_SEAT_LOCK=False)
def test_confirmation_race_for_a_categorys_seats_without_seat_lock_overbooks():
    category, errors = category_race()

    assert errors == []
    confirmed = Registration.objects.filter(category=category, status=Status.CONFIRMED)
    assert confirmed.count() > SEATS


# A break-out group's last seats: registrations that choose it.


def group_race():
    event = EventFactory()
    RegistrationSettingsFactory(event=event, capacity=100)
    group = BreakoutGroup.objects.create(event=event, name="Labour mobility", seats=SEATS)

    def register(n):
        answers.register_with_answers(
            event, details=details(event, n, breakout_group=group), answers={}, language="en"
        )

    errors = race(register, list(range(RACERS)))
    return event, group, errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_registration_race_for_a_groups_last_seats_never_overbooks():
    event, group, errors = group_race()

    assert errors == []
    assert Registration.objects.filter(breakout_group=group).count() == SEATS
    assert Registration.objects.filter(event=event).count() == SEATS


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(REGISTRATION_SEAT_LOCK=False)
def test_registration_race_for_a_groups_seats_without_seat_lock_overbooks():
    _event, group, errors = group_race()

    assert errors == []
    assert Registration.objects.filter(breakout_group=group).count() > SEATS


# A question option's last seats: registrations that choose it.


def option_race():
    event = EventFactory()
    RegistrationSettingsFactory(event=event, capacity=100)
    question = QuestionFactory(event=event, kind=QuestionKind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=SEATS)

    def register(n):
        answers.register_with_answers(
            event, details=details(event, n), answers={question: option}, language="en"
        )

    errors = race(register, list(range(RACERS)))
    return event, option, errors


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_registration_race_for_an_options_last_seats_never_overbooks():
    event, option, errors = option_race()

    assert errors == []
    assert option.answers.count() == SEATS
    assert Registration.objects.filter(event=event).count() == SEATS


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(REGISTRATION_SEAT_LOCK=False)
def test_registration_race_for_an_options_seats_without_seat_lock_overbooks():
    _event, option, errors = option_race()

    assert errors == []
    assert option.answers.count() > SEATS
