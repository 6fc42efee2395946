"""Organizers write to registrants (registration.services.mailings and its admin): who receives a
mailing, in which language and with which link; sent once; hostile words are field errors; only
those allowed to send mailings reach them."""

import re
import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone, translation

from organizers import roles
from outbox.models import Message
from registration.links import read_token
from registration.models import (
    BreakoutGroup,
    Mailing,
    MailingRecipient,
    ParticipantCategory,
    Registration,
)
from registration.services import mailings
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory
from tests.test_outbox import SlowMailbox
from tests.test_registration_mail import SmtpServer, smtp_mailer

Status = Registration.Status
LINK = re.compile(r"http://127\.0\.0\.1:8000/(?:(?:fr|es)/)?[\w-]+/registration/([^/\s]+)/")


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=100).event


def mailing_for(event, **fields) -> Mailing:
    words = {
        "subject_en": "News for {name}",
        "text_en": "Dear {name},\nAbout {event}: {link}\n",
        "subject_fr": "Nouvelles pour {name}",
        "text_fr": "Bonjour {name},\nÀ propos de {event} : {link}\n",
    }
    return Mailing.objects.create(event=event, **{**words, **fields})


def link_owner(text: str) -> str:
    """The access key (hex) signed into the registration link a message's text holds."""
    return read_token(LINK.search(text).group(1))


def test_mailing_send_writes_each_recipient_in_their_language_with_their_link(event):
    people = {
        language: RegistrationFactory(event=event, language=language, first_name=f"P{language}")
        for language in ("en", "fr", "es")
    }
    mailing = mailing_for(event)

    count = mailings.send_mailing(mailing_id=mailing.pk)

    assert count == 3
    messages = {m.object_id: m for m in Message.objects.filter(topic=mailings.OUTBOX_TOPIC)}
    english, french, spanish = (messages[people[code].pk] for code in ("en", "fr", "es"))
    assert english.subject == f"News for Ms. Pen {people['en'].last_name}"
    assert french.subject.startswith("Nouvelles pour ")
    assert french.subject.endswith(f"Pfr {people['fr'].last_name}")
    assert french.language == "fr"
    # Spanish was not written: the English words, marked in Spanish (the catalog's word).
    assert spanish.language == "es"
    assert spanish.subject.startswith("[")
    assert " News for " in spanish.subject
    assert spanish.subject.endswith(f"Pes {people['es'].last_name}")
    for code, person in people.items():
        assert messages[person.pk].recipient == person.email
        assert link_owner(messages[person.pk].text) == person.access_key.hex
        # English addresses have no language prefix.
        assert (f"/{code}/" in messages[person.pk].text) == (code != "en")
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 3
    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert mailing.recipient_count == 3


def test_mailing_sent_a_second_time_changes_nothing(event):
    RegistrationFactory(event=event)
    mailing = mailing_for(event)
    mailings.send_mailing(mailing_id=mailing.pk)
    sent_at = Mailing.objects.get(pk=mailing.pk).sent_at

    with pytest.raises(mailings.MailingAlreadySent):
        mailings.send_mailing(mailing_id=mailing.pk)

    assert Message.objects.filter(topic=mailings.OUTBOX_TOPIC).count() == 1
    assert Mailing.objects.get(pk=mailing.pk).sent_at == sent_at


def test_mailing_with_no_recipient_is_not_sent(event):
    mailing = mailing_for(event, country="FR")
    RegistrationFactory(event=event, country="SN")

    with pytest.raises(mailings.NoRecipients):
        mailings.send_mailing(mailing_id=mailing.pk)

    assert Message.objects.count() == 0
    assert Mailing.objects.get(pk=mailing.pk).sent_at is None


def test_mailing_recipients_match_every_choice(event):
    category = ParticipantCategory.objects.create(event=event, name="Government")
    group = BreakoutGroup.objects.create(event=event, name="Group A")
    wanted = RegistrationFactory(
        event=event,
        country="SN",
        category=category,
        breakout_group=group,
        checked_in_at=timezone.now(),
    )
    RegistrationFactory(event=event, country="SN", category=category, breakout_group=group)
    RegistrationFactory(event=event, country="GH", category=category, checked_in_at=timezone.now())
    RegistrationFactory(event=event, country="SN", checked_in_at=timezone.now())
    RegistrationFactory(event=RegistrationSettingsFactory().event, country="SN")
    erased = RegistrationFactory(event=event, country="SN", category=category)
    Registration.objects.filter(pk=erased.pk).update(erased_at=timezone.now())

    mailing = mailing_for(
        event, country="SN", category=category, breakout_group=group, checked_in="yes"
    )
    not_checked_in = mailing_for(event, country="SN", checked_in="no")

    assert list(mailings.recipients(mailing)) == [wanted]
    assert wanted not in mailings.recipients(not_checked_in)
    assert mailings.recipients(not_checked_in).count() == 1


def test_mailing_recipients_by_status(event):
    pending = RegistrationFactory(event=event)
    cancelled = RegistrationFactory(
        event=event, status=Status.CANCELLED, cancelled_at=timezone.now()
    )

    assert list(mailings.recipients(mailing_for(event, status=Status.PENDING))) == [pending]
    assert list(mailings.recipients(mailing_for(event, status=Status.CANCELLED))) == [cancelled]
    # No status chosen: the active registrations only.
    assert list(mailings.recipients(mailing_for(event))) == [pending]


MailingForm = modelform_factory(
    Mailing,
    fields=[
        "event",
        "subject_en",
        "text_en",
        "subject_fr",
        "text_fr",
        "subject_es",
        "text_es",
        "category",
    ],
)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("subject_en", "Hello {0}", "placeholder_unknown"),
        ("subject_en", "Hello {}", "placeholder_unknown"),
        ("text_en", "{name.__class__.__mro__}", "placeholder_unknown"),
        ("text_en", "{name[0]}", "placeholder_unknown"),
        ("text_en", "{name!r}", "placeholder_unknown"),
        ("text_en", "{name:>99999999}", "placeholder_unknown"),
        ("text_fr", "{nom}", "placeholder_unknown"),
        ("text_en", "Unbalanced { brace", "placeholder_syntax"),
        ("text_en", "Unbalanced } brace", "placeholder_syntax"),
        ("subject_en", "Line\nbreak", "control_characters"),
        ("text_en", "Bell \x07 here", "control_characters"),
        ("subject_en", "x" * 201, "max_length"),
        ("text_en", "x" * 20_001, "max_length"),
    ],
)
def test_mailing_form_refuses_hostile_words_with_a_field_error(event, field, value, code):
    data = {"event": event.pk, "subject_en": "Hello", "text_en": "Hello {name}", field: value}

    form = MailingForm(data)

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[field]] == [code]


def test_mailing_form_refuses_another_events_category(event):
    other = ParticipantCategory.objects.create(
        event=RegistrationSettingsFactory().event, name="Other"
    )

    form = MailingForm({"event": event.pk, "subject_en": "S", "text_en": "T", "category": other.pk})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["category"]] == ["other_event"]


def test_mailing_form_takes_doubled_braces_and_known_placeholders(event):
    form = MailingForm(
        {"event": event.pk, "subject_en": "{event} {{x}}", "text_en": "{name} {link}\t\n"}
    )

    assert form.is_valid(), form.errors


def test_mailing_subject_with_the_event_many_times_fits_the_outbox(event):
    event.title = "T" * 300
    event.save()
    RegistrationFactory(event=event)
    mailing = mailing_for(event, subject_en="{event}" * 28)

    mailings.send_mailing(mailing_id=mailing.pk)

    assert len(Message.objects.get(topic=mailings.OUTBOX_TOPIC).subject) == 1000


# The admin


def staff(client, django_user_model, role: roles.Role):
    user = django_user_model.objects.create_user(
        role.name.replace(" ", ""), f"{role.name.replace(' ', '')}@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role.name))
    client.force_login(user)
    return client


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:registration_mailing_{name}", args=args)


@pytest.mark.parametrize("role", [roles.DESK, roles.EDITOR])
def test_mailing_admin_closed_to_desk_and_editor(event, client, django_user_model, role):
    RegistrationFactory(event=event)
    mailing = mailing_for(event)
    staff(client, django_user_model, role)

    pages = [
        client.get(admin_url("changelist")),
        client.get(admin_url("add")),
        client.get(admin_url("change", mailing.pk)),
        client.get(admin_url("send", mailing.pk)),
        client.post(admin_url("send", mailing.pk)),
        client.post(admin_url("test", mailing.pk)),
    ]

    assert [page.status_code for page in pages] == [403] * 6
    assert Message.objects.count() == 0


def test_mailing_admin_manager_writes_previews_tests_and_sends_once(
    event, client, django_user_model
):
    french = RegistrationFactory(event=event, language="fr", first_name="Zoé")
    RegistrationFactory(event=event, language="es")
    staff(client, django_user_model, roles.MANAGER)
    data = {
        "event": event.pk,
        "subject_en": "News for {name}",
        "text_en": "Dear {name}: {link}",
        "subject_fr": "Nouvelles pour {name}",
        "text_fr": "Bonjour {name} : {link}",
        "subject_es": "",
        "text_es": "",
        "status": "",
        "country": "",
        "checked_in": "",
    }

    added = client.post(admin_url("add"), data)
    mailing = Mailing.objects.get()
    page = client.get(admin_url("change", mailing.pk))
    test = client.post(admin_url("test", mailing.pk))
    confirm = client.get(admin_url("send", mailing.pk))
    first = client.post(admin_url("send", mailing.pk))
    second = client.post(admin_url("send", mailing.pk))
    sent_page = client.get(admin_url("change", mailing.pk))

    assert added.status_code == 302
    assert mailing.created_by.username == "Registrationmanager"
    assert "Nouvelles pour " in page.content.decode()
    assert f"Zoé {french.last_name}" in page.content.decode()  # the French preview, for Zoé
    assert test.status_code == 302
    tests = Message.objects.filter(kind=mailings.TEST_KIND)
    assert sorted(tests.values_list("language", flat=True)) == ["en", "fr"]
    assert set(tests.values_list("recipient", flat=True)) == {"Registrationmanager@example.org"}
    assert "2 registrations" in confirm.content.decode()
    assert (first.status_code, second.status_code) == (302, 302)
    assert Message.objects.filter(topic=mailings.OUTBOX_TOPIC).count() == 2
    listing = sent_page.content.decode()
    assert french.email in listing
    assert listing.count("waiting") >= 2
    assert 'name="_save"' not in listing  # a sent mailing is read-only


def test_mailing_admin_hostile_words_are_field_errors_not_500(event, admin_client):
    data = {
        "event": event.pk,
        "subject_en": "{0}{name.__class__}\x00",
        "text_en": "{" + "x" * 30_000,
        "status": "",
        "country": "",
        "checked_in": "",
    }

    response = admin_client.post(admin_url("add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert set(errors) == {"subject_en", "text_en"}
    assert Mailing.objects.count() == 0


# Delivery to a real SMTP server on loopback, down mid-way


def generate_registrations(event, count: int) -> list[Registration]:
    """`count` pending registrations in English, French and Spanish in turn, in bulk."""
    languages = ("en", "fr", "es")
    return Registration.objects.bulk_create(
        Registration(
            event=event,
            first_name=f"First{n}",
            last_name=f"Last{n}",
            organization="Ministry of Health",
            country="SN",
            email=f"person{n}@example.org",
            email_normalized=f"person{n}@example.org",
            days=event.days,
            consent_privacy=True,
            language=languages[n % 3],
        )
        for n in range(count)
    )


class GoingDownMailbox(SlowMailbox):
    """Accepts `up_for` messages, then refuses recipients with a 421 and shuts the server down
    (as a mail server going down for maintenance does)."""

    def __init__(self, server, *, up_for: int):
        super().__init__()
        self.delay = 0
        self.server = server
        self.up_for = up_for
        self.went_down = threading.Event()
        self.stopper = threading.Thread(target=server.stop)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.went_down.is_set():
            return "421 Going down"
        if len(self.messages) >= self.up_for:
            self.went_down.set()
            self.stopper.start()
            return "421 Going down"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    def come_back(self):
        """Up again, for good."""
        self.up_for = float("inf")
        self.went_down.clear()


@pytest.mark.django_db(transaction=True)
def test_mailing_to_1000_with_smtp_down_midway_delivers_each_once_in_their_language():
    server = SmtpServer()
    server.mailbox = GoingDownMailbox(server, up_for=300)
    server.start()
    event = RegistrationSettingsFactory(capacity=2000).event
    people = {person.email: person for person in generate_registrations(event, 1000)}
    mailing = mailing_for(event, subject_es="Noticias para {name}", text_es="Hola {name}: {link}")

    with smtp_mailer(server.port, timeout=2):
        mailings.send_mailing(mailing_id=mailing.pk)  # delivered at commit (immediate tasks)
        server.mailbox.stopper.join(timeout=10)
        kept = Message.objects.filter(topic=mailings.OUTBOX_TOPIC)
        states = Counter(kept.values_list("state", flat=True))
        assert states == {"sent": 300, "waiting": 700}
        server.mailbox.come_back()
        server.start()
        call_command("send_outbox", "--all", stdout=None, stderr=None)
    server.stop()

    received = server.mailbox.messages
    assert Counter(str(m["To"]) for m in received) == Counter(dict.fromkeys(people, 1))
    words = {"en": "Dear ", "fr": "Bonjour ", "es": "Hola "}
    for message in received:
        person = people[str(message["To"])]
        text = message.get_payload(decode=True).decode()
        assert message["Content-Language"] == person.language
        assert text.startswith(words[person.language] + person.first_name)
        assert link_owner(text) == person.access_key.hex
    assert Message.objects.filter(topic=mailings.OUTBOX_TOPIC, state="sent").count() == 1000


@pytest.mark.parametrize(("role", "shown"), [(roles.MANAGER, True), (roles.DESK, False)])
def test_registration_page_lists_its_mailings_to_the_manager_only(
    event, client, django_user_model, role, shown
):
    person = RegistrationFactory(event=event)
    mailing = mailing_for(event, subject_en="Practical information")
    mailings.send_mailing(mailing_id=mailing.pk)
    staff(client, django_user_model, role)

    with translation.override("en"):
        url = reverse("admin:registration_registration_change", args=[person.pk])
    page = client.get(url)

    assert page.status_code == 200
    assert ("Practical information" in page.content.decode()) is shown


def test_mailing_words_written_outside_the_admin_are_never_evaluated(event):
    person = RegistrationFactory(event=event)
    mailing = mailing_for(event, subject_en="Hi {0} {name}", text_en="{name.__class__} {link!r} {")

    mailings.send_mailing(mailing_id=mailing.pk)

    message = Message.objects.get(topic=mailings.OUTBOX_TOPIC)
    assert message.subject == f"Hi {{0}} {person.full_name}"
    assert message.text == "{name.__class__} {link!r} {"


@pytest.mark.django_db(transaction=True)
def test_mailing_sent_from_two_requests_at_once_goes_out_once(mailoutbox):
    event = RegistrationSettingsFactory(capacity=100).event
    generate_registrations(event, 50)
    mailing = mailing_for(event)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait(timeout=10)
            outcomes.append(mailings.send_mailing(mailing_id=mailing.pk))
        except mailings.MailingAlreadySent:
            outcomes.append("already sent")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str) == [50, "already sent"]
    assert Message.objects.filter(topic=mailings.OUTBOX_TOPIC).count() == 50
    assert len(mailoutbox) == 50  # delivered at commit (immediate tasks), each once
