import pytest
from django.core.management import call_command
from django.utils import translation

from documents.pdf import local_documents
from idm_seminar.pagecache import local_pages


@pytest.fixture
def seed_event(db):
    """The Geneva 2006 seminar, loaded from fixtures/ as `make run` loads it."""
    from agenda.models import Event

    call_command("load_seed_event", verbosity=0)
    return Event.objects.get(slug="migration-and-human-resources-for-health")


@pytest.fixture(autouse=True)
def _language_of_no_request():
    """Each test starts and ends with no language active, as a new thread would.

    The test client runs requests in the test's thread, and LocaleMiddleware leaves the last
    request's language active: after a request to /fr/, `reverse` in the next test would make
    French addresses and `gettext` write French.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def organizer(db, django_user_model):
    return django_user_model.objects.create_user(
        "organizer",
        "organizer@example.org",
        "a-long-organizer-password",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture(autouse=True)
def _empty_local_page_cache():
    """Each test starts with no page in this process's memory.

    A test's rollback undoes its writes without advancing the content version, as no real edit
    could; pages it rendered must not outlive it.
    """
    local_pages.clear()
    local_documents.clear()
    yield
    local_pages.clear()
    local_documents.clear()


@pytest.fixture
def participants(monkeypatch):
    """Have the registration app list `provider(event)` as an event's consenting participants,
    as the proceedings read them."""
    from registration import services as registration_services

    def use(provider):
        monkeypatch.setattr(registration_services, "proceedings_participants", provider)

    return use
