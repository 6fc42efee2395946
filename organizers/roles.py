"""The organizers' four roles, as data: which permissions each grants (`ROLES`).

Each role is a Django group of the same (English) name, created by this app's first migration
and kept equal to its definition here after every `migrate` (`sync_roles`): a group's name is
data, the same in every language, so the admin shows the role's translated label and what it
allows next to it (organizers.admin). A colleague gets a role in the admin, Users → the user →
Groups. A group made by hand grants what its permissions say; these four are reset to their
definition at each deployment, so a different mix of permissions belongs in a new group.

A grant is "app_label.codename", "app_label.*" (every permission of every model of the app, the
custom ones included, and those of models added later) or "*" (every permission).

- Registration desk: finds a participant, sees their registration and checks them in; no
  export, erasure, approval, change of a registration or of the capacity, no nomination file.
- Registration manager: everything on registrations (settings and capacity, categories,
  questions, delegations, nominations, approval, export, erasure, mailings to registrants:
  `registration.send_mailing`, granted by "registration.*"), sees the events and the e-mails
  sent (and may send them again); changes nothing of the programme.
- Programme editor: the agenda, speakers and their links, documents and proceedings; no
  permission of the registration app, so no participant data, and no e-mail (no mailing).
- Administrator: every permission, users and groups included.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    name: str  # the group's name, in English: it is data, the same in every language
    label: Promise  # the name shown in the admin, translated
    description: Promise
    grants: tuple[str, ...]


DESK = Role(
    name="Registration desk",
    label=_("Registration desk"),
    description=_(
        "Finds a participant, sees their registration and checks them in. Cannot export, "
        "erase, approve or change registrations, change the seats, or open nomination files."
    ),
    grants=(
        "registration.view_registration",
        "registration.view_participantcategory",
        "registration.view_delegation",
        "registration.view_breakoutgroup",
        "registration.check_in_registration",
    ),
)

MANAGER = Role(
    name="Registration manager",
    label=_("Registration manager"),
    description=_(
        "Everything on registrations: settings and seats, categories, questions, delegations "
        "and their nominations, approval, export and erasure; sees the events and the e-mails "
        "sent. Cannot change the programme."
    ),
    grants=(
        "registration.*",
        "agenda.view_event",
        "outbox.view_message",
        "outbox.change_message",
    ),
)

EDITOR = Role(
    name="Programme editor",
    label=_("Programme editor"),
    description=_(
        "The events' programme: agenda, sessions, people, papers, speakers and their links, "
        "documents and proceedings. Sees no participant data and no e-mail."
    ),
    grants=("agenda.*", "speakers.*", "documents.*", "proceedings.*"),
)

ADMINISTRATOR = Role(
    name="Administrator",
    label=_("Administrator"),
    description=_("Every permission, users and their roles included."),
    grants=("*",),
)

ROLES = (DESK, MANAGER, EDITOR, ADMINISTRATOR)
ROLES_BY_NAME = {role.name: role for role in ROLES}


def grants_permission(role: Role, app_label: str, codename: str) -> bool:
    """Whether `role` grants the permission `app_label.codename`."""
    return any(grant in ("*", f"{app_label}.*", f"{app_label}.{codename}") for grant in role.grants)


def role_permissions(role: Role, permission_model):
    """The role's permissions among those in the database (`permission_model`: the Permission
    model, the real one or a migration's)."""
    granted = [
        permission.pk
        for permission in permission_model.objects.select_related("content_type")
        if grants_permission(role, permission.content_type.app_label, permission.codename)
    ]
    return permission_model.objects.filter(pk__in=granted)


def sync_roles(*, group_model, permission_model) -> None:
    """Create the four role groups if missing and set each one's permissions to exactly those
    its definition grants among the permissions that exist now."""
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role.name)
        group.permissions.set(role_permissions(role, permission_model))


def sync_after_migrate(sender, **kwargs):
    """post_migrate: the roles follow their definition and the permissions of new models."""
    from django.contrib.auth.models import Group, Permission

    sync_roles(group_model=Group, permission_model=Permission)
