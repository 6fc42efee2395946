"""A role in an agenda item is named for all it can be: chair, discussant, moderator or
rapporteur, on the speaker's page, in the admin's history and delete pages and in the badges."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from agenda.models import AgendaItemRole
from speakers import services as speaker_services
from tests.test_pdf_documents import speaker_of

pytestmark = pytest.mark.django_db


def test_speaker_page_heads_the_others_roles_with_every_kind_of_role(client, seed_event):
    speaker = speaker_of(seed_event.sessions.get(number=1))
    token = speaker_services.issue_speaker_link(speaker, event=seed_event)[1]

    response = client.get(
        reverse("speakers:page", kwargs={"event": seed_event.slug, "token": token})
    )

    html = response.content.decode()
    assert "Chairs, discussants, moderators and rapporteurs" in html
    assert "Discussants and chairs" not in html


def test_agenda_item_delete_page_names_its_roles_as_roles_in_the_item(admin_client, seed_event):
    role = AgendaItemRole.objects.filter(item__event=seed_event).first()
    role.role = AgendaItemRole.Role.CHAIR
    role.save()

    response = admin_client.get(reverse("admin:agenda_agendaitem_delete", args=[role.item_id]))

    html = response.content.decode()
    assert "Role in the item: Chair:" in html
    assert "iscussant or chair" not in html
    assert AgendaItemRole._meta.verbose_name_plural == (
        "chairs, discussants, moderators and rapporteurs"
    )


@pytest.mark.parametrize(("stored", "shown"), [("chair", "Chair"), ("keynote", "keynote")])
def test_role_label_shows_a_known_role_by_its_label_and_an_unknown_one_as_stored(stored, shown):
    template = Template("{% load agenda_extras %}{{ role|role_label }}")

    assert template.render(Context({"role": stored})) == shown
