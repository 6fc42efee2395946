"""Tampered values in the organizers' admin give form errors or a 400, never a server error."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from agenda.models import Person
from documents.models import RenderedDocument
from documents.services import render_session_paper
from registration.models import Mailing, Question, Registration
from speakers.models import SpeakerLink
from speakers.services import issue_speaker_link
from tests.questions_factories import OptionFactory
from tests.registration_factories import RegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Each value goes into every field of a form at once: a non-numeric id, a number past any
# column's range, a negative one, a NUL character, an unknown choice, a very long string.
HOSTILE = ["abc", "9" * 30, "-1", "1\x00", "not-a-choice", "x" * 10_000]
# Each goes alone into one choice of a related row of an otherwise valid form.
HOSTILE_IDS = ["abc", "9" * 30, "1\x00", "987654321"]
# Rows the seed event has none of, made the way the site makes them.
ROW_MAKERS = {
    Registration: lambda event: RegistrationFactory(event=event),
    Mailing: lambda event: Mailing.objects.create(event=event, subject_en="S", text_en="T"),
    Question: lambda event: OptionFactory(question__event=event).question,
    SpeakerLink: lambda event: issue_speaker_link(Person.objects.first(), event=event),
    RenderedDocument: lambda event: render_session_paper(event.sessions.first()),
}


class FormFields(HTMLParser):
    """The values a browser would send for the admin's main form, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.selects: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.selects.append(name)
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def admin_url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


@pytest.fixture
def organizer_client(organizer):
    client = Client(raise_request_exception=False)
    client.force_login(organizer)
    return client


PROJECT_APPS = {"agenda", "documents", "speakers", "registration", "proceedings", "outbox"}


def _chooses_related_rows(model, model_admin, request) -> bool:
    readonly = set(model_admin.get_readonly_fields(request))
    return any(
        field.is_relation and field.editable and field.name not in readonly
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
    )


def registered_models(*, addable: bool = False, choosing: bool = False):
    """The project's models in the admin; with `addable`, those an organizer can add there; with
    `choosing`, those whose form chooses a related row."""
    superuser = User(is_active=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return [
        pytest.param(model, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        and (not addable or model_admin.has_add_permission(request))
        and (not choosing or _chooses_related_rows(model, model_admin, request))
    ]


@pytest.mark.parametrize("model", registered_models(addable=True))
def test_admin_add_form_with_hostile_values_gives_errors_not_500(organizer_client, model):
    url = admin_url(model, "add")
    page = organizer_client.get(url)
    fields = list(page.context["adminform"].form.fields)
    inline_fields = {}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        inline_fields[f"{prefix}-TOTAL_FORMS"] = "1"
        inline_fields[f"{prefix}-INITIAL_FORMS"] = "0"
        inline_fields.update(
            {f"{prefix}-0-{name}": None for name in inline.formset.empty_form.fields}
        )

    statuses = {}
    for value in HOSTILE:
        data = {name: value for name in fields}
        data.update({name: value if v is None else v for name, v in inline_fields.items()})
        statuses[value[:12]] = organizer_client.post(url, data).status_code

    assert page.status_code == 200
    assert set(statuses.values()) <= {200, 302}, statuses


@pytest.mark.parametrize("model", registered_models(choosing=True))
def test_admin_change_form_with_hostile_ids_gives_field_errors_not_500(
    organizer_client, seed_event, model
):
    if model in ROW_MAKERS:
        ROW_MAKERS[model](seed_event)
    instance = model._default_manager.order_by("pk").first()
    assert instance is not None, f"no {model._meta.label} to change: add it to ROW_MAKERS"
    url = admin_url(model, "change", instance.pk)
    page = organizer_client.get(url)
    form = FormFields()
    form.feed(page.content.decode())
    selects = [name for name in form.selects if "-" not in name]
    assert selects, f"the {model._meta.label} form shows no choice of a related row"

    answers = {}
    for name in selects:
        for value in HOSTILE_IDS:
            data = {**form.values, name: value}
            response = organizer_client.post(url, data)
            errors = (
                response.context["adminform"].form.errors if response.status_code == 200 else {}
            )
            answers[name, value[:12]] = (response.status_code, name in errors)

    assert page.status_code == 200
    assert set(answers.values()) == {(200, True)}, answers


def autocomplete_fields():
    return [
        pytest.param(owner, name, id=f"{owner._meta.label}.{name}")
        for owner, name in [
            (admin_class.model, name)
            for admin_class in [
                *admin.site._registry.values(),
                *(
                    inline(model, admin.site)
                    for model, model_admin in admin.site._registry.items()
                    for inline in model_admin.inlines
                ),
            ]
            for name in admin_class.autocomplete_fields
        ]
    ]


@pytest.mark.parametrize(("model", "field"), autocomplete_fields())
def test_admin_autocomplete_with_hostile_parameters_answers_no_500(organizer_client, model, field):
    meta = model._meta
    params = {"app_label": meta.app_label, "model_name": meta.model_name, "field_name": field}
    hostile = [
        {**params, "term": "\x00"},
        {**params, "term": "x" * 10_000},
        {**params, "page": "abc"},
        {**params, "page": "9" * 30},
        {**params, "field_name": "no_such_field"},
        {**params, "model_name": "no_such_model"},
        {**params, "app_label": "no_such_app\x00"},
        {},
    ]

    found = organizer_client.get(reverse("admin:autocomplete"), {**params, "term": "a"})
    statuses = [organizer_client.get(reverse("admin:autocomplete"), q).status_code for q in hostile]

    assert found.status_code == 200
    assert statuses == [400, 200, 404, 404, 403, 403, 400, 403]


def test_admin_changelist_search_with_a_nul_character_answers_400(organizer_client):
    url = reverse("admin:agenda_person_changelist")

    search = organizer_client.get(url, {"q": "Owusu\x00"})
    filtered = organizer_client.get(url, {"country__exact": "\x00"})

    assert (search.status_code, filtered.status_code) == (400, 400)


@pytest.mark.parametrize("event_id", ["²", "٣", "abc", "9" * 30])
def test_admin_changelist_filtered_on_a_hostile_event_id_answers_no_500(
    organizer_client, seed_event, event_id
):
    url = reverse("admin:registration_registration_changelist")

    response = organizer_client.get(url, {"event__id__exact": event_id})

    assert response.status_code in {200, 302}


@pytest.mark.parametrize("object_id", ["abc", "²", "9" * 30])
@pytest.mark.parametrize(
    "route", ["agenda_presentation_slides", "proceedings_publication_proceedings"]
)
def test_admin_document_download_with_a_hostile_object_id_answers_404(
    organizer_client, route, object_id
):
    args = [object_id, 1] if route == "agenda_presentation_slides" else [object_id]
    url = reverse(f"admin:{route}", args=args)

    response = organizer_client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "²", "9" * 30])
def test_admin_proceedings_render_with_a_hostile_object_id_answers_404(organizer_client, object_id):
    url = reverse("admin:proceedings_publication_render", args=[object_id])

    response = organizer_client.post(url)

    assert response.status_code == 404
