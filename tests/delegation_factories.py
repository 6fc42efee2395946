"""Test data for delegations (stream B of issue 11): a delegation category, PDFs, and the
values the focal point's forms and the services take."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from registration import models
from registration.models import ApprovalRule, NominationKind
from tests.registration_factories import RegistrationSettingsFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
    b"startxref\n9\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name: str = "note-verbale.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class DelegationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ParticipantCategory

    event = factory.LazyFunction(lambda: RegistrationSettingsFactory().event)
    name = factory.Sequence(lambda n: f"Member State delegation {n}")
    approval = ApprovalRule.ALWAYS
    nomination = NominationKind.NOTE_VERBALE
    registers_delegations = True


def delegation_details(**overrides) -> dict:
    values = {
        "organization": "Permanent Mission of Ghana",
        "country": "GH",
        "focal_point_name": "Ama Owusu",
        "focal_point_position": "First Secretary",
        "focal_point_email": "ama.owusu@example.org",
        "focal_point_phone": "",
    }
    values.update(overrides)
    return values


def member(email: str, *, days=(datetime.date(2030, 3, 23),), **overrides) -> dict:
    values = {
        "honorific": "Mr.",
        "first_name": "Kofi",
        "last_name": "Mensah",
        "position": "Counsellor",
        "email": email,
        "days": list(days),
        "consent_privacy": True,
    }
    values.update(overrides)
    return values


def delegation_form_data(event, *, members=3, **overrides) -> dict:
    """A valid POST of the delegation form, with `members` rows filled (the rest empty)."""
    data = {
        "organization": "Permanent Mission of Ghana",
        "country": "GH",
        "focal_point_name": "Ama Owusu",
        "focal_point_position": "First Secretary",
        "focal_point_email": "ama.owusu@example.org",
        "focal_point_phone": "+41 22 919 04 20",
        "days": [day.isoformat() for day in event.days],
        "consent_privacy": "on",
        "website": "",
        "members-TOTAL_FORMS": "10",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "10",
    }
    for row in range(members):
        data.update(
            {
                f"members-{row}-honorific": "Mr.",
                f"members-{row}-first_name": f"Kofi{'abcdefghij'[row]}",
                f"members-{row}-last_name": "Mensah",
                f"members-{row}-position": "Counsellor",
                f"members-{row}-email": f"member{row}@example.org",
            }
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
