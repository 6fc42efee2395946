"""Every public page reads a fixed number of queries, whatever the size of the event.

Measured as an organizer, whom the page cache never serves, so the view's own queries count:
two of them load the organizer's session and user, the rest are the page's.
"""

import pytest
from django.urls import reverse

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


@pytest.fixture
def large_and_small(db) -> tuple[Event, Event]:
    return generate_event(scale=10, slug="large"), generate_event(scale=1, slug="small")


def address(name: str, event: Event, kwargs: dict) -> str:
    if "person" in kwargs:
        kwargs = {"person": f"{event.slug}-{kwargs['person']}"}
    name = name if ":" in name else f"agenda:{name}"
    return reverse(name, kwargs={"event": event.slug, **kwargs})


@pytest.mark.parametrize(("name", "kwargs", "queries"), PAGE_QUERIES)
def test_page_reads_the_same_queries_for_large_and_small_events(
    client, organizer, large_and_small, django_assert_num_queries, name, kwargs, queries
):
    client.force_login(organizer)

    for event in large_and_small:
        with django_assert_num_queries(queries):
            response = client.get(address(name, event, kwargs))
        assert response.status_code == 200


def test_large_demo_event_has_ten_times_the_seed(large_and_small):
    large, small = large_and_small

    assert large.items.count() == 10 * small.items.count() == 120
    assert large.sessions.count() == 10 * small.sessions.count() == 40
    assert len(large.days) == 10 * len(small.days) == 20


def test_event_list_reads_four_queries(
    client, organizer, large_and_small, django_assert_num_queries
):
    client.force_login(organizer)

    with django_assert_num_queries(4):
        response = client.get(reverse("agenda:event-list"))

    assert response.status_code == 200


def test_cached_page_costs_no_orm_query(client, large_and_small, django_assert_num_queries):
    large, _small = large_and_small
    agenda = reverse("agenda:agenda", kwargs={"event": large.slug})
    client.get(agenda)

    # The content version is read on the raw connection (one round trip), outside the ORM.
    with django_assert_num_queries(0):
        response = client.get(agenda)

    assert response.status_code == 200


def test_page_rendered_by_another_process_costs_one_query(
    client, large_and_small, django_assert_num_queries
):
    large, _small = large_and_small
    agenda = reverse("agenda:agenda", kwargs={"event": large.slug})
    client.get(agenda)
    local_pages.clear()  # as in a web process that has not served this page yet

    with django_assert_num_queries(1):
        response = client.get(agenda)

    assert response.status_code == 200
