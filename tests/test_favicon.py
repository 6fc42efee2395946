import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_at_the_site_root(client, seed_event):
    response = client.get("/favicon.ico")
    content = b"".join(response.streaming_content)
    response.close()

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert content[:4] == b"\x00\x00\x01\x00"


def test_pages_link_the_favicon_that_the_site_serves(client, seed_event):
    html = client.get(seed_event.get_absolute_url()).content.decode()
    svg = client.get("/static/favicon.svg")
    svg.close()

    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert svg.status_code == 200
