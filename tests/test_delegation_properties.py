"""Whatever is typed into the delegation form and the focal point's forms, the answer is field
errors or success, never a server error, and nothing invalid reaches the database; uploads are
judged by their content, not their name."""

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from registration.models import Delegation, Nomination, Registration
from registration.services import delegations
from tests.delegation_factories import (
    PDF_BYTES,
    PNG_BYTES,
    DelegationCategoryFactory,
    delegation_details,
    delegation_form_data,
    member,
    pdf_upload,
)
from tests.test_registration_properties import assert_valid_registration, nasty_text

FORM_FIELDS = [
    "organization",
    "country",
    "focal_point_name",
    "focal_point_position",
    "focal_point_email",
    "focal_point_phone",
    "days",
    "consent_privacy",
    "website",
    "members-TOTAL_FORMS",
    "members-INITIAL_FORMS",
    "members-MAX_NUM_FORMS",
    *[
        f"members-{row}-{name}"
        for row in range(4)
        for name in ("honorific", "first_name", "last_name", "position", "email")
    ],
    "nomination",
]
MEMBER_FIELDS = ["honorific", "first_name", "last_name", "position", "email"]

replacement = st.one_of(st.none(), nasty_text, st.lists(nasty_text, min_size=2, max_size=3))
posts = st.dictionaries(st.sampled_from(FORM_FIELDS), replacement, min_size=1, max_size=5)
member_posts = st.dictionaries(st.sampled_from(MEMBER_FIELDS), replacement, min_size=1, max_size=5)
# What a file input may carry: a PDF, or anything else under a PDF's name.
uploads = st.sampled_from(
    [
        ("note.pdf", PDF_BYTES),
        ("note.pdf", PNG_BYTES),
        ("note.pdf", b""),
        ("note.pdf", b"%PDF-1.7\n truncated"),
        ("note.pdf", b"GIF89a" + PDF_BYTES),
        ("..\\..\\etc\\passwd\u202e.pdf", PDF_BYTES),
    ]
)
HYPOTHESIS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_valid_delegation(delegation: Delegation) -> None:
    delegation.full_clean()
    assert delegation.members.filter(is_head_of_delegation=True).count() == 1
    for registration in delegation.members.all():
        if registration.status == Registration.Status.PENDING:
            assert_valid_registration(registration, delegation.event)
        else:
            registration.full_clean()
    nomination = Nomination.objects.get(delegation=delegation)
    with nomination.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert all(ch.isprintable() for ch in nomination.original_name)


def apply(data: dict, post: dict) -> dict:
    for name, value in post.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@override_settings(REGISTRATION_RATE_LIMIT=1_000_000)
class DelegationFormProperties(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.private_media = tempfile.mkdtemp(prefix="delegation-properties-")
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=cls.private_media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.private_media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        cls.category = DelegationCategoryFactory()
        cls.event = cls.category.event
        cls.url = reverse(
            "registration:delegation-register",
            kwargs={"event": cls.event.slug, "category": cls.category.pk},
        )

    @HYPOTHESIS
    @given(post=posts, upload=uploads)
    def test_any_input_gives_field_errors_or_success(self, post, upload):
        data = delegation_form_data(self.event)
        data["nomination"] = SimpleUploadedFile(upload[0], upload[1])
        data = apply(data, post)

        response = self.client.post(self.url, data)
        event(f"status {response.status_code}")

        assert response.status_code in (200, 302), response.status_code
        stored = list(Delegation.objects.filter(event=self.event))
        if response.status_code == 302:
            assert len(stored) == 1
            assert_valid_delegation(stored[0])
        else:
            assert (
                response.context["form"].errors or response.context["members"].total_error_count()
            )
            assert stored == []
            assert not Registration.objects.filter(event=self.event).exists()

    @HYPOTHESIS
    @given(post=member_posts, action=st.sampled_from(["add", "replace"]))
    def test_focal_point_forms_give_field_errors_or_success(self, post, action):
        delegation = delegations.register_delegation(
            self.event,
            category=self.category,
            details=delegation_details(),
            members=[member(f"m{n}@example.org", days=self.event.days) for n in range(2)],
            nomination_upload=pdf_upload(),
            language="en",
        )
        kwargs = {"event": self.event.slug, "token": delegation.token}
        if action == "replace":
            kwargs["member"] = delegation.members.get(is_head_of_delegation=False).pk
        url = reverse(f"registration:delegation-{action}", kwargs=kwargs)
        base = {"first_name": "Efua", "last_name": "Darko", "email": "efua@example.org"}
        data = {f"{action}-{name}": value for name, value in apply(base, post).items()}

        response = self.client.post(url, data)
        event(f"{action} status {response.status_code}")

        assert response.status_code in (200, 302, 400), response.status_code
        members = delegation.members.all()
        if response.status_code == 302:
            assert members.count() == 3
        else:
            assert members.count() == 2
        assert_valid_delegation(delegation)

    @HYPOTHESIS
    @given(upload=uploads)
    def test_nomination_is_judged_by_content(self, upload):
        delegation = delegations.register_delegation(
            self.event,
            category=self.category,
            details=delegation_details(),
            members=[member("head@example.org", days=self.event.days)],
            nomination_upload=pdf_upload(),
            language="en",
        )
        url = reverse(
            "registration:delegation-nomination",
            kwargs={"event": self.event.slug, "token": delegation.token},
        )

        response = self.client.post(url, {"nomination": SimpleUploadedFile(*upload)})

        accepted = upload[1] == PDF_BYTES
        assert response.status_code == (302 if accepted else 400)
        assert_valid_delegation(delegation)
