"""The registration app's models, one module per concern; every name is importable from here
(`registration.models`), as callers and Django expect. Tables, app label and migrations are
those of the single models.py this package replaced.

- settings: how an event takes registrations (RegistrationSettings, also the seat lock; an
  event's settings or the closed defaults, `settings_for`) and its break-out groups.
- registrations: the participant's Registration, its choices and queryset, and the constants
  its rules and readers share.
- emails: the e-mails owed to a participant (RegistrationEmail), tied to outbox messages.
- categories: the participant categories of an event (seats, approval, nomination, fields).
- delegations: the delegations a focal point registers (members are registrations).
- nominations: the nomination documents (Note Verbale, nomination letter), private files.
- questions: the questions organizers add, their options (with seats) and the answers.
- mailings: what organizers write to registrants (Mailing) and to whom it went.
- reminders: the scheduled reminders sent to participants and speakers (SentReminder).
"""

from registration.models.categories import (
    ApprovalRule,
    NominationKind,
    OptionalField,
    ParticipantCategory,
)
from registration.models.delegations import Delegation
from registration.models.emails import EmailKind, RegistrationEmail
from registration.models.mailings import CheckedIn, Mailing, MailingRecipient
from registration.models.nominations import Nomination
from registration.models.questions import (
    CHOICE_KINDS,
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
)
from registration.models.registrations import (
    PARTICIPANT_LISTS_SEQUENCE,
    PHONE_EXTENSION_DIGITS,
    Honorific,
    Registration,
    RegistrationQuerySet,
    RegistrationStatus,
    Sector,
    normalize_email,
)
from registration.models.reminders import ReminderKind, SentReminder
from registration.models.settings import BreakoutGroup, RegistrationSettings, settings_for

__all__ = [
    "CHOICE_KINDS",
    "PARTICIPANT_LISTS_SEQUENCE",
    "PHONE_EXTENSION_DIGITS",
    "Answer",
    "ApprovalRule",
    "BreakoutGroup",
    "CheckedIn",
    "Delegation",
    "EmailKind",
    "Honorific",
    "Mailing",
    "MailingRecipient",
    "Nomination",
    "NominationKind",
    "OptionalField",
    "ParticipantCategory",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "Registration",
    "RegistrationEmail",
    "RegistrationQuerySet",
    "RegistrationSettings",
    "RegistrationStatus",
    "ReminderKind",
    "Sector",
    "SentReminder",
    "normalize_email",
    "settings_for",
]
