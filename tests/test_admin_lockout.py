"""An organizer whose sign-in is locked after too many wrong passwords gets a page that says so."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sign_in(client, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": "organizer", "password": password, "next": "/admin/"},
    )


def test_lockout_after_five_wrong_passwords_is_an_admin_page(client, organizer):
    answers = [sign_in(client, "wrong-password") for _ in range(5)]

    locked = answers[-1]
    page = locked.content.decode()
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
    assert locked["Content-Type"] == "text/html; charset=utf-8"
    assert locked["Retry-After"] == "3600"
    assert "<h1>Sign-in locked</h1>" in page
    assert "IDM seminars – organizers" in page
    assert "The password was wrong 5 times in a row." in page
    assert "signing in as “organizer” from your address is locked for 1\xa0hour." in page
    assert "ask another organizer to unlock you" in page
    assert f'href="{reverse("admin:login")}"' in page


def test_lockout_refuses_even_the_right_password_until_the_cool_off_ends(client, organizer):
    for _ in range(5):
        sign_in(client, "wrong-password")

    answer = sign_in(client, "a-long-organizer-password")

    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_COOLOFF_TIME=0.5)
def test_lockout_page_says_the_cool_off_from_the_settings(client, organizer):
    answers = [sign_in(client, "wrong-password") for _ in range(5)]

    assert answers[-1]["Retry-After"] == "1800"
    assert "locked for 30\xa0minutes" in answers[-1].content.decode()
