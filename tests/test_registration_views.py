import datetime
import re
import threading

import pytest
from django.core import mail, signing
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registration import links, services, tasks
from registration.models import BreakoutGroup, Registration, RegistrationEmail
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)

Status = Registration.Status


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=1).event


def register_url(event):
    return reverse("registration:register", args=[event.slug])


def link_from(message) -> str:
    return re.search(r"https?://\S+/registration/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_register_form_renders_every_field(client, event):
    BreakoutGroup.objects.create(event=event, name="Partnerships with business")

    response = client.get(register_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "honorific",
        "first_name",
        "last_name",
        "position",
        "organization",
        "sector",
        "country",
        "email",
        "phone",
        "days",
        "breakout_group",
        "dietary_needs",
        "accessibility_needs",
        "consent_privacy",
        "consent_public_list",
        "consent_proceedings_list",
    ):
        assert f'name="{name}"' in html, name
    assert 'name="consent_public_list" class="checkboxinput form-check-input"' in html
    assert "Government" in html and "Trade union" in html


def test_register_then_confirm_from_emailed_link(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), form_data(event))

    assert response.status_code == 302
    assert response["Location"] == reverse("registration:register-done", args=[event.slug])
    registration = Registration.objects.get()
    assert registration.status == Status.PENDING
    assert registration.phone == "+233302684271"
    manage_path = path_of(link_from(mail.outbox[0]))

    page = client.get(manage_path)
    assert page.status_code == 200
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))
    assert page["Referrer-Policy"] == "same-origin"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(manage_path + "confirm/", follow=True)

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert b"Your seat is reserved" in confirmed.content
    assert mail.outbox[-1].subject.startswith("Your seat is confirmed")
    assert mail.outbox[-1].attachments[0][2] == "text/calendar"


def test_confirm_link_get_does_not_confirm(client, event):
    registration = RegistrationFactory(event=event)

    client.get(registration.get_absolute_url())

    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_register_done_page_is_the_same_for_known_and_new_addresses(client, event):
    RegistrationFactory(event=event, email="known@example.org")

    first = client.post(register_url(event), form_data(event, email="known@example.org"))
    second = client.post(register_url(event), form_data(event, email="new@example.org"))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 2


def test_register_shows_field_errors(client, event):
    response = client.post(
        register_url(event),
        form_data(
            event,
            first_name="123",
            email="not-an-address",
            phone="12",
            days=["1999-01-01"],
            consent_privacy=None,
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["first_name"][0].code == "no_letters"
    assert errors["email"][0].code == "invalid"
    assert errors["phone"][0].code in {"phone_format", "phone_invalid"}
    assert errors["days"][0].code == "invalid_choice"
    assert errors["consent_privacy"][0].code == "required"
    assert Registration.objects.count() == 0


def test_register_consents_are_off_by_default(client, event, django_capture_on_commit_callbacks):
    html = client.get(register_url(event)).content.decode()
    for name in ("consent_public_list", "consent_proceedings_list"):
        tag = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html).group(0)
        assert "checked" not in tag

    client.post(register_url(event), form_data(event))

    registration = Registration.objects.get()
    assert registration.consent_public_list is False
    assert registration.consent_proceedings_list is False


def test_register_before_opening_says_when_it_opens(client, db):
    opens = timezone.now() + datetime.timedelta(days=3)
    event = RegistrationSettingsFactory(opens_at=opens).event

    response = client.get(register_url(event))
    posted = client.post(register_url(event), form_data(event))

    assert b"Registration opens on" in response.content
    assert posted.status_code == 200
    assert Registration.objects.count() == 0


def test_register_after_closing_says_closed(client, db):
    event = RegistrationSettingsFactory(
        opens_at=timezone.now() - datetime.timedelta(days=3),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    ).event

    response = client.get(register_url(event))

    assert b"has closed" in response.content


def test_register_honeypot_filled_answers_an_error_and_stores_nothing(client, event):
    response = client.post(register_url(event), form_data(event, website="http://spam.example"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "honeypot_filled"
    assert Registration.objects.count() == 0


def test_register_honeypot_filled_by_a_person_goes_through_when_sent_again(client, event):
    first = client.post(register_url(event), form_data(event, website="Ada"))
    # The person sends the form again as the page shows it: the honeypot is empty now.
    shown = first.context["form"]
    resent = {name: shown[name].value() for name in ("website", "email", "first_name")}

    second = client.post(register_url(event), form_data(event, website=resent["website"] or ""))

    assert resent == {"website": None, "email": "kwame.mensah@example.org", "first_name": "Kwame"}
    assert b'name="website"' in first.content
    assert second.status_code == 302
    assert Registration.objects.count() == 1


def test_honeypots_hidden_from_assistive_technology_and_keyboard(client, event):
    pages = [
        client.get(register_url(event)).content.decode(),
        client.get(reverse("registration:request-link", args=[event.slug])).content.decode(),
    ]

    for page in pages:
        wrapper = re.search(r'<div[^>]*>\s*<div[^>]*id="div_id_website"', page).group(0)
        field = re.search(r'<input[^>]*name="website"[^>]*>', page).group(0)
        assert 'aria-hidden="true"' in wrapper
        assert 'class="d-none"' in wrapper
        assert 'tabindex="-1"' in field
        assert 'autocomplete="off"' in field
        assert "style=" not in wrapper + field


@override_settings(REGISTRATION_RATE_LIMIT=3)
def test_register_rate_limit_per_address(client, event):
    statuses = [
        client.post(register_url(event), form_data(event, email=f"p{n}@example.org")).status_code
        for n in range(4)
    ]
    other_client = client.post(
        register_url(event), form_data(event, email="z@example.org"), REMOTE_ADDR="10.0.0.9"
    )

    assert statuses == [302, 302, 302, 429]
    assert other_client.status_code == 302
    assert Registration.objects.count() == 4


def test_manage_edit_changes_preferences(client, event):
    group = BreakoutGroup.objects.create(event=event, name="Partnerships")
    registration = RegistrationFactory(event=event)
    edit_url = reverse("registration:edit", args=[event.slug, registration.token])

    page = client.get(edit_url)
    data = form_data(event, breakout_group=str(group.pk), dietary_needs="Vegetarian")
    data.pop("email")
    response = client.post(edit_url, data)

    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.breakout_group == group
    assert registration.dietary_needs == "Vegetarian"
    assert registration.email.startswith("participant")


def test_manage_cancel_frees_seat(client, event, django_capture_on_commit_callbacks):
    holder = services.confirm_registration(RegistrationFactory(event=event))
    waiting = services.confirm_registration(RegistrationFactory(event=event))
    cancel_url = reverse("registration:cancel", args=[event.slug, holder.token])

    assert client.get(cancel_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url)

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED


def test_confirmation_and_calendar_downloads(client, event):
    registration = services.confirm_registration(RegistrationFactory(event=event))

    page = client.get(reverse("registration:confirmation", args=[event.slug, registration.token]))
    ics = client.get(reverse("registration:calendar", args=[event.slug, registration.token]))

    assert b"This confirms that Ms." in page.content
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT" in ics.content
    assert b"DTSTART;VALUE=DATE:20300323" in ics.content


def test_tampered_link_gets_clear_page_with_new_link_form(client, event):
    registration = RegistrationFactory(event=event)
    token = registration.token[:-2] + ("AA" if not registration.token.endswith("AA") else "BB")

    response = client.get(reverse("registration:manage", args=[event.slug, token]))

    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert b'name="email"' in response.content


def test_expired_link_gets_clear_page(client, event, settings):
    registration = RegistrationFactory(event=event)
    settings.REGISTRATION_LINK_MAX_AGE_DAYS = -1

    response = client.get(registration.get_absolute_url())

    assert response.status_code == 400
    assert b"This link has expired" in response.content


def test_link_of_erased_registration_no_longer_works(client, event):
    registration = RegistrationFactory(event=event)
    url = registration.get_absolute_url()
    services.erase_registration(registration)

    assert client.get(url).status_code == 400


def test_link_signed_with_another_salt_is_refused(client, event):
    registration = RegistrationFactory(event=event)
    forged = signing.TimestampSigner(salt="other").sign(registration.access_key.hex)

    with pytest.raises(links.LinkInvalid):
        links.read_token(forged)
    assert client.get(reverse("registration:manage", args=[event.slug, forged])).status_code == 400


def test_request_link_answers_the_same_for_unknown_address(
    client, event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, email="known@example.org")
    url = reverse("registration:request-link", args=[event.slug])

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "KNOWN@example.org"})
        unknown = client.post(url, {"email": "unknown@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert [m.to for m in mail.outbox] == [["known@example.org"]]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_request_link_queues_the_same_task_for_known_and_unknown_addresses(
    client, event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, email="known@example.org")
    url = reverse("registration:request-link", args=[event.slug])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "Known@example.org"})
        client.post(url, {"email": "unknown@example.org"})

    queued = DBTaskResult.objects.order_by("enqueued_at", "id")
    assert [(task.task_path, task.args_kwargs["args"]) for task in queued] == [
        ("registration.tasks.send_requested_link", [event.pk, "known@example.org"]),
        ("registration.tasks.send_requested_link", [event.pk, "unknown@example.org"]),
    ]
    assert RegistrationEmail.objects.count() == 0


def test_send_requested_link_mails_a_known_address_only(event):
    known = RegistrationFactory(event=event, email="known@example.org")

    sent = tasks.send_requested_link.call(event.pk, "known@example.org")
    not_sent = tasks.send_requested_link.call(event.pk, "unknown@example.org")

    assert (sent, not_sent) == (True, False)
    assert list(RegistrationEmail.objects.values_list("registration", "kind")) == [
        (known.pk, RegistrationEmail.Kind.CONFIRM_ADDRESS)
    ]


def test_request_link_honeypot_filled_answers_an_error_and_sends_nothing(
    client, event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, email="known@example.org")
    url = reverse("registration:request-link", args=[event.slug])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"email": "known@example.org", "website": "x"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "honeypot_filled"
    assert b"A field meant to stay empty was filled in" in response.content
    assert b'name="website" value="x"' not in response.content
    assert callbacks == []
    assert mail.outbox == []


def test_participant_list_only_when_switched_on_and_only_opt_ins(client, event):
    listed = services.confirm_registration(
        RegistrationFactory(event=event, consent_public_list=True, last_name="Listed")
    )
    url = reverse("registration:participant-list", args=[event.slug])

    hidden = client.get(url)
    event.registration_settings.public_list_enabled = True
    event.registration_settings.save()
    shown = client.get(url)

    assert hidden.status_code == 404
    assert shown.status_code == 200
    assert shown.context["participants"] == [
        {"name": listed.full_name, "organization": "Ministry of Health", "country": "Senegal"}
    ]


def test_register_view_answers_503_when_database_fails(client, event, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)

    response = client.get(register_url(event))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
def test_two_identical_simultaneous_posts_make_one_registration():
    event = RegistrationSettingsFactory(capacity=10).event
    data = form_data(event)
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        try:
            client = Client()
            barrier.wait(timeout=10)
            statuses.append(client.post(register_url(event), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302, 302]
    assert Registration.objects.count() == 1


def test_register_form_shows_breakout_group_added_after_first_render(client, event):
    client.get(register_url(event))
    BreakoutGroup.objects.create(event=event, name="Ethical recruitment")

    response = client.get(register_url(event))

    assert b"Ethical recruitment" in response.content


def test_cancelled_registration_can_register_again_at_end_of_line(client, event):
    first = services.confirm_registration(RegistrationFactory(event=event))
    services.cancel_registration(first)
    holder = services.confirm_registration(RegistrationFactory(event=event))

    response = client.post(reverse("registration:reactivate", args=[event.slug, first.token]))

    first.refresh_from_db()
    assert response.status_code == 302
    assert first.status == Status.WAITING
    assert first.cancelled_at is None
    assert holder.status == Status.CONFIRMED


def test_rejected_registration_cannot_register_again(client, event):
    registration = services.reject_registration(RegistrationFactory(event=event), reason="No.")

    client.post(reverse("registration:reactivate", args=[event.slug, registration.token]))

    registration.refresh_from_db()
    assert registration.status == Status.REJECTED


def test_register_form_page_gives_each_visitor_their_own_csrf_token(event):
    visitors = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    tokens = [
        re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            visitor.get(register_url(event)).content.decode(),
        ).group(1)
        for visitor in visitors
    ]

    response = visitors[1].post(
        register_url(event), {**form_data(event), "csrfmiddlewaretoken": tokens[1]}
    )
    forged = visitors[0].post(
        register_url(event),
        {**form_data(event, email="x@example.org"), "csrfmiddlewaretoken": "forged"},
    )

    assert tokens[0] != tokens[1]
    assert response.status_code == 302
    assert forged.status_code == 403
    assert Registration.objects.count() == 1
