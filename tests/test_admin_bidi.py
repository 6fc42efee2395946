"""Names the site prints refuse the invisible characters that reorder text, in the admin too."""

import pytest
from django.urls import reverse

from agenda.models import Organization, Person
from tests.test_admin_hostile_input import FormFields

pytestmark = pytest.mark.django_db


def _post_change(client, obj, field: str, value: str):
    url = reverse(f"admin:agenda_{obj._meta.model_name}_change", args=[obj.pk])
    form = FormFields()
    form.feed(client.get(url).content.decode())
    return client.post(url, {**form.values, field: value})


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Organization, "name_en", "World Health \u202eOrganization"),
        (Person, "honorific", "Dr.\u2067"),
    ],
)
def test_admin_refuses_text_direction_characters_in_a_printed_name(
    admin_client, seed_event, model, field, value
):
    obj = model.objects.order_by("pk").first()
    before = getattr(obj, field)

    response = _post_change(admin_client, obj, field, value)

    errors = response.context["adminform"].form.errors.as_data()
    assert response.status_code == 200
    assert [error.code for error in errors[field]] == ["bidi_control_characters"]
    obj.refresh_from_db()
    assert getattr(obj, field) == before


def test_admin_keeps_a_right_to_left_organization_name(admin_client, seed_event):
    organization = Organization.objects.order_by("pk").first()

    response = _post_change(admin_client, organization, "name_en", "المنظمة الدولية للهجرة")

    organization.refresh_from_db()
    assert response.status_code == 302
    assert organization.name == "المنظمة الدولية للهجرة"
