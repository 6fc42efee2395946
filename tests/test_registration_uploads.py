import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registration.uploads import check_pdf
from tests.questions_factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, pdf_upload


def refusal(upload) -> str:
    with pytest.raises(ValidationError) as error:
        check_pdf(upload)
    return error.value.code


def test_check_pdf_accepts_a_complete_pdf():
    upload = pdf_upload()

    check_pdf(upload)

    assert upload.read(5) == b"%PDF-"


@pytest.mark.parametrize("content", [EXE_BYTES, PNG_BYTES, b"", b"hello %PDF-1.4 %%EOF"])
def test_check_pdf_refuses_other_files_named_pdf(content):
    assert refusal(SimpleUploadedFile("x.pdf", content, "application/pdf")) == "not_pdf"


def test_check_pdf_refuses_a_truncated_pdf():
    assert refusal(pdf_upload(content=PDF_BYTES[:-20])) == "incomplete"


def test_check_pdf_refuses_a_file_over_the_limit(settings):
    settings.REGISTRATION_UPLOAD_MAX_BYTES = len(PDF_BYTES) - 1

    assert refusal(pdf_upload()) == "too_large"


def test_check_pdf_accepts_a_pdf_of_any_name():
    check_pdf(pdf_upload(name="scan.PNG"))
