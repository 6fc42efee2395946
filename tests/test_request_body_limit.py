"""How large a request body each address accepts, refused unread above it."""

import io

import pytest
from django.urls import reverse

from tests.questions_factories import CategoryFactory
from tests.registration_factories import RegistrationSettingsFactory

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def post_declaring(client, address: str, size: int):
    return client.generic(
        "POST",
        address,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableBody()},
    )


def test_registration_form_refuses_a_two_megabyte_body_unread(client, seed_event):
    response = post_declaring(
        client, reverse("registration:register", kwargs={"event": seed_event.slug}), 2 * MB
    )

    assert response.status_code == 413
    assert "at most 1.0\xa0MB in one request" in response.content.decode()


def test_admin_login_refuses_a_two_megabyte_body_unread(client, db):
    response = post_declaring(client, reverse("admin:login"), 2 * MB)

    assert response.status_code == 413


@pytest.mark.parametrize("size", [2 * MB, 49 * MB])
def test_admin_accepts_a_large_body_from_a_signed_in_organizer(client, organizer, size):
    client.force_login(organizer)

    response = client.post(
        reverse("admin:index"), data=b"x" * size, content_type="application/octet-stream"
    )

    assert response.status_code == 200


def test_admin_refuses_a_body_over_its_own_limit_unread(client, organizer):
    client.force_login(organizer)

    response = post_declaring(client, reverse("admin:index"), 51 * MB)

    assert response.status_code == 413
    assert "at most 50.0\xa0MB in one request" in response.content.decode()


def test_category_form_takes_its_pdfs_and_refuses_more_unread(client, settings, db):
    event = RegistrationSettingsFactory().event
    category = CategoryFactory(event=event, nomination="note_verbale")
    address = reverse("registration:register-category", args=[event.slug, category.pk])
    files = settings.REGISTRATION_UPLOAD_MAX_BYTES * settings.REGISTRATION_UPLOADS_PER_FORM

    over = post_declaring(client, address, files + 65 * 1024)

    assert over.status_code == 413
    within = client.post(address, {"first_name": "x" * (2 * MB)})
    assert within.status_code == 200
