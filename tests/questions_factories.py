"""Factories and files for the tests of categories, questions and seats of choices (stream A)."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from registration import models
from tests.factories import EventFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"xref\n0 3\ntrailer << /Root 1 0 R /Size 3 >>\nstartxref\n110\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf_upload(name: str = "nomination.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ParticipantCategory

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Question

    event = factory.SubFactory(EventFactory)
    kind = models.QuestionKind.SHORT_TEXT
    label = factory.Sequence(lambda n: f"Question {n}?")
    order = factory.Sequence(lambda n: n)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.QuestionOption

    question = factory.SubFactory(QuestionFactory, kind=models.QuestionKind.SINGLE_CHOICE)
    label = factory.Sequence(lambda n: f"Option {n}")
    order = factory.Sequence(lambda n: n)
