"""Every public page reads a fixed number of queries, whatever the size of the event and in
every language: the French and Spanish texts are columns of the rows the page already reads.

Measured as an organizer, whom the page cache never serves, so the view's own queries count:
two of them load the organizer's session and user, the rest are the page's.
"""

import pytest
from django.urls import reverse, translate_url

from agenda.models import Event
from devtools.demo import generate_event
from idm_seminar.pagecache import local_pages

PAGE_QUERIES = [
    # (URL name, extra URL arguments, queries)
    ("event-detail", {}, 5),
    ("agenda", {}, 7),
    ("session-detail", {"session": "session-1"}, 10),
    ("person-list", {}, 5),
    ("person-detail", {"person": "person-1"}, 6),
    ("document-list", {}, 5),
    ("proceedings:publication", {}, 5),
    ("agenda-ics", {}, 7),
    ("session-ics", {"session": "session-1"}, 8),
]
LANGUAGES = ["en", "fr", "es"]


@pytest.fixture
def large_and_small(db) -> tuple[Event, Event]:
    return generate_event(scale=10, slug="large"), generate_event(scale=1, slug="small")


def address(name: str, event: Event, kwargs: dict) -> str:
    if "person" in kwargs:
        kwargs = {"person": f"{event.slug}-{kwargs['person']}"}
    name = name if ":" in name else f"agenda:{name}"
    return reverse(name, kwargs={"event": event.slug, **kwargs})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs", "queries"), PAGE_QUERIES)
def test_page_reads_the_same_queries_for_large_and_small_events(
    client, organizer, large_and_small, django_assert_num_queries, name, kwargs, queries, language
):
    client.force_login(organizer)

    for event in large_and_small:
        with django_assert_num_queries(queries):
            response = client.get(translate_url(address(name, event, kwargs), language))
        assert response.status_code == 200
        assert response["Content-Language"] == language


def test_large_demo_event_has_ten_times_the_seed(large_and_small):
    large, small = large_and_small

    assert large.items.count() == 10 * small.items.count() == 120
    assert large.sessions.count() == 10 * small.sessions.count() == 40
    assert len(large.days) == 10 * len(small.days) == 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_list_reads_four_queries(
    client, organizer, large_and_small, django_assert_num_queries, language
):
    client.force_login(organizer)

    with django_assert_num_queries(4):
        response = client.get(translate_url(reverse("agenda:event-list"), language))

    assert response.status_code == 200
    assert response["Content-Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_cached_page_costs_no_orm_query(
    client, large_and_small, django_assert_num_queries, language
):
    large, _small = large_and_small
    agenda = translate_url(reverse("agenda:agenda", kwargs={"event": large.slug}), language)
    client.get(agenda)

    # The content version is read on the raw connection (one round trip), outside the ORM.
    with django_assert_num_queries(0):
        response = client.get(agenda)

    assert response.status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_rendered_by_another_process_costs_one_query(
    client, large_and_small, django_assert_num_queries, language
):
    large, _small = large_and_small
    agenda = translate_url(reverse("agenda:agenda", kwargs={"event": large.slug}), language)
    client.get(agenda)
    local_pages.clear()  # as in a web process that has not served this page yet

    with django_assert_num_queries(1):
        response = client.get(agenda)

    assert response.status_code == 200
