"""Whatever is sent for a category's form (answers of every kind, option ids, the category id,
files), the answer is field errors or success, never a server error, and nothing invalid is
stored: every answer fits its question, no full option gains a holder, every file is a PDF."""

import datetime
import tempfile
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from registration.forms.questions import DATE_MAX, DATE_MIN, LONG_TEXT_MAX, SHORT_TEXT_MAX
from registration.models import (
    Answer,
    BreakoutGroup,
    Nomination,
    QuestionKind,
    Registration,
)
from tests.factories import EventFactory
from tests.questions_factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    CategoryFactory,
    OptionFactory,
    QuestionFactory,
)
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)
from tests.test_registration_properties import nasty_text

Kind = QuestionKind
Status = Registration.Status

file_contents = st.one_of(
    st.sampled_from([PDF_BYTES, PDF_BYTES[:-20], EXE_BYTES, PNG_BYTES, b"", b"%PDF-", b"%%EOF"]),
    st.binary(max_size=200),
    st.binary(max_size=100).map(lambda body: b"%PDF-1.7\n" + body),
)
file_names = st.one_of(
    st.sampled_from(["a.pdf", "x.exe.pdf", "../../etc/passwd.pdf", "", "ñ.PDF", "a" * 300]),
    st.text(max_size=40),
)


@st.composite
def uploads(draw):
    return ("file", draw(file_names), draw(file_contents))


def as_posted(value):
    if isinstance(value, tuple) and value and value[0] == "file":
        _kind, name, content = value
        return SimpleUploadedFile(name or "f", content, "application/pdf")
    if isinstance(value, list):
        return [as_posted(item) for item in value]
    return value


id_like = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["99999999999999999999999", "-1", "1.5", "1e3", "0x10", " 1", ""]),
)
value = st.one_of(st.none(), nasty_text, id_like, uploads())
replacement = st.one_of(value, st.lists(value, min_size=2, max_size=3))


def assert_answer_fits(answer: Answer, *, full_option_pk: int) -> None:
    question = answer.question
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        allowed = {"\n", "\r", "\t"} if kind == Kind.LONG_TEXT else set()
        assert 0 < len(answer.text) <= limit
        assert all(unicodedata.category(ch) != "Cc" or ch in allowed for ch in answer.text)
    options = list(answer.options.all())
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        assert options
        assert all(option.question_id == question.pk for option in options)
        assert full_option_pk not in [option.pk for option in options]
        if kind == Kind.SINGLE_CHOICE:
            assert len(options) == 1
    else:
        assert options == []
    if kind == Kind.DATE:
        assert DATE_MIN <= answer.date <= DATE_MAX
    if kind == Kind.FILE:
        with answer.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"


@override_settings(
    REGISTRATION_RATE_LIMIT=1_000_000, PRIVATE_MEDIA_ROOT=tempfile.mkdtemp(prefix="answers-")
)
class CategoryFormProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = EventFactory()
        RegistrationSettingsFactory(
            event=cls.event,
            capacity=100,
            opens_at=timezone.now() - datetime.timedelta(days=1),
            closes_at=timezone.now() + datetime.timedelta(days=30),
        )
        cls.category = CategoryFactory(event=cls.event, nomination="note_verbale")
        cls.group = BreakoutGroup.objects.create(event=cls.event, name="Health", seats=1)
        cls.full_group = BreakoutGroup.objects.create(event=cls.event, name="Full", seats=0)
        cls.questions = {
            kind: QuestionFactory(event=cls.event, kind=kind, required=kind != Kind.FILE)
            for kind in Kind.values
        }
        single = cls.questions[Kind.SINGLE_CHOICE]
        several = cls.questions[Kind.MULTIPLE_CHOICE]
        cls.free_option = OptionFactory(question=single, seats=50)
        cls.full_option = OptionFactory(question=single, seats=0)
        cls.many_a = OptionFactory(question=several)
        cls.many_b = OptionFactory(question=several, seats=0)
        cls.other_event_option = OptionFactory()
        cls.url = reverse("registration:register-category", args=[cls.event.slug, cls.category.pk])
        cls.fields = [f"question_{question.pk}" for question in cls.questions.values()] + [
            "nomination",
            "breakout_group",
        ]

    def valid_post(self) -> dict:
        q = {kind: f"question_{question.pk}" for kind, question in self.questions.items()}
        return form_data(
            self.event,
            **{
                q[Kind.SHORT_TEXT]: "Ministry of Labour",
                q[Kind.LONG_TEXT]: "Two\nlines",
                q[Kind.SINGLE_CHOICE]: str(self.free_option.pk),
                q[Kind.MULTIPLE_CHOICE]: [str(self.many_a.pk)],
                q[Kind.YES_NO]: "yes",
                q[Kind.DATE]: "2030-03-22",
                q[Kind.COUNTRY]: "PE",
                q[Kind.FILE]: SimpleUploadedFile("scan.pdf", PDF_BYTES, "application/pdf"),
                "nomination": SimpleUploadedFile("nv.pdf", PDF_BYTES, "application/pdf"),
                "breakout_group": str(self.group.pk),
            },
        )

    def hostile(self, post: dict, data: dict) -> dict:
        for name, value in post.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = as_posted(value)
        return data

    def assert_stored_is_valid(self) -> None:
        for answer in Answer.objects.select_related("question"):
            assert_answer_fits(answer, full_option_pk=self.full_option.pk)
        assert not Answer.objects.filter(options=self.many_b).exists()
        assert not Registration.objects.filter(breakout_group=self.full_group).exists()
        for nomination in Nomination.objects.all():
            with nomination.file.open("rb") as stored:
                assert stored.read(5) == b"%PDF-"

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post=st.dictionaries(st.sampled_from(range(12)), replacement, min_size=1, max_size=4))
    def test_any_answers_give_field_errors_or_success(self, post):
        post = {self.fields[index % len(self.fields)]: value for index, value in post.items()}
        data = self.hostile(post, self.valid_post())

        response = self.client.post(self.url, data)
        event(f"status {response.status_code}")

        assert response.status_code in (200, 302), response.status_code
        stored = list(Registration.objects.filter(event=self.event))
        if response.status_code == 302:
            assert len(stored) == 1
            assert stored[0].category == self.category
            assert Nomination.objects.filter(registration=stored[0]).count() == 1
            required = [q for q in self.questions.values() if q.required]
            assert stored[0].answers.filter(question__in=required).count() == len(required)
        else:
            assert response.context["form"].errors
            assert stored == []
            assert Answer.objects.count() == 0
            assert Nomination.objects.count() == 0
        self.assert_stored_is_valid()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(category=st.one_of(st.integers(0, 10**30), st.just(None)))
    def test_any_category_id_is_a_form_or_not_found(self, category):
        pk = self.category.pk if category is None else category
        url = reverse("registration:register-category", args=[self.event.slug, pk])

        response = self.client.post(url, self.valid_post())

        assert response.status_code in (302, 404)
        assert (response.status_code == 302) == (pk == self.category.pk)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post=st.dictionaries(st.sampled_from(range(12)), replacement, min_size=1, max_size=4))
    def test_any_change_of_answers_gives_field_errors_or_success(self, post):
        registration = RegistrationFactory(event=self.event, category=self.category)
        url = reverse("registration:edit", args=[self.event.slug, registration.token])
        post = {self.fields[index % len(self.fields)]: value for index, value in post.items()}
        data = self.hostile(post, self.valid_post())
        data.pop("email")

        response = self.client.post(url, data)
        event(f"status {response.status_code}")

        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert response.context["form"].errors
            assert registration.answers.count() == 0
        self.assert_stored_is_valid()
