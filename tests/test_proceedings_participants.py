"""The proceedings list participants who consented, and follow the list without re-asking it.

Readers get the book as an organizer last had it rendered (issue 9): a change of the list makes
it outdated until the next rendering."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from proceedings import services as proceedings_services
from registration import services
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_proceedings_follow_the_list_of_participants(
    client, seed_event, django_assert_num_queries, django_capture_on_commit_callbacks
):
    RegistrationSettingsFactory(event=seed_event)
    url = reverse("proceedings:pdf", kwargs={"event": seed_event.slug})
    with django_capture_on_commit_callbacks(execute=True):  # an organizer renders the book
        proceedings_services.queue_proceedings_render(seed_event)
    first = client.get(url)

    with django_assert_num_queries(0):
        again = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_registration(
            RegistrationFactory(
                event=seed_event,
                first_name="Amina",
                last_name="Diallo",
                consent_proceedings_list=True,
            )
        )
    outdated = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):  # and renders it again
        proceedings_services.queue_proceedings_render(seed_event)
    after = client.get(url)

    assert first.status_code == again.status_code == after.status_code == 200
    assert again.content == outdated.content == first.content
    assert outdated["X-Document-Status"] == "outdated"
    assert "Amina Diallo" not in text_of(first)
    assert "Amina Diallo" in text_of(after)


def test_participant_without_consent_stays_off_the_proceedings(
    client, seed_event, django_capture_on_commit_callbacks
):
    RegistrationSettingsFactory(event=seed_event)
    url = reverse("proceedings:pdf", kwargs={"event": seed_event.slug})
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_registration(
            RegistrationFactory(
                event=seed_event,
                first_name="Wei",
                last_name="Zhang",
                consent_proceedings_list=False,
            )
        )
        proceedings_services.queue_proceedings_render(seed_event)

    response = client.get(url)

    assert "Zhang" not in text_of(response)
