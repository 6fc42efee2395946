import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from registration.models import Question, QuestionKind, Registration
from registration.services import answers as answer_services
from tests.questions_factories import CategoryFactory, OptionFactory, QuestionFactory, pdf_upload
from tests.registration_factories import RegistrationFactory, RegistrationSettingsFactory

Kind = QuestionKind


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory().event


@pytest.fixture
def answered(event):
    category = CategoryFactory(event=event, name="Observer State")
    choice = QuestionFactory(event=event, kind=Kind.MULTIPLE_CHOICE, label="=Visits")
    visit_a = OptionFactory(question=choice, label="Port")
    visit_b = OptionFactory(question=choice, label="Centre")
    yes_no = QuestionFactory(event=event, kind=Kind.YES_NO, label="Interpreter?")
    date = QuestionFactory(event=event, kind=Kind.DATE, label="Arrival")
    document = QuestionFactory(event=event, kind=Kind.FILE, label="Passport")
    registration = RegistrationFactory(event=event, category=category)
    answer_services.save_answers(
        registration,
        answers={
            choice: [visit_a, visit_b],
            yes_no: True,
            date: datetime.date(2030, 3, 21),
            document: pdf_upload("passport-scan.pdf"),
        },
    )
    return registration


def export_csv(client, registration) -> list[list[str]]:
    response = client.post(
        reverse("admin:registration_registration_changelist"),
        {"action": "export_csv", "_selected_action": [registration.pk]},
    )
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_has_the_category_and_a_column_per_question(admin_client, answered):
    header, row = export_csv(admin_client, answered)

    values = dict(zip(header, row, strict=True))
    assert values["category"] == "Observer State"
    assert values["'=Visits"] == "Port; Centre"
    assert values["Interpreter?"] == "yes"
    assert values["Arrival"] == "2030-03-21"
    assert values["Passport"] == "passport-scan.pdf"


def test_registration_admin_page_shows_answers_with_file_link(admin_client, answered):
    response = admin_client.get(
        reverse("admin:registration_registration_change", args=[answered.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Port; Centre" in html
    file_answer = answered.answers.get(question__kind=Kind.FILE)
    assert reverse("admin:registration_answer_file", args=[file_answer.pk]) in html


def test_answer_file_downloads_for_those_who_see_answers_not_the_desk(
    client, django_user_model, answered
):
    file_answer = answered.answers.get(question__kind=Kind.FILE)
    url = reverse("admin:registration_answer_file", args=[file_answer.pk])
    staff = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    staff.groups.add(Group.objects.get(name="Registration desk"))
    client.force_login(staff)

    refused = client.get(url)
    staff.user_permissions.add(Permission.objects.get(codename="view_answer"))
    allowed = client.get(url)

    assert refused.status_code == 403
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content).startswith(b"%PDF-")
    assert "passport-scan.pdf" in allowed["Content-Disposition"]


def test_question_admin_adds_a_question_with_options(admin_client, event):
    category = CategoryFactory(event=event)
    data = {
        "event": event.pk,
        "categories": [category.pk],
        "kind": Kind.SINGLE_CHOICE,
        "label_en": "Which visit?",
        "required": "on",
        "order": 1,
        "options-TOTAL_FORMS": 1,
        "options-INITIAL_FORMS": 0,
        "options-0-label_en": "Port",
        "options-0-seats": 20,
        "options-0-order": 0,
    }

    response = admin_client.post(reverse("admin:registration_question_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    question = Question.objects.get(event=event)
    assert list(question.categories.all()) == [category]
    assert [(o.label, o.seats) for o in question.options.all()] == [("Port", 20)]


def test_question_admin_refuses_a_category_of_another_event(admin_client, event):
    foreign = CategoryFactory()
    data = {
        "event": event.pk,
        "categories": [foreign.pk],
        "kind": Kind.SHORT_TEXT,
        "label_en": "Ministry?",
        "order": 1,
        "options-TOTAL_FORMS": 0,
        "options-INITIAL_FORMS": 0,
    }

    response = admin_client.post(reverse("admin:registration_question_add"), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [e.code for e in form.errors.as_data()["categories"]] == ["category_of_another_event"]
    assert Registration.objects.count() == 0
    assert Question.objects.count() == 0


def test_question_list_filters_by_event_and_kind(admin_client, event):
    QuestionFactory(event=event, kind=Kind.DATE, label="Arrival")
    QuestionFactory(kind=Kind.DATE, label="Elsewhere")

    response = admin_client.get(
        reverse("admin:registration_question_changelist"),
        {"event__id__exact": event.pk, "kind": Kind.DATE},
    )

    assert [q.label for q in response.context["cl"].result_list] == ["Arrival"]
