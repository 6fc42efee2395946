"""Organizers' view of registrations, one module per concern. Django's admin autodiscovery imports
this package, which imports each module so that its ModelAdmins are registered; the names other
code may extend (an app after this one in INSTALLED_APPS extending EventAdmin, as this one
extends the speakers') are importable from here as before.

- events: the Event page's link to its registration settings, and the action that prepares a
  new seminar.
- settings: the registration settings of each event, with its categories, break-out groups
  (seats and fill) and counts.
- registrations: the list of registrations with its filters and actions.
- delegations: the delegations, their members and nomination, the action that approves them.
- exports: the CSV and Excel exports of registrations.
- questions: the organizers' questions with their options, and the answers on a registration.
- mailings: organizers write to registrants (preview, test send, send once).
"""

from registration.admin import (
    delegations,
    events,
    exports,
    mailings,
    questions,
    registrations,
    settings,
)
from registration.admin.events import EventAdmin
from registration.admin.exports import EXPORT_FIELDS, export_rows
from registration.admin.registrations import RegistrationAdmin
from registration.admin.settings import RegistrationSettingsAdmin

__all__ = [
    "EXPORT_FIELDS",
    "EventAdmin",
    "RegistrationAdmin",
    "RegistrationSettingsAdmin",
    "delegations",
    "events",
    "export_rows",
    "exports",
    "mailings",
    "questions",
    "registrations",
    "settings",
]
