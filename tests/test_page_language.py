import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html_lang(html: str) -> str:
    return re.search(r"<html[^>]* lang=\"([^\"]*)\"", html).group(1)


@pytest.mark.parametrize("accept_language", ["fr", "es-ES,es;q=0.9", "de", ""])
def test_public_page_says_it_is_in_english_whatever_the_browser_asks(
    client, seed_event, accept_language
):
    response = client.get(seed_event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=accept_language)
    html = response.content.decode()

    assert response.status_code == 200
    assert html_lang(html) == "en"
    assert "23–24 March 2006" in html


def test_language_cookie_of_a_language_without_catalog_is_ignored(client, seed_event, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get(reverse("agenda:agenda", args=[seed_event.slug])).content.decode()

    assert html_lang(html) == "en"
    assert "Thursday 23 March 2006" in html


def test_admin_login_names_the_language_it_is_written_in(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()

    assert html_lang(html) == "en"
    assert "Log in" in html
