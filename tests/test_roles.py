"""The organizers' roles (organizers.roles), as each role meets them in the admin's pages: what the
registration desk, the registration manager, the programme editor and the administrator can and
cannot do, asserted on the pages and the database, not only on the permission table."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizers import roles
from proceedings.models import Publication
from registration import services
from registration.models import Registration
from tests.factories import SessionFactory
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Status = Registration.Status
CHANGELIST = "admin:registration_registration_changelist"
FORBIDDEN_TO_DESK = [
    "approve",
    "reject",
    "move_from_waiting_list",
    "resend_confirmation",
    "export_csv",
    "export_excel",
    "erase",
]


def staff_client(client, django_user_model, role: roles.Role, username: str):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=role.name))
    client.force_login(user)
    return client


@pytest.fixture
def desk(client, django_user_model):
    return staff_client(client, django_user_model, roles.DESK, "desk")


@pytest.fixture
def manager(client, django_user_model):
    return staff_client(client, django_user_model, roles.MANAGER, "manager")


@pytest.fixture
def editor(client, django_user_model):
    return staff_client(client, django_user_model, roles.EDITOR, "editor")


@pytest.fixture
def administrator(client, django_user_model):
    return staff_client(client, django_user_model, roles.ADMINISTRATOR, "administrator")


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=1).event


@pytest.fixture
def okafor(event):
    """A confirmed participant holding the event's only seat."""
    return services.confirm_registration(
        RegistrationFactory(event=event, first_name="Chidi", last_name="Okafor", country="NG")
    )


def settings_url(event) -> str:
    return reverse(
        "admin:registration_registrationsettings_change", args=[event.registration_settings.pk]
    )


def settings_data(event, **changes) -> dict:
    """The settings page's form as shown, with no category or group, and `changes`."""
    reg_settings = event.registration_settings
    local = timezone.localtime(reg_settings.opens_at, event.tzinfo)
    closes = timezone.localtime(reg_settings.closes_at, event.tzinfo)
    data = {
        "opens_at_0": local.date().isoformat(),
        "opens_at_1": local.time().strftime("%H:%M"),
        "closes_at_0": closes.date().isoformat(),
        "closes_at_1": closes.time().strftime("%H:%M"),
        "capacity": reg_settings.capacity,
    }
    for prefix in ("participant_categories", "breakout_groups"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def run_action(client, action, registrations, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in registrations], **extra},
    )


def offered_actions(response) -> set[str]:
    """The actions the changelist offers (none at all: no action form)."""
    form = response.context["action_form"]
    if form is None:
        return set()
    return {name for name, _label in form.fields["action"].choices}


def app_labels_on_index(client) -> set[str]:
    return {app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]}


# The groups --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_role_groups_hold_exactly_their_definition_after_migrate():
    every = {
        (p.content_type.app_label, p.codename)
        for p in Permission.objects.select_related("content_type")
    }

    held = {
        role.name: {
            (p.content_type.app_label, p.codename)
            for p in Group.objects.get(name=role.name).permissions.select_related("content_type")
        }
        for role in roles.ROLES
    }

    for role in roles.ROLES:
        assert held[role.name] == {
            (app, code) for app, code in every if roles.grants_permission(role, app, code)
        }, role.name
    assert held[roles.DESK.name] == {
        ("registration", "view_registration"),
        ("registration", "view_participantcategory"),
        ("registration", "view_delegation"),
        ("registration", "view_breakoutgroup"),
        ("registration", "check_in_registration"),
    }
    assert {app for app, _code in held[roles.EDITOR.name]} == {
        "agenda",
        "speakers",
        "documents",
        "proceedings",
    }
    assert ("registration", "view_nomination") in held[roles.MANAGER.name]
    assert ("agenda", "change_event") not in held[roles.MANAGER.name]
    assert ("auth", "change_user") in held[roles.ADMINISTRATOR.name]
    assert held[roles.ADMINISTRATOR.name] == every


# Registration desk -------------------------------------------------------------------------


def test_desk_finds_a_participant_and_sees_their_page_read_only(desk, okafor):
    RegistrationFactory(event=okafor.event, last_name="Tanaka")

    found = desk.get(reverse(CHANGELIST), {"q": "okafor"})
    page = desk.get(reverse("admin:registration_registration_change", args=[okafor.pk]))
    refused = desk.post(
        reverse("admin:registration_registration_change", args=[okafor.pk]),
        {"first_name": "Changed", "last_name": "Okafor"},
    )

    assert [r.last_name for r in found.context["cl"].result_list] == ["Okafor"]
    assert page.status_code == 200
    assert "Chidi" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    okafor.refresh_from_db()
    assert okafor.first_name == "Chidi"


def test_desk_changelist_offers_no_export_erase_or_approve(desk, okafor):
    response = desk.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert offered_actions(response) == {"", "check_in"}
    assert 'value="export_csv"' not in response.content.decode()


@pytest.mark.parametrize("action", FORBIDDEN_TO_DESK)
def test_desk_posting_a_forbidden_action_changes_and_exports_nothing(desk, okafor, action):
    waiting = services.confirm_registration(RegistrationFactory(event=okafor.event))
    before = list(Registration.objects.order_by("pk").values())

    response = run_action(desk, action, [okafor, waiting], apply="1", reason="No.")

    # Not one of the desk's actions: the admin runs nothing and says so.
    assert response.status_code == 302
    assert "Content-Disposition" not in response
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["No action selected."]
    assert list(Registration.objects.order_by("pk").values()) == before
    assert okafor.event.registration_settings.capacity == 1


def test_desk_checks_in_participants_with_a_seat_only(desk, okafor):
    pending = RegistrationFactory(event=okafor.event, last_name="Tanaka")

    response = run_action(desk, "check_in", [okafor, pending])

    okafor.refresh_from_db()
    pending.refresh_from_db()
    assert response.status_code == 302
    assert okafor.checked_in_at is not None
    assert pending.checked_in_at is None
    page = desk.get(reverse(CHANGELIST), {"checked_in_at__isnull": "False"})
    assert [r.last_name for r in page.context["cl"].result_list] == ["Okafor"]


def test_desk_cannot_open_or_change_the_registration_settings(desk, event):
    listing = desk.get(reverse("admin:registration_registrationsettings_changelist"))
    page = desk.get(settings_url(event))
    posted = desk.post(settings_url(event), settings_data(event, capacity=500))

    assert (listing.status_code, page.status_code, posted.status_code) == (403, 403, 403)
    event.registration_settings.refresh_from_db()
    assert event.registration_settings.capacity == 1


# Programme editor --------------------------------------------------------------------------


def test_editor_sees_no_registration_part_of_the_admin(editor, okafor):
    urls = [
        reverse(CHANGELIST),
        reverse("admin:registration_registration_change", args=[okafor.pk]),
        reverse("admin:registration_registrationsettings_changelist"),
        settings_url(okafor.event),
        reverse("admin:outbox_message_changelist"),
    ]

    statuses = [editor.get(url).status_code for url in urls]
    apps = app_labels_on_index(editor)

    assert statuses == [403] * len(urls)
    assert "registration" not in apps
    assert "outbox" not in apps
    assert "agenda" in apps


def test_editor_event_page_shows_no_registration_counts_or_participants(editor, okafor):
    response = editor.get(reverse("admin:agenda_event_change", args=[okafor.event.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' in html
    assert "Okafor" not in html
    assert "By country" not in html
    assert "registrationsettings" not in html
    assert "seats taken" not in html.lower()


def test_editor_can_edit_a_session(editor, event):
    session = SessionFactory(event=event, title="Setting the scene")
    url = reverse("admin:agenda_session_change", args=[session.pk])
    data = {
        "event": event.pk,
        "number": session.number,
        "slug": session.slug,
        "title_en": "Setting the scene, revised",
        "theme_en": "",
    }
    for prefix in ("items", "papers"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    page = editor.get(url)
    formsets = [inline.formset.prefix for inline in page.context["inline_admin_formsets"]]
    for prefix in formsets:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    response = editor.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.title_en == "Setting the scene, revised"


def test_editor_renders_the_proceedings_and_the_manager_cannot(editor, event, django_user_model):
    publication = Publication.objects.create(
        event=event, series_number=9, title="Proceedings", issn="1726-2224", year=2031
    )
    changelist = reverse("admin:proceedings_publication_changelist")
    render = reverse("admin:proceedings_publication_render", args=[publication.pk])
    manager = staff_client(Client(), django_user_model, roles.MANAGER, "manager")

    offered = offered_actions(editor.get(changelist))
    rendered = editor.post(render)
    refused = [manager.get(changelist).status_code, manager.post(render).status_code]

    assert "render_proceedings" in offered
    assert rendered.status_code == 302
    assert refused[0] == 403
    assert refused[1] in (403, 404)


# Registration manager ----------------------------------------------------------------------


def test_manager_exports_approves_and_erases(manager, event):
    event.registration_settings.requires_approval = True
    event.registration_settings.save()
    waiting_approval = services.confirm_registration(RegistrationFactory(event=event))
    to_erase = RegistrationFactory(event=event, last_name="Moreau")

    export = run_action(manager, "export_csv", [waiting_approval, to_erase])
    offered = offered_actions(manager.get(reverse(CHANGELIST)))
    run_action(manager, "approve", [waiting_approval])
    run_action(manager, "erase", [to_erase])

    assert export["Content-Type"].startswith("text/csv")
    assert "Moreau" in export.content.decode("utf-8-sig")
    assert set(FORBIDDEN_TO_DESK) <= offered
    waiting_approval.refresh_from_db()
    to_erase.refresh_from_db()
    assert waiting_approval.status == Status.CONFIRMED
    assert to_erase.erased_at is not None


def test_manager_raises_capacity_and_the_waiting_list_moves_up(manager, okafor):
    event = okafor.event
    waiting = services.confirm_registration(RegistrationFactory(event=event))
    assert waiting.status == Status.WAITING

    page = manager.get(settings_url(event))
    response = manager.post(settings_url(event), settings_data(event, capacity=2))

    assert page.status_code == 200
    assert response.status_code == 302
    event.registration_settings.refresh_from_db()
    waiting.refresh_from_db()
    assert event.registration_settings.capacity == 2
    assert waiting.status == Status.CONFIRMED


def test_manager_cannot_edit_an_events_agenda_content(manager, event):
    session = SessionFactory(event=event)
    event_url = reverse("admin:agenda_event_change", args=[event.pk])

    page = manager.get(event_url)
    posted = manager.post(event_url, {"title_en": "Renamed"})
    session_page = manager.get(reverse("admin:agenda_session_change", args=[session.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html
    assert f'href="{settings_url(event)}"' in html
    assert posted.status_code == 403
    assert session_page.status_code == 403
    event.refresh_from_db()
    assert event.title != "Renamed"


def test_giving_a_seat_when_full_needs_the_right_to_raise_capacity(
    client, django_user_model, okafor
):
    user = django_user_model.objects.create_user("approver", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="registration",
            codename__in=["view_registration", "approve_registration"],
        )
    )
    client.force_login(user)
    waiting = services.confirm_registration(RegistrationFactory(event=okafor.event))

    run_action(client, "move_from_waiting_list", [waiting])

    waiting.refresh_from_db()
    okafor.event.registration_settings.refresh_from_db()
    assert waiting.status == Status.WAITING
    assert okafor.event.registration_settings.capacity == 1


# Administrator -----------------------------------------------------------------------------


def test_administrator_does_everything(administrator, okafor):
    event = okafor.event
    waiting = services.confirm_registration(RegistrationFactory(event=event))
    event_page = administrator.get(reverse("admin:agenda_event_change", args=[event.pk]))
    users = administrator.get(reverse("admin:auth_user_changelist"))
    groups = administrator.get(reverse("admin:auth_group_changelist"))

    export = run_action(administrator, "export_excel", [okafor])
    run_action(administrator, "move_from_waiting_list", [waiting])
    settings_page = administrator.get(settings_url(event))

    assert event_page.status_code == 200
    assert 'name="_save"' in event_page.content.decode()
    assert users.status_code == 200
    assert "Registration desk" in groups.content.decode()
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert "2 of 2" in settings_page.content.decode()


# Local demo accounts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_local_organizer_command_makes_one_demo_user_per_role_once(django_user_model):
    first, second = io.StringIO(), io.StringIO()

    call_command("ensure_local_organizer", stdout=first)
    call_command("ensure_local_organizer", stdout=second)

    users = {
        user.username: sorted(user.groups.values_list("name", flat=True))
        for user in django_user_model.objects.all()
    }
    assert users == {
        "organizer": [],
        "desk": [roles.DESK.name],
        "manager": [roles.MANAGER.name],
        "editor": [roles.EDITOR.name],
    }
    assert first.getvalue().count("shown only this once") == 4
    assert "shown only this once" not in second.getvalue()


@pytest.mark.django_db
def test_local_organizer_command_refuses_production(settings, django_user_model):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        call_command("ensure_local_organizer", stdout=io.StringIO())

    assert not django_user_model.objects.exists()


@pytest.fixture
def nominated(okafor, settings, tmp_path):
    """Okafor's registration with the nomination letter his category asks."""
    from django.core.files.base import ContentFile

    from registration.models import Nomination

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    nomination = Nomination(
        registration=okafor,
        kind="nomination_letter",
        original_name="letter-okafor.pdf",
        size=30,
        sha256="0" * 64,
    )
    nomination.file.save("x.pdf", ContentFile(b"%PDF-1.4\nstartxref\n0\n%%EOF\n"), save=False)
    nomination.save()
    return okafor


def test_desk_sees_that_a_nomination_was_given_but_cannot_open_it(desk, nominated):
    page = desk.get(reverse("admin:registration_registration_change", args=[nominated.pk]))
    download = reverse("admin:registration_registration_nomination", args=[nominated.pk])

    assert "Nomination letter (letter-okafor.pdf)" in page.content.decode()
    assert download not in page.content.decode()
    assert desk.get(download).status_code == 403


def test_manager_opens_a_registrations_nomination_from_its_page(manager, nominated):
    page = manager.get(reverse("admin:registration_registration_change", args=[nominated.pk]))
    download = reverse("admin:registration_registration_nomination", args=[nominated.pk])

    response = manager.get(download)

    assert download in page.content.decode()
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert "attachment" in response["Content-Disposition"]
