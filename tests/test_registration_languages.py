"""Participants in their own language: the language they registered in (or chose since) writes
every e-mail of theirs, with links to their pages at its address, and serves those pages.

Expected texts are the catalogs' own translations of the English messages (so that a better
wording does not break a test); each is checked to differ from the English, so that a test run
without compiled catalogs fails instead of passing on English.
"""

import re

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from agenda import formatting
from outbox.models import Message
from outbox.services import build_email
from registration import links, services
from registration.models import BreakoutGroup, Registration, RegistrationEmail
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)

pytestmark = pytest.mark.django_db

Kind = RegistrationEmail.Kind


def translated(language: str, msgid: str, **params) -> str:
    """`msgid` in `language`, as the catalogs translate it; never the English itself."""
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"no {language} translation of {msgid!r}: compile the catalogs"
    return text % params if params else text


def address(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def html_lang(html: str) -> str:
    return re.search(r"<html[^>]* lang=\"([^\"]*)\"", html).group(1)


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/registration/\S+/", text).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def manage_path(url: str) -> tuple[str, Registration]:
    """The address of a participant's page without its token, and the registration the token
    opens (tokens carry the second they were signed in)."""
    start, token = re.fullmatch(r"(.*/registration/)([^/]+)/", path_of(url)).groups()
    return start, Registration.objects.get(access_key=links.read_token(token))


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=5).event


def register_at(client, event, language, captured, **overrides) -> Registration:
    with captured(execute=True):
        response = client.post(
            address("registration:register", event.slug, language=language),
            form_data(event, **overrides),
        )
    assert response.status_code == 302
    return Registration.objects.get(email=form_data(event, **overrides)["email"])


def messages_of(registration) -> list[Message]:
    return [email.message for email in registration.emails.select_related("message")]


# --- The language of a registration --------------------------------------------------------------


def test_registering_at_the_spanish_form_records_spanish_and_mails_in_spanish(
    client, event, django_capture_on_commit_callbacks
):
    registration = register_at(client, event, "es", django_capture_on_commit_callbacks)

    assert registration.language == "es"
    [message] = messages_of(registration)
    assert message.language == "es"
    [sent] = mail.outbox
    assert sent.subject == translated(
        "es", "Confirm your registration: %(title)s", title=event.title
    )
    assert (
        translated(
            "es",
            "If you did not register, ignore this message: nothing happens "
            "without the confirmation.",
        )
        in sent.body
    )
    assert manage_path(link_in(sent.body)) == (f"/es/{event.slug}/registration/", registration)
    assert sent.extra_headers["Content-Language"] == "es"


def test_registering_at_the_english_form_mails_in_english_as_before(
    client, event, django_capture_on_commit_callbacks
):
    registration = register_at(client, event, "en", django_capture_on_commit_callbacks)

    assert registration.language == "en"
    [sent] = mail.outbox
    assert sent.subject == f"Confirm your registration: {event.title}"
    assert sent.body.startswith("Dear Dr. Kwame Mensah,")
    assert manage_path(link_in(sent.body)) == (f"/{event.slug}/registration/", registration)
    assert messages_of(registration)[0].language == "en"


def test_registering_again_at_another_language_keeps_the_registrations_language(
    client, event, django_capture_on_commit_callbacks
):
    first = register_at(client, event, "fr", django_capture_on_commit_callbacks)
    # Past the interval within which a second e-mail with the link is not sent.
    first.emails.update(created_at=timezone.now() - 2 * services.LINK_RESEND_INTERVAL)

    again = register_at(client, event, "es", django_capture_on_commit_callbacks)

    assert again.language == "fr"
    assert [message.language for message in messages_of(again)] == ["fr", "fr"]


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_of_email_is_written_in_the_participants_language(event, kind):
    registration = RegistrationFactory(
        event=event, language="fr", honorific="Mr.", first_name="Jean", last_name="Dupont"
    )
    registration.rejection_reason = "Complet."

    subject, text, _attachments = services.compose_email(registration, kind)
    english = RegistrationFactory.build(
        event=event, honorific="Mr.", first_name="Jean", last_name="Dupont"
    )
    english_subject, english_text, _ = services.compose_email(english, kind)

    assert subject != english_subject
    # The honorific as French writes it ("M."), not the stored English code.
    assert text.startswith(
        translated("fr", "Dear %(name)s,", name=f"{translated('fr', 'Mr.')} Jean Dupont")
    )
    assert translated("fr", "IOM – International Dialogue on Migration") in text
    assert f"/fr/{event.slug}/" in text
    assert re.findall(r"https?://\S+", english_text)
    assert all("/fr/" in url for url in re.findall(r"https?://\S+", text))


def test_seat_confirmed_email_gives_dates_title_and_calendar_in_the_participants_language(
    event,
):
    event.title_es = "Seminario sobre la migración laboral"
    event.save()
    registration = services.confirm_registration(RegistrationFactory(event=event, language="es"))

    message = registration.emails.get(kind=Kind.SEAT_CONFIRMED).message

    assert message.subject == translated(
        "es", "Your seat is confirmed: %(title)s", title="Seminario sobre la migración laboral"
    )
    with translation.override("es"):
        days = formatting.date_range(event.start_date, event.end_date)
    assert days != formatting.date_range(event.start_date, event.end_date)
    assert days in message.text
    [calendar] = message.attachments
    unfolded = calendar["content"].replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=es:Seminario sobre la migración laboral" in unfolded
    assert re.search(rf"^URL:https?://[^/]+/es/{event.slug}/\r$", unfolded, re.MULTILINE)


def test_calendar_tags_a_title_not_written_in_the_participants_language_with_its_own(event):
    registration = services.confirm_registration(RegistrationFactory(event=event, language="fr"))

    calendar = registration.emails.get(kind=Kind.SEAT_CONFIRMED).message.attachments[0]

    assert f"SUMMARY;LANGUAGE=en:{event.title}" in calendar["content"]


def test_message_from_the_outbox_says_its_language(event):
    registration = RegistrationFactory(event=event, language="es")
    services.send_link(registration)

    email = build_email(registration.emails.get().message)

    assert email.message()["Content-Language"] == "es"


def test_requested_link_is_mailed_in_the_registrations_language_whatever_the_page(event):
    registration = RegistrationFactory(event=event, language="es")

    with translation.override("fr"):
        services.send_requested_link(event.pk, email_normalized=registration.email_normalized)

    message = registration.emails.get().message
    assert message.language == "es"
    assert message.subject == translated(
        "es", "Confirm your registration: %(title)s", title=event.title
    )


# --- Self-service pages --------------------------------------------------------------------------


def test_self_service_page_at_the_english_address_ends_up_in_spanish(client, event):
    registration = RegistrationFactory(event=event, language="es")
    token = registration.token

    response = client.get(address("registration:manage", event.slug, token))
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == address("registration:manage", event.slug, token, language="es")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert page.status_code == 200
    html = page.content.decode()
    assert html_lang(html) == "es"
    assert translated("es", "Confirm your e-mail address to complete your registration.") in html
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))


@pytest.mark.parametrize(
    "name",
    [
        "registration:edit",
        "registration:cancel",
        "registration:confirmation",
        "registration:calendar",
    ],
)
def test_every_self_service_page_follows_the_participants_language(client, event, name):
    registration = services.confirm_registration(RegistrationFactory(event=event, language="fr"))

    token = registration.token

    response = client.get(address(name, event.slug, token, language="es"))

    assert response.status_code == 302
    assert response["Location"] == address(name, event.slug, token, language="fr")


def test_printable_confirmation_is_in_the_participants_language(client, event):
    registration = services.confirm_registration(
        RegistrationFactory(event=event, language="es", honorific="Ms.")
    )

    response = client.get(
        address("registration:confirmation", event.slug, registration.token, language="es")
    )

    html = response.content.decode()
    assert html_lang(html) == "es"
    assert translated("es", "Confirmation of registration") in html
    with translation.override("es"):
        honorific = pgettext("honorific printed before a name", "Ms.")
    name = f"{honorific} {registration.first_name} {registration.last_name}"
    assert name in html


def test_confirming_at_another_address_answers_in_the_participants_language(
    client, event, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event, language="es")
    token = registration.token

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address("registration:confirm", event.slug, token), follow=True)

    assert response.redirect_chain[0][0] == address(
        "registration:manage", event.slug, token, language="es"
    )
    html = response.content.decode()
    assert translated("es", "Thank you: your e-mail address is confirmed.") in html
    assert mail.outbox[-1].subject == translated(
        "es", "Your seat is confirmed: %(title)s", title=event.title
    )


def test_changing_the_language_in_self_service_changes_the_next_emails_language(
    client, event, django_capture_on_commit_callbacks
):
    registration = services.confirm_registration(RegistrationFactory(event=event, language="es"))
    token = registration.token
    edit = address("registration:edit", event.slug, token, language="es")
    form = client.get(edit).content.decode()
    data = form_data(event, language="fr")
    data.pop("email")

    response = client.post(edit, data, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address("registration:cancel", event.slug, token, language="fr"))

    assert 'name="language"' in form
    assert '<option value="fr" lang="fr">Français</option>' in form
    assert '<option value="es" selected>Español</option>' in form
    registration.refresh_from_db()
    assert registration.language == "fr"
    assert response.redirect_chain == [
        (address("registration:manage", event.slug, token, language="fr"), 302)
    ]
    assert translated("fr", "Your changes are saved.") in response.content.decode()
    assert mail.outbox[-1].subject == translated(
        "fr", "Your registration is cancelled: %(title)s", title=event.title
    )
    assert messages_of(registration)[-1].language == "fr"


def test_change_form_sent_without_a_language_keeps_it(client, event):
    registration = RegistrationFactory(event=event, language="es")
    data = form_data(event, dietary_needs="Vegetarian")
    data.pop("email")

    response = client.post(
        address("registration:edit", event.slug, registration.token, language="es"), data
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.language, registration.dietary_needs) == ("es", "Vegetarian")


def test_change_form_refuses_a_language_the_site_does_not_speak(client, event):
    registration = RegistrationFactory(event=event)
    data = form_data(event, language="de")
    data.pop("email")

    response = client.post(address("registration:edit", event.slug, registration.token), data)

    assert response.status_code == 200
    assert response.context["form"].errors["language"][0].startswith("Select a valid choice")
    registration.refresh_from_db()
    assert registration.language == "en"


def test_english_registration_pages_stay_at_their_english_addresses(client, event):
    registration = RegistrationFactory(event=event)

    response = client.get(registration.get_absolute_url())

    assert response.status_code == 200
    assert html_lang(response.content.decode()) == "en"


def test_calendar_download_is_in_the_participants_language(client, event):
    event.title_fr = "Séminaire sur la migration"
    event.save()
    registration = services.confirm_registration(RegistrationFactory(event=event, language="fr"))

    response = client.get(
        address("registration:calendar", event.slug, registration.token, language="fr")
    )

    assert "SUMMARY;LANGUAGE=fr:Séminaire sur la migration" in response.content.decode()


# --- Break-out groups in three languages ---------------------------------------------------------


@pytest.fixture
def groups(event):
    translated_group = BreakoutGroup.objects.create(
        event=event, name_en="Partnerships with business", name_es="Alianzas con empresas"
    )
    english_only = BreakoutGroup.objects.create(event=event, name_en="Civil society", order=1)
    return translated_group, english_only


def test_spanish_form_names_groups_in_spanish_and_marks_english_ones(client, event, groups):
    translated_group, english_only = groups

    html = client.get(address("registration:register", event.slug, language="es")).content.decode()

    assert f'<option value="{translated_group.pk}">Alianzas con empresas</option>' in html
    assert f'<option value="{english_only.pk}" lang="en">Civil society</option>' in html


def test_english_form_names_groups_as_before(client, event, groups):
    translated_group, english_only = groups

    html = client.get(address("registration:register", event.slug)).content.decode()

    assert f'<option value="{translated_group.pk}">Partnerships with business</option>' in html
    assert f'<option value="{english_only.pk}">Civil society</option>' in html


def test_group_named_in_spanish_after_a_first_render_shows_on_the_spanish_form(
    client, event, groups
):
    _translated_group, english_only = groups
    spanish_form = address("registration:register", event.slug, language="es")
    client.get(spanish_form)

    english_only.name_es = "Sociedad civil"
    english_only.save()
    html = client.get(spanish_form).content.decode()

    assert f'<option value="{english_only.pk}">Sociedad civil</option>' in html


def test_spanish_email_and_page_name_the_chosen_group_in_spanish(
    client, event, groups, django_capture_on_commit_callbacks
):
    translated_group, english_only = groups
    registration = register_at(
        client,
        event,
        "es",
        django_capture_on_commit_callbacks,
        breakout_group=str(translated_group.pk),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_registration(registration)
    page = client.get(registration.get_absolute_url(), follow=True).content.decode()

    assert "Alianzas con empresas" in mail.outbox[-1].body
    assert "Partnerships with business" not in mail.outbox[-1].body
    assert '<dd class="col-sm-8" id="breakout-group">Alianzas con empresas</dd>' in page
    registration.breakout_group = english_only
    registration.save()
    page = client.get(registration.get_absolute_url(), follow=True).content.decode()
    assert '<span lang="en">Civil society</span>' in page


def test_new_seminar_copies_group_names_in_every_language(event, groups):
    copy = services.prepare_event_copy(
        event,
        title="Next seminar",
        slug="next-seminar",
        start_date=event.start_date.replace(year=2031),
    )

    names = list(copy.breakout_groups.values_list("name_en", "name_fr", "name_es"))
    assert names == [
        ("Partnerships with business", None, "Alianzas con empresas"),
        ("Civil society", None, None),
    ]


# --- Migrations -----------------------------------------------------------------------------------

BEFORE_LANGUAGES = [("registration", "0005_outbox_messages")]


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_are_english_and_group_names_move_to_the_english_column():
    registration = RegistrationFactory(event=RegistrationSettingsFactory().event)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_LANGUAGES)
    old_apps = executor.loader.project_state(BEFORE_LANGUAGES).apps
    OldGroup = old_apps.get_model("registration", "BreakoutGroup")
    OldGroup.objects.create(event_id=registration.event_id, name="Partnerships", order=0)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    registration.refresh_from_db()
    assert registration.language == "en"
    group = BreakoutGroup.objects.get()
    assert (group.name_en, group.name_fr, group.name_es) == ("Partnerships", None, None)


def test_a_name_is_printed_with_its_honorific_as_the_language_writes_it(db):
    """The list of choices may tell two honorifics apart ("Sra. (Ms.)", "Sra. (Mrs.)" in
    Spanish); before a name the language's own short form is printed ("Sra. Lucía …")."""
    registration = RegistrationFactory.build(
        honorific="Ms.", first_name="Lucía", last_name="Fernández"
    )

    with translation.override("en"):
        english = registration.full_name
    with translation.override("es"):
        spanish = registration.full_name
        printed = pgettext("honorific printed before a name", "Ms.")
        listed = str(registration.get_honorific_display())

    assert english == "Ms. Lucía Fernández"
    assert spanish == f"{printed} Lucía Fernández"
    assert printed != listed
