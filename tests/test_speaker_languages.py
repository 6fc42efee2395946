"""Speakers in their own language (Person.language, set by organizers): the e-mail with their
link, the page it opens and their brief.

As in tests/test_registration_languages.py, expected texts are the catalogs' translations of the
English messages, each checked to differ from the English.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from agenda import formatting
from documents import pdf
from documents.models import RenderedDocument
from outbox.models import Message
from speakers import services
from tests.factories import upcoming
from tests.test_pdf_documents import pdf_text, speaker_of

pytestmark = pytest.mark.django_db


def translated(language: str, msgid: str, **params) -> str:
    """`msgid` in `language`, as the catalogs translate it; never the English itself."""
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"no {language} translation of {msgid!r}: compile the catalogs"
    return text % params if params else text


def page_url(event, token, name="speakers:page", *, language="en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"event": event.slug, "token": token, **kwargs})


def html_lang(html: str) -> str:
    return re.search(r"<html[^>]* lang=\"([^\"]*)\"", html).group(1)


@pytest.fixture
def seed_event(seed_event):
    """The seed seminar moved ahead: links are mailed, and pages take changes, before it ends."""
    return upcoming(seed_event)


@pytest.fixture
def speaker(seed_event):
    person = speaker_of(seed_event.sessions.get(number=1))
    person.email = "speaker@example.org"
    person.language = "fr"
    person.save()
    return person


@pytest.fixture
def token(speaker, seed_event):
    return services.issue_speaker_link(speaker, event=seed_event)[1]


def test_link_email_of_a_french_speaker_is_french_with_a_french_address(seed_event, speaker):
    link = services.deliver_speaker_link(speaker, event=seed_event)

    message = Message.objects.get(object_id=link.pk, topic=services.SPEAKER_LINK_TOPIC)
    assert message.language == "fr"
    assert message.subject == translated(
        "fr", "Your page as a speaker at %(title)s", title=seed_event.title
    )
    url = re.search(r"https?://\S+/speaker/\S+/", message.text).group(0)
    assert re.search(rf"/fr/{seed_event.slug}/speaker/[^/]+/$", url)
    expires_on = timezone.localdate(link.expires_at)
    with translation.override("fr"):
        date = formatting.day_month_year(expires_on)
    assert (
        translated(
            "fr",
            "The link is personal: please do not share it. It works until %(date)s; if you "
            "need a new one, ask the organizers.",
            date=date,
        )
        in message.text
    )


def test_link_email_of_an_english_speaker_is_as_before(seed_event, speaker):
    speaker.language = "en"
    speaker.save()

    link = services.deliver_speaker_link(speaker, event=seed_event)

    message = Message.objects.get(object_id=link.pk, topic=services.SPEAKER_LINK_TOPIC)
    assert message.language == "en"
    assert message.subject == f"Your page as a speaker at {seed_event.title}"
    assert re.search(rf"https?://[^/\s]+/{seed_event.slug}/speaker/[^/\s]+/\n", message.text)
    expires = timezone.localdate(link.expires_at)
    assert f"It works until {expires.day} {expires:%B %Y};" in message.text
    assert message.text.rstrip().endswith("International Organization for Migration")


def test_link_email_names_the_event_in_the_speakers_language_where_organizers_wrote_it(
    seed_event, speaker
):
    seed_event.title_fr = "Migration et ressources humaines pour la santé"
    seed_event.save()

    link = services.deliver_speaker_link(speaker, event=seed_event)

    message = Message.objects.get(object_id=link.pk, topic=services.SPEAKER_LINK_TOPIC)
    assert message.subject == translated(
        "fr",
        "Your page as a speaker at %(title)s",
        title="Migration et ressources humaines pour la santé",
    )


def test_speaker_page_at_the_english_address_ends_up_in_french(client, seed_event, token):
    response = client.get(page_url(seed_event, token))
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == page_url(seed_event, token, language="fr")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    html = page.content.decode()
    assert page.status_code == 200
    assert html_lang(html) == "fr"
    assert translated("fr", "Your part in the programme") in html
    assert {"private", "no-store"} <= set(page["Cache-Control"].split(", "))


def test_english_speaker_page_stays_at_its_english_address(client, seed_event, speaker, token):
    speaker.language = "en"
    speaker.save()

    response = client.get(page_url(seed_event, token))

    assert response.status_code == 200
    assert html_lang(response.content.decode()) == "en"


def test_speaker_page_prints_organizers_texts_in_french_and_marks_english_ones(
    client, seed_event, speaker, token
):
    session = seed_event.sessions.get(number=1)
    session.title_fr = "Planter le décor"
    session.save()
    item = session.items.first()

    html = client.get(page_url(seed_event, token, language="fr")).content.decode()

    with translation.override("fr"):
        label = pgettext("a label before what it labels", "%(label)s:") % {"label": session.label}
    assert label.startswith(translated("fr", "Session %(number)s", number="I"))
    assert f"{label} Planter le décor" in html
    assert f'<h3 class="h5"><span lang="en">{item.title_en}</span></h3>' in html


def test_brief_pdf_follows_the_speakers_language_at_any_address(client, seed_event, speaker, token):
    response = client.get(page_url(seed_event, token, "speakers:brief-pdf"))

    assert response.status_code == 200
    text = pdf_text(RenderedDocument(content=response.content))
    assert translated("fr", "Your part in the programme") in text
    assert "Your part in the programme" not in text


def test_brief_of_a_french_speaker_is_french_whatever_the_active_language(seed_event, speaker):
    with translation.override("es"):
        spec = services.speaker_brief_spec(speaker, event=seed_event)

    text = pdf_text(pdf.get_document(spec))

    assert spec.language == "fr"
    assert translated("fr", "Speaker's brief") in text


def test_french_speakers_abstract_is_kept_as_their_french_text(client, seed_event, token):
    presentation = speaker_of_presentation(seed_event)
    english = presentation.abstract_en

    response = client.post(
        page_url(seed_event, token, "speakers:abstract", presentation=presentation.pk),
        {"abstract": "Les professionnels de santé migrent pour bien des raisons."},
        follow=True,
    )

    presentation.refresh_from_db()
    assert presentation.abstract_fr == "Les professionnels de santé migrent pour bien des raisons."
    assert presentation.abstract_en == english
    assert response.redirect_chain == [(page_url(seed_event, token, language="fr"), 302)]
    html = response.content.decode()
    assert translated("fr", "Thank you: your abstract is saved.") in html


def test_abstract_form_shows_an_english_abstract_marked_until_there_is_a_french_one(
    client, seed_event, token
):
    presentation = speaker_of_presentation(seed_event)
    presentation.abstract_en = "Health workers move."
    presentation.save()

    html = client.get(page_url(seed_event, token, language="fr")).content.decode()

    assert re.search(r'<textarea name="abstract"[^>]* lang="en"[^>]*>\s*Health workers move.', html)


def test_organizers_set_a_persons_language_in_the_admin(client, organizer, speaker):
    client.force_login(organizer)

    html = client.get(reverse("admin:agenda_person_change", args=[speaker.pk])).content.decode()

    assert re.search(r'<select name="language"[^>]*>', html)
    assert '<option value="fr" selected>Français</option>' in html


def speaker_of_presentation(event):
    return event.sessions.get(number=1).items.first().presentations.first()
