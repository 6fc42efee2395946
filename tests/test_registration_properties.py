"""Whatever is typed into the registration form, the answer is field errors or success, never a
server error, and nothing invalid reaches the database."""

import datetime
import unicodedata

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from registration.forms import validate_has_letter, validate_plain_text
from registration.models import BreakoutGroup, Registration
from tests.factories import EventFactory
from tests.registration_factories import (
    RegistrationFactory,
    RegistrationSettingsFactory,
    form_data,
)

SAMPLES = [
    "مشارك من وزارة الصحة",  # Arabic
    "世界卫生组织 李明",  # Chinese
    "👩🏽‍⚕️🧑‍🤝‍🧑🇨🇭",  # emoji with joiners, skin tone, flag
    "e\u0301\u0302\u0303\u0304a\u0308",  # combining marks
    "\u202eevil\u202c",  # bidi override
    "Zoë Ñúñez-O'Brien",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE registration_registration; --",
    '" OR 1=1 --',
    "%s %(name)s {0} {{ x }} {% debug %}",
    "\x00",
    "line\nbreak",
    "tab\there",
    "   ",
    "",
    "+41 22 717 91 11",
    "0041227179111",
    "a@example.org",
    "ünïcödé@exämple.org",
    "2030-03-23",
    "gov_health",
    "CH",
    "Dr.",
    "on",
    "99999999999999999999999",
    "-1",
]

nasty_text = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.builds(
        lambda char, n: char * n,
        st.sampled_from(["ا", "字", "😀", "x", "e\u0301"]),
        st.integers(90, 1200),
    ),
)

FIELDS = [
    "honorific",
    "first_name",
    "last_name",
    "position",
    "organization",
    "sector",
    "country",
    "email",
    "phone",
    "days",
    "breakout_group",
    "dietary_needs",
    "accessibility_needs",
    "consent_privacy",
    "consent_public_list",
    "consent_proceedings_list",
    "website",
]

# A valid form with one to four fields dropped or replaced by one or more nasty values.
replacement = st.one_of(st.none(), nasty_text, st.lists(nasty_text, min_size=2, max_size=3))
posts = st.dictionaries(st.sampled_from(FIELDS), replacement, min_size=1, max_size=4)


def assert_valid_registration(registration: Registration, event) -> None:
    registration.full_clean()
    for name in ("first_name", "last_name", "organization"):
        value = getattr(registration, name)
        validate_plain_text(value)
        validate_has_letter(value)
        assert value == value.strip()
    assert all(unicodedata.category(ch) != "Cc" for ch in registration.position)
    assert set(registration.days) <= set(event.days)
    assert registration.consent_privacy is True
    assert registration.status == Registration.Status.PENDING
    assert registration.phone == "" or registration.phone.startswith("+")


@override_settings(REGISTRATION_RATE_LIMIT=1_000_000)
class RegistrationFormProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = EventFactory()
        RegistrationSettingsFactory(
            event=cls.event,
            opens_at=timezone.now() - datetime.timedelta(days=1),
            closes_at=timezone.now() + datetime.timedelta(days=30),
        )
        cls.group = BreakoutGroup.objects.create(event=cls.event, name="Partnerships")
        cls.url = reverse("registration:register", args=[cls.event.slug])

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post=posts)
    def test_any_input_gives_field_errors_or_success(self, post):
        data = form_data(self.event, breakout_group=str(self.group.pk))
        for name, value in post.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value

        response = self.client.post(self.url, data)
        event(f"status {response.status_code}")

        assert response.status_code in (200, 302), response.status_code
        stored = list(Registration.objects.filter(event=self.event))
        if response.status_code == 302:
            assert response["Location"] == reverse(
                "registration:register-done", args=[self.event.slug]
            )
            honeypot = data.get("website", "")
            honeypot = honeypot[-1] if isinstance(honeypot, list) else honeypot
            assert not honeypot.strip()
            assert len(stored) == 1
            assert_valid_registration(stored[0], self.event)
        else:
            assert response.context["form"].errors
            assert stored == []

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(post=posts)
    def test_any_change_gives_field_errors_or_success(self, post):
        registration = RegistrationFactory(event=self.event)
        url = reverse("registration:edit", args=[self.event.slug, registration.token])
        data = form_data(self.event, breakout_group=str(self.group.pk))
        for name, value in post.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value

        response = self.client.post(url, data)
        event(f"status {response.status_code}")

        assert response.status_code in (200, 302), response.status_code
        registration.refresh_from_db()
        assert_valid_registration(registration, self.event)
        assert registration.email.startswith("participant")
