"""Organizers' view of registrations, one module per concern. Django's admin autodiscovery imports
this package, which imports each module so that its ModelAdmins are registered; the names other
code may extend (an app after this one in INSTALLED_APPS extending EventAdmin, as this one
extends the speakers') are importable from here as before.

- events: the registration settings, break-out groups and counts on the Event page, and the
  action that prepares a new seminar.
- registrations: the list of registrations with its filters and actions.
- delegations: the delegations, their members and nomination, the action that approves them.
- exports: the CSV and Excel exports of registrations.
"""

from registration.admin import delegations, events, exports, registrations
from registration.admin.events import EventAdmin
from registration.admin.exports import EXPORT_FIELDS, export_rows
from registration.admin.registrations import RegistrationAdmin

__all__ = [
    "EXPORT_FIELDS",
    "EventAdmin",
    "RegistrationAdmin",
    "delegations",
    "events",
    "export_rows",
    "exports",
    "registrations",
]
