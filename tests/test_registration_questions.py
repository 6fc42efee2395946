import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registration.models import (
    Answer,
    BreakoutGroup,
    Nomination,
    QuestionKind,
    Registration,
)
from registration.services import answers as answer_services
from registration.services import cancel_registration, erase_registration
from tests.questions_factories import (
    EXE_BYTES,
    CategoryFactory,
    OptionFactory,
    QuestionFactory,
    pdf_upload,
)
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)

Status = Registration.Status
Kind = QuestionKind


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def event(db):
    return RegistrationSettingsFactory(capacity=100).event


def category_url(event, category):
    return reverse("registration:register-category", args=[event.slug, category.pk])


def field(question) -> str:
    return f"question_{question.pk}"


def errors_of(response) -> dict:
    return response.context["form"].errors.as_data()


def codes(response, name) -> list[str]:
    return [error.code for error in errors_of(response)[name]]


def test_register_page_lists_categories_when_the_event_has_them(client, event):
    member = CategoryFactory(
        event=event, name="Member State", description="Officials of Member States"
    )
    ngo = CategoryFactory(event=event, name="NGO", nomination="nomination_letter")

    response = client.get(reverse("registration:register", args=[event.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "form" not in response.context
    assert category_url(event, member) in html
    assert category_url(event, ngo) in html
    assert "Officials of Member States" in html
    assert "Nomination letter" in html


def test_category_form_asks_only_the_category_fields(client, event):
    category = CategoryFactory(event=event, asked_fields=["position", "phone"])

    response = client.get(category_url(event, category))

    fields = response.context["form"].fields
    assert response.status_code == 200
    assert "position" in fields
    assert "phone" in fields
    assert "sector" not in fields
    assert "dietary_needs" not in fields
    assert 'name="sector"' not in response.content.decode()


def test_category_form_asks_its_questions_and_those_for_everyone(client, event):
    category = CategoryFactory(event=event)
    other = CategoryFactory(event=event)
    everyone = QuestionFactory(event=event, label="Arrival date?", kind=Kind.DATE)
    own = QuestionFactory(event=event, label="Your ministry?")
    own.categories.set([category])
    not_asked = QuestionFactory(event=event, label="Your company?")
    not_asked.categories.set([other])

    response = client.get(category_url(event, category))

    fields = response.context["form"].fields
    assert field(everyone) in fields
    assert field(own) in fields
    assert field(not_asked) not in fields


def test_category_of_another_event_is_not_found(client, event):
    category = CategoryFactory()

    response = client.get(category_url(event, category))

    assert response.status_code == 404


def test_delegation_category_does_not_take_individual_registrations(client, event):
    category = CategoryFactory(event=event, registers_delegations=True)

    response = client.get(category_url(event, category))

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert str(category.pk) in response["Location"]


def test_register_in_category_stores_every_kind_of_answer(client, event):
    category = CategoryFactory(event=event, nomination="note_verbale")
    short = QuestionFactory(event=event, kind=Kind.SHORT_TEXT, required=True)
    long = QuestionFactory(event=event, kind=Kind.LONG_TEXT)
    single = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    lunch, dinner = OptionFactory(question=single), OptionFactory(question=single)
    several = QuestionFactory(event=event, kind=Kind.MULTIPLE_CHOICE)
    visit_a, visit_b = OptionFactory(question=several), OptionFactory(question=several)
    yes_no = QuestionFactory(event=event, kind=Kind.YES_NO)
    date = QuestionFactory(event=event, kind=Kind.DATE)
    country = QuestionFactory(event=event, kind=Kind.COUNTRY)
    upload = QuestionFactory(event=event, kind=Kind.FILE)
    data = form_data(
        event,
        **{
            field(short): "Ministry of Labour",
            field(long): "Line one\nLine two",
            field(single): str(dinner.pk),
            field(several): [str(visit_a.pk), str(visit_b.pk)],
            field(yes_no): "no",
            field(date): "2030-03-21",
            field(country): "KE",
            field(upload): pdf_upload("passport.pdf"),
            "nomination": pdf_upload("note-verbale.pdf"),
        },
    )

    response = client.post(category_url(event, category), data)

    assert response.status_code == 302, errors_of(response)
    registration = Registration.objects.get(event=event)
    assert registration.category == category
    stored = {answer.question_id: answer for answer in registration.answers.all()}
    assert stored[short.pk].text == "Ministry of Labour"
    assert stored[long.pk].text == "Line one\nLine two"
    assert list(stored[single.pk].options.all()) == [dinner]
    assert set(stored[several.pk].options.all()) == {visit_a, visit_b}
    assert stored[yes_no.pk].yes is False
    assert stored[date.pk].date == datetime.date(2030, 3, 21)
    assert stored[country.pk].country.code == "KE"
    assert stored[upload.pk].file_name == "passport.pdf"
    with stored[upload.pk].file.open("rb") as stored_file:
        assert stored_file.read(5) == b"%PDF-"
    assert lunch not in stored[single.pk].options.all()
    nomination = Nomination.objects.get(registration=registration)
    assert nomination.kind == "note_verbale"
    assert nomination.original_name == "note-verbale.pdf"
    assert len(nomination.sha256) == 64


def test_register_in_category_without_its_nomination_is_refused(client, event):
    category = CategoryFactory(event=event, nomination="note_verbale")

    response = client.post(category_url(event, category), form_data(event))

    assert codes(response, "nomination") == ["required"]
    assert Registration.objects.count() == 0


def test_register_with_a_renamed_program_as_nomination_is_refused(client, event):
    category = CategoryFactory(event=event, nomination="nomination_letter")
    program = SimpleUploadedFile("letter.pdf", EXE_BYTES, "application/pdf")

    response = client.post(category_url(event, category), form_data(event, nomination=program))

    assert codes(response, "nomination") == ["not_pdf"]
    assert Registration.objects.count() == 0
    assert Nomination.objects.count() == 0


def test_required_question_left_empty_gets_its_own_message(client, event):
    question = QuestionFactory(event=event, required=True)

    response = client.post(reverse("registration:register", args=[event.slug]), form_data(event))

    assert codes(response, field(question)) == ["required"]
    assert Registration.objects.count() == 0


def test_date_answer_out_of_range_is_refused(client, event):
    question = QuestionFactory(event=event, kind=Kind.DATE)

    response = client.post(
        reverse("registration:register", args=[event.slug]),
        form_data(event, **{field(question): "1066-10-14"}),
    )

    assert codes(response, field(question)) == ["date_range"]


def test_long_short_text_answer_is_refused(client, event):
    question = QuestionFactory(event=event, kind=Kind.SHORT_TEXT)

    response = client.post(
        reverse("registration:register", args=[event.slug]),
        form_data(event, **{field(question): "x" * 301}),
    )

    assert codes(response, field(question)) == ["max_length"]


# Seats of options and groups ---------------------------------------------------------------


def hold(option=None, *, group=None, status=Status.CONFIRMED, event):
    now = timezone.now()
    registration = RegistrationFactory(
        event=event,
        status=status,
        breakout_group=group,
        queued_at=now if status in (Status.CONFIRMED, Status.WAITING) else None,
        confirmed_at=now if status == Status.CONFIRMED else None,
        cancelled_at=now if status == Status.CANCELLED else None,
        rejected_at=now if status == Status.REJECTED else None,
    )
    if option is not None:
        answer = Answer.objects.create(registration=registration, question=option.question)
        answer.options.set([option])
    return registration


def test_full_option_is_shown_full_and_disabled(client, event):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    full = OptionFactory(question=question, label="Field visit", seats=1)
    free = OptionFactory(question=question, label="Workshop", seats=5)
    hold(full, event=event)

    response = client.get(reverse("registration:register", args=[event.slug]))

    html = response.content.decode()
    assert f'value="{full.pk}"' in html
    full_input = html.split(f'value="{full.pk}"')[1].split(">")[0]
    free_input = html.split(f'value="{free.pk}"')[1].split(">")[0]
    assert "disabled" in full_input
    assert "disabled" not in free_input
    assert "Field visit (full)" in html


def test_full_option_chosen_all_the_same_is_refused_and_nothing_stored(client, event):
    question = QuestionFactory(event=event, kind=Kind.MULTIPLE_CHOICE)
    full = OptionFactory(question=question, seats=1)
    hold(full, event=event)

    response = client.post(
        reverse("registration:register", args=[event.slug]),
        form_data(event, **{field(question): [str(full.pk)]}),
    )

    assert codes(response, field(question)) == ["full"]
    assert Registration.objects.filter(email="kwame.mensah@example.org").count() == 0


def test_option_filled_under_the_form_is_refused_by_the_service(event):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=1)
    hold(option, event=event)

    with pytest.raises(answer_services.ChoiceFull) as refused:
        answer_services.register_with_answers(
            event,
            details={"email": "late@example.org", "first_name": "Late"},
            answers={question: option},
            language="en",
        )

    assert refused.value.options == {option.pk}
    assert not Registration.objects.filter(email="late@example.org").exists()


def test_full_breakout_group_is_disabled_and_refused(client, event):
    group = BreakoutGroup.objects.create(event=event, name="Labour mobility", seats=1)
    hold(group=group, status=Status.WAITING, event=event)
    url = reverse("registration:register", args=[event.slug])

    page = client.get(url).content.decode()
    response = client.post(url, form_data(event, breakout_group=str(group.pk)))

    assert "disabled" in page.split(f'value="{group.pk}"')[1].split(">")[0]
    assert codes(response, "breakout_group") == ["full"]


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.REJECTED])
def test_inactive_registrations_free_their_option(client, event, status):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=1)
    hold(option, event=event, status=status)

    response = client.post(
        reverse("registration:register", args=[event.slug]),
        form_data(event, **{field(question): str(option.pk)}),
    )

    assert response.status_code == 302


def test_cancelling_frees_the_group_seat(event):
    group = BreakoutGroup.objects.create(event=event, name="Health", seats=1)
    holder = hold(group=group, event=event)
    assert answer_services.full_choices(event).groups == {group.pk}

    cancel_registration(holder)

    assert answer_services.full_choices(event).groups == set()


def test_erased_registration_frees_its_option(event):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=1)
    holder = hold(option, event=event)

    erase_registration(holder)

    assert answer_services.full_choices(event).options == set()


# Self-service -------------------------------------------------------------------------------


def test_participant_page_shows_category_and_answers(client, event):
    category = CategoryFactory(event=event, name="Observer State")
    question = QuestionFactory(event=event, kind=Kind.FILE, label="Your passport")
    registration = RegistrationFactory(event=event, category=category)
    answer_services.save_answers(registration, answers={question: pdf_upload("id-scan.pdf")})

    response = client.get(reverse("registration:manage", args=[event.slug, registration.token]))

    html = response.content.decode()
    assert "Observer State" in html
    assert "Your passport" in html
    assert "id-scan.pdf" in html


def test_change_form_keeps_ones_own_full_option_and_replaces_a_file(client, event):
    choice = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=choice, seats=1)
    document = QuestionFactory(event=event, kind=Kind.FILE)
    registration = hold(option, event=event)
    answer_services.save_answers(registration, answers={document: pdf_upload("old.pdf")})
    url = reverse("registration:edit", args=[event.slug, registration.token])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        form_data(
            event,
            email=None,
            **{field(choice): str(option.pk), field(document): pdf_upload("new.pdf")},
        ),
    )

    assert "disabled" not in page.split(f'value="{option.pk}"')[1].split(">")[0]
    assert response.status_code == 302, errors_of(response)
    answer = registration.answers.get(question=document)
    assert answer.file_name == "new.pdf"
    assert list(registration.answers.get(question=choice).options.all()) == [option]


def test_change_form_refuses_moving_to_a_full_option(client, event):
    choice = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    mine, full = OptionFactory(question=choice), OptionFactory(question=choice, seats=1)
    registration = hold(mine, event=event)
    hold(full, event=event)
    url = reverse("registration:edit", args=[event.slug, registration.token])

    response = client.post(url, form_data(event, email=None, **{field(choice): str(full.pk)}))

    assert codes(response, field(choice)) == ["full"]
    assert list(registration.answers.get(question=choice).options.all()) == [mine]


def test_coming_back_gives_up_a_choice_others_filled_meanwhile(client, event):
    question = QuestionFactory(event=event, kind=Kind.MULTIPLE_CHOICE)
    taken = OptionFactory(question=question, seats=1, label="Port visit")
    free = OptionFactory(question=question, seats=5)
    group = BreakoutGroup.objects.create(event=event, name="Health", seats=1)
    registration = hold(None, group=group, event=event, status=Status.CANCELLED)
    answer = Answer.objects.create(registration=registration, question=question)
    answer.options.set([taken, free])
    hold(taken, group=group, event=event)

    response = client.post(
        reverse("registration:reactivate", args=[event.slug, registration.token]), follow=True
    )

    registration.refresh_from_db()
    assert registration.status in (Status.CONFIRMED, Status.PENDING, Status.AWAITING_APPROVAL)
    assert registration.breakout_group is None
    assert list(registration.answers.get(question=question).options.all()) == [free]
    assert answer_services.full_choices(event).options == {taken.pk}
    assert "Port visit" in response.content.decode()


def test_coming_back_keeps_choices_with_free_seats(client, event):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=1)
    registration = hold(option, event=event, status=Status.CANCELLED)

    client.post(reverse("registration:reactivate", args=[event.slug, registration.token]))

    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert list(registration.answers.get(question=question).options.all()) == [option]


def test_blank_form_page_shows_an_option_full_once_its_last_seat_goes(client, event):
    question = QuestionFactory(event=event, kind=Kind.SINGLE_CHOICE)
    option = OptionFactory(question=question, seats=1)
    url = reverse("registration:register", args=[event.slug])
    before = client.get(url).content.decode()

    hold(option, event=event)
    after = client.get(url).content.decode()

    assert "disabled" not in before.split(f'value="{option.pk}"')[1].split(">")[0]
    assert "disabled" in after.split(f'value="{option.pk}"')[1].split(">")[0]


def test_blank_form_page_shows_a_question_added_after_it_was_rendered(client, event):
    url = reverse("registration:register", args=[event.slug])
    client.get(url)

    question = QuestionFactory(event=event, label="Arrival flight?")
    page = client.get(url).content.decode()

    assert field(question) in page


def test_erasure_removes_answers_nomination_and_their_files(
    event, django_capture_on_commit_callbacks
):
    category = CategoryFactory(event=event, nomination="nomination_letter")
    question = QuestionFactory(event=event, kind=Kind.FILE)
    registration = RegistrationFactory(event=event, category=category)
    answer_services.save_answers(registration, answers={question: pdf_upload("scan.pdf")})
    nomination = answer_services.store_nomination(
        registration, upload=pdf_upload("letter.pdf"), kind="nomination_letter"
    )
    files = [registration.answers.get().file, nomination.file]

    with django_capture_on_commit_callbacks(execute=True):
        erase_registration(registration)

    assert registration.answers.count() == 0
    assert not Nomination.objects.filter(registration=registration).exists()
    assert [f.storage.exists(f.name) for f in files] == [False, False]


def test_fields_a_category_does_not_ask_are_not_stored_even_if_sent(client, event):
    category = CategoryFactory(event=event, asked_fields=["position"])

    response = client.post(
        category_url(event, category),
        form_data(event, phone="+41 22 717 91 11", dietary_needs="Vegetarian"),
    )

    assert response.status_code == 302, errors_of(response)
    registration = Registration.objects.get(event=event)
    assert (registration.phone, registration.dietary_needs, registration.sector) == ("", "", "")
    assert registration.category == category


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_category_form_queries_do_not_grow_with_questions_and_options(client, event):
    category = CategoryFactory(event=event)
    url = category_url(event, category)

    def add_questions(count):
        for _n in range(count):
            question = QuestionFactory(event=event, kind=Kind.MULTIPLE_CHOICE)
            question.categories.set([category])
            for _m in range(4):
                OptionFactory(question=question, seats=3)

    add_questions(2)
    few = count_queries(client, url)
    add_questions(20)
    many = count_queries(client, url)

    assert many == few
