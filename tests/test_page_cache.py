"""The page cache: what it keeps, under which address, and what it refuses to keep."""

import random
import string
from urllib.parse import urlencode

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path, reverse
from django.utils.cache import has_vary_header, patch_vary_headers

from idm_seminar.pagecache import cached_public_page, local_pages
from tests.factories import EventFactory, SessionFactory

renders: list[str] = []


def _page(name: str):
    @cached_public_page
    def view(request):
        renders.append(name)
        response = HttpResponse(f"<p>{name}</p>")
        if name == "sets-cookie":
            response.set_cookie("seen", "1")
        elif name == "uses-csrf":
            response.content = f"<input value='{get_token(request)}'>".encode()
        elif name == "varies-on-cookie":
            patch_vary_headers(response, ("Cookie",))
        return response

    return view


PAGES = ("plain", "sets-cookie", "uses-csrf", "varies-on-cookie")
urlpatterns = [path(f"{name}/", _page(name)) for name in PAGES]


@pytest.fixture
def event(db):
    event = EventFactory(slug="health-workers")
    SessionFactory(event=event, number=1, slug="session-1")
    return event


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM idm_cache")
        return cursor.fetchone()[0]


def memory_size() -> tuple[int, int]:
    return len(local_pages.pages), len(local_pages.paths)


def random_query(rng: random.Random) -> str:
    def token() -> str:
        return "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(5, 12)))

    return urlencode({token(): token() for _ in range(rng.randint(1, 3))})


def test_random_query_strings_leave_the_cache_store_as_it_was(
    client, event, django_assert_num_queries
):
    addresses = [
        reverse("agenda:agenda", kwargs={"event": event.slug}),
        reverse("agenda:event-detail", kwargs={"event": event.slug}),
        reverse("agenda:session-detail", kwargs={"event": event.slug, "session": "session-1"}),
    ]
    first = {address: client.get(address).content for address in addresses}
    rows, memory = cache_rows(), memory_size()
    rng = random.Random(8)

    # Rendering or storing would take ORM queries; reading the version takes none.
    with django_assert_num_queries(0):
        answers = [
            client.get(f"{address}?{random_query(rng)}")
            for _ in range(1000 // len(addresses) + 1)
            for address in addresses
        ]
    with django_assert_num_queries(0):
        again = client.get(addresses[0])

    assert len(answers) >= 1000
    assert {answer.status_code for answer in answers} == {200}
    assert all(answer.content == first[answer.request["PATH_INFO"]] for answer in answers)
    assert cache_rows() == rows
    assert memory_size() == memory
    assert again.content == first[addresses[0]]


def test_first_request_with_unknown_parameters_stores_the_page_without_them(
    client, event, django_assert_num_queries
):
    agenda = reverse("agenda:agenda", kwargs={"event": event.slug})

    first = client.get(f"{agenda}?utm_source=newsletter")
    with django_assert_num_queries(0):
        plain = client.get(agenda)

    assert b"utm_source" not in first.content
    assert plain.content == first.content


def test_page_number_is_kept_in_its_canonical_form(client, db, django_assert_num_queries):
    EventFactory.create_batch(21)
    events = reverse("agenda:event-list")
    second = client.get(f"{events}?page=2")

    with django_assert_num_queries(0):
        padded = client.get(f"{events}?page=002&ref=mail")
    first = client.get(f"{events}?page=1")

    assert second.status_code == 200
    assert padded.content == second.content
    assert first.content != second.content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", ["sets-cookie", "uses-csrf", "varies-on-cookie"])
def test_page_with_cookie_csrf_or_vary_cookie_is_never_stored(client, db, name):
    renders.clear()
    rows = cache_rows()

    client.get(f"/{name}/")
    client.get(f"/{name}/")

    assert renders == [name, name]
    assert cache_rows() == rows
    assert memory_size() == (0, 0)


class DropsCookiesBelowTheCache:
    """A middleware right below the page cache that sends no cookie (nor the Vary that came
    with it): the CSRF middleware's renewal of a cookie the browser already has never reaches
    the cache, which must still know that the page used CSRF."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.cookies.clear()
        del response["Vary"]
        return response


@pytest.mark.urls(__name__)
def test_page_using_csrf_is_never_stored_when_the_csrf_cookie_is_already_there(
    client, db, settings
):
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    cache_at = settings.MIDDLEWARE.index("idm_seminar.pagecache.PageCacheMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: cache_at + 1],
        f"{__name__}.DropsCookiesBelowTheCache",
        *settings.MIDDLEWARE[cache_at + 1 :],
    ]
    renders.clear()
    rows = cache_rows()

    client.get("/uses-csrf/")
    client.get("/uses-csrf/")

    assert renders == ["uses-csrf", "uses-csrf"]
    assert cache_rows() == rows
    assert memory_size() == (0, 0)


@pytest.mark.urls(__name__)
def test_plain_page_is_rendered_once(client, db):
    renders.clear()
    rows = cache_rows()

    first = client.get("/plain/")
    second = client.get("/plain/")

    assert renders == ["plain"]
    assert second.content == first.content == b"<p>plain</p>"
    assert cache_rows() == rows + 1
    assert memory_size() == (1, 1)


@pytest.mark.urls(__name__)
def test_not_modified_answer_varies_on_the_cookie_like_the_stored_page(client, db):
    stored = client.get("/plain/")
    local_pages.clear()  # another process: the view's decorator answers the condition

    not_modified = client.get("/plain/", headers={"If-None-Match": stored["ETag"]})

    assert not_modified.status_code == 304
    assert has_vary_header(stored, "Cookie")
    assert has_vary_header(not_modified, "Cookie")


def test_organizer_page_is_never_stored(client, event, organizer):
    event.status = event.Status.DRAFT
    event.save()
    agenda = reverse("agenda:agenda", kwargs={"event": event.slug})
    rows = cache_rows()
    client.force_login(organizer)

    staff = client.get(agenda)
    client.logout()
    anonymous = client.get(agenda)

    assert staff.status_code == 200
    assert "private" in staff["Cache-Control"]
    assert anonymous.status_code == 404
    assert cache_rows() == rows
    assert memory_size() == (0, 0)


class FailingBelowTheCache:
    """A middleware below the page cache that loses the database after the view answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("server closed the connection unexpectedly")


def test_database_error_outside_the_view_answers_503(db, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.FailingBelowTheCache"]
    client = Client(raise_request_exception=False)

    response = client.get(reverse("agenda:event-list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
