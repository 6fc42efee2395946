"""An item whose only presentation bears the item's own title prints that title once: on the
agenda pages, in the programme and in a speaker's brief alike; an item with several
presentations prints every presentation's title."""

import datetime

import pytest

from documents import services as document_services
from tests.factories import (
    AgendaItemFactory,
    PersonFactory,
    PresentationFactory,
    PresentationSpeakerFactory,
)

pytestmark = pytest.mark.django_db


def _item_with_talks(event, *titles):
    item = AgendaItemFactory(
        event=event,
        date=event.start_date,
        start_time=datetime.time(18, 0),
        end_time=datetime.time(18, 30),
        title="Two talks",
    )
    speaker = PersonFactory()
    for title in titles:
        PresentationSpeakerFactory(
            presentation=PresentationFactory(item=item, title=title), person=speaker
        )
    return speaker


@pytest.mark.parametrize(
    ("titles", "printed"),
    [(("Two talks", "Another talk"), ["Two talks", "Another talk"]), (("two  TALKS",), [""])],
)
def test_speaker_brief_prints_a_talk_titled_as_its_item_only_when_it_is_not_alone(
    seed_event, titles, printed
):
    speaker = _item_with_talks(seed_event, *titles)

    content = document_services.speaker_brief_spec(speaker, event=seed_event).build()

    [slot] = content["slots"]
    assert [part["presentation"]["text"] for part in slot["parts"]] == printed
