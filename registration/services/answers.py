"""Registering with a category, the organizers' questions and the choices that have seats: the
answers stored structured (one Answer per question, in the column of its kind), the nomination
document of an individual category, and the seats of options and break-out groups.

Invariants kept here:
- An option with seats (QuestionOption.seats), and a break-out group with seats
  (BreakoutGroup.seats), is never held by more active registrations (pending, awaiting
  approval, confirmed, waiting; not cancelled, rejected or erased) than it has seats. A
  submission that picks a limited choice it does not hold yet counts and writes under the
  event's seat lock (registering.lock_seats); others take no lock, so that registrations without
  such a choice are never serialized. Keeping a choice one holds is always allowed.
- A registration, its answers, its files and its nomination are written in one transaction: a
  refused choice (ChoiceFull) or any error leaves nothing behind.
- Cancelling, rejecting or erasing frees the choices at once: only active registrations count.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext

from agenda import content
from agenda.models import Event
from registration import uploads
from registration.models import (
    Answer,
    BreakoutGroup,
    Nomination,
    ParticipantCategory,
    Question,
    QuestionKind,
    QuestionOption,
    Registration,
)
from registration.services import registering

Status = Registration.Status
ACTIVE_STATUSES = (Status.PENDING, Status.AWAITING_APPROVAL, Status.CONFIRMED, Status.WAITING)


class ChoiceFull(Exception):
    """Every seat of a chosen option or break-out group is taken (by other registrations)."""

    def __init__(self, *, options: Iterable[int] = (), group: bool = False) -> None:
        self.options = set(options)
        self.group = group
        super().__init__(f"full: options {sorted(self.options)}, group {group}")


@dataclass
class FullChoices:
    """The options and break-out groups of an event with no free seat, by primary key."""

    options: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)


def _active(prefix: str) -> Q:
    return Q(**{f"{prefix}status__in": ACTIVE_STATUSES, f"{prefix}erased_at__isnull": True})


def full_choices(event: Event | int, *, exclude: Registration | None = None) -> FullChoices:
    """The event's options and groups whose seats are all held by active registrations (other
    than `exclude`). Two queries, whatever the number of questions."""
    event_id = event if isinstance(event, int) else event.pk
    holders = _active("answers__registration__")
    group_holders = _active("registrations__")
    if exclude is not None:
        holders &= ~Q(answers__registration=exclude)
        group_holders &= ~Q(registrations=exclude)
    options = QuestionOption.objects.filter(
        question__event_id=event_id, seats__isnull=False
    ).annotate(held=Count("answers", filter=holders))
    groups = BreakoutGroup.objects.filter(event_id=event_id, seats__isnull=False).annotate(
        held=Count("registrations", filter=group_holders)
    )
    return FullChoices(
        options={option.pk for option in options if option.held >= option.seats},
        groups={group.pk for group in groups if group.held >= group.seats},
    )


def chosen_options(answers: dict[Question, Any]) -> set[int]:
    chosen = set()
    for question, value in answers.items():
        if question.kind == QuestionKind.SINGLE_CHOICE and value:
            chosen.add(value.pk)
        elif question.kind == QuestionKind.MULTIPLE_CHOICE and value:
            chosen.update(option.pk for option in value)
    return chosen


def _take_choices(
    event_id: int,
    *,
    options: set[int],
    group: BreakoutGroup | None,
    registration: Registration | None = None,
) -> None:
    """Check, under the seat lock, that every newly chosen limited option and group has a free
    seat; raise ChoiceFull else. Takes the lock only when a new choice has seats."""
    limited = set(
        QuestionOption.objects.filter(pk__in=options, seats__isnull=False).values_list(
            "pk", flat=True
        )
    )
    group_limited = group is not None and group.seats is not None
    if not limited and not group_limited:
        return
    registering.lock_seats(event_id)
    full = full_choices(event_id, exclude=registration)
    refused = limited & full.options
    group_full = group_limited and group.pk in full.groups
    if refused or group_full:
        raise ChoiceFull(options=refused, group=group_full)


def register_with_answers(
    event: Event,
    *,
    details: dict[str, Any],
    answers: dict[Question, Any],
    category: ParticipantCategory | None = None,
    nomination: UploadedFile | None = None,
    language: str,
) -> tuple[Registration, bool]:
    """Register (registering.register) in `category`, with the answers to the organizers'
    questions and the category's nomination document, all in one transaction.

    A limited option or group without a free seat raises ChoiceFull and stores nothing. When the
    address is already registered nothing is stored either (the owner gets their link again).
    Returns (registration, created).
    """
    with transaction.atomic():
        _take_choices(
            event.pk, options=chosen_options(answers), group=details.get("breakout_group")
        )
        registration, created = registering.register(
            event, details={**details, "category": category}, language=language
        )
        if created:
            save_answers(registration, answers=answers)
            if nomination is not None and category is not None and category.nomination:
                store_nomination(registration, upload=nomination, kind=category.nomination)
    return registration, created


def update_with_answers(
    registration: Registration, *, details: dict[str, Any], answers: dict[Question, Any]
) -> Registration:
    """Change the participant's details (registering.update_registration) and answers in one
    transaction. A newly chosen limited option or group without a free seat raises ChoiceFull
    and changes nothing; choices the registration holds are kept whatever the fill."""
    with transaction.atomic():
        held = set(
            Answer.options.through.objects.filter(answer__registration=registration).values_list(
                "questionoption_id", flat=True
            )
        )
        group = details.get("breakout_group")
        if group is not None and group.pk == registration.breakout_group_id:
            group = None
        _take_choices(
            registration.event_id,
            options=chosen_options(answers) - held,
            group=group,
            registration=registration,
        )
        registration = registering.update_registration(registration, details=details)
        save_answers(registration, answers=answers)
    return registration


def _is_empty(question: Question, value: Any) -> bool:
    if question.kind == QuestionKind.YES_NO:
        return value is None
    return value in (None, "", [], ())


def save_answers(registration: Registration, *, answers: dict[Question, Any]) -> None:
    """Store each answer in the column of its question's kind, replacing an earlier one; an
    empty answer removes it, but a file question left empty keeps the file already given.

    Values are the form's cleaned values: a text, an option or options, True/False, a date, a
    country code, an uploaded PDF (checked by uploads.check_pdf).
    """
    existing = {answer.question_id: answer for answer in registration.answers.all()}
    for question, value in answers.items():
        answer = existing.get(question.pk)
        if question.kind == QuestionKind.FILE and not isinstance(value, UploadedFile):
            continue
        if _is_empty(question, value):
            if answer is not None:
                _delete_file_on_commit(answer.file.name)
                answer.delete()
            continue
        answer = answer or Answer(registration=registration, question=question)
        old_file = answer.file.name if answer.pk else ""
        _fill(answer, question, value)
        answer.save()
        if question.kind == QuestionKind.FILE and old_file:
            _delete_file_on_commit(old_file)
        if question.kind == QuestionKind.SINGLE_CHOICE:
            answer.options.set([value])
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            answer.options.set(list(value))


def _fill(answer: Answer, question: Question, value: Any) -> None:
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        answer.text = value
    elif kind == QuestionKind.YES_NO:
        answer.yes = bool(value)
    elif kind == QuestionKind.DATE:
        assert isinstance(value, datetime.date)
        answer.date = value
    elif kind == QuestionKind.COUNTRY:
        answer.country = value
    elif kind == QuestionKind.FILE:
        uploads.check_pdf(value)
        answer.file.save("answer.pdf", value, save=False)
        answer.file_name = (value.name or "")[-255:]


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = Answer._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def store_nomination(registration: Registration, *, upload: UploadedFile, kind: str) -> Nomination:
    """Keep the registration's nomination document (a PDF checked by uploads.check_pdf) in the
    private storage, with its size and SHA-256, replacing an earlier one."""
    uploads.check_pdf(upload)
    old = Nomination.objects.filter(registration=registration).first()
    if old is not None:
        _delete_file_on_commit(old.file.name)
        old.delete()
    nomination = Nomination(
        registration=registration,
        kind=kind,
        original_name=(upload.name or "")[-255:],
        size=upload.size,
        sha256=uploads.sha256_of(upload),
    )
    nomination.file.save("nomination.pdf", upload, save=False)
    nomination.save()
    return nomination


def answers_of(registration: Registration) -> list[tuple[content.Text, str]]:
    """The registration's answers in the questions' order, as (question in the active
    language, answer as text): what the participant's own page shows of them."""
    original = registration.event.original_language
    return [
        (
            content.text(answer.question, "label", original=original),
            answer_text(answer, original=original),
        )
        for answer in registration.answers.select_related("question").prefetch_related("options")
    ]


def answer_text(answer: Answer, *, original: str, language: str | None = None) -> str:
    """An answer as one line of text in `language` (the active one by default): a text as
    written, options' labels joined by "; ", yes or no, a date in ISO (2030-03-23), a country's
    name, a file by its name as uploaded (never its content or storage name)."""
    kind = answer.question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return answer.text
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return "; ".join(
            str(content.text(option, "label", original=original, language=language))
            for option in answer.options.all()
        )
    if kind == QuestionKind.YES_NO:
        if answer.yes is None:
            return ""
        with translation.override(language or translation.get_language()):
            return gettext("yes") if answer.yes else gettext("no")
    if kind == QuestionKind.DATE:
        return answer.date.isoformat() if answer.date else ""
    if kind == QuestionKind.COUNTRY:
        with translation.override(language or translation.get_language()):
            return str(answer.country.name) if answer.country else ""
    return answer.file_name


def reactivate_with_choices(registration: Registration) -> tuple[Registration, list[str]]:
    """Take back a cancellation (registering.reactivate_registration), giving up the choices
    whose seats others took meanwhile: a cancelled registration held none, so a limited option
    or group that is now full is dropped rather than overbooked. Returns the registration and
    the names of the choices dropped (in the active language), for the participant to be told.
    """
    with transaction.atomic():
        registering.lock_seats(registration.event_id)
        full = full_choices(registration.event_id, exclude=registration)
        dropped = []
        original = registration.event.original_language
        for answer in registration.answers.prefetch_related("options"):
            lost = [option for option in answer.options.all() if option.pk in full.options]
            if lost:
                answer.options.remove(*lost)
                dropped += [str(content.text(o, "label", original=original)) for o in lost]
                if not answer.options.exists():
                    answer.delete()
        if registration.breakout_group_id in full.groups:
            group = registration.breakout_group
            dropped.append(str(content.text(group, "name", original=original)))
            Registration.objects.filter(pk=registration.pk).update(breakout_group=None)
            registration.breakout_group = None
        registration = registering.reactivate_registration(registration)
    return registration, dropped
