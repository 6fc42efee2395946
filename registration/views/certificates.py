"""The participant's certificate of attendance, reached only through their signed link."""

from django.http import Http404
from django.utils.translation import gettext as _

from documents import pdf
from documents.views import language_suffix, pdf_response
from registration.services import certificates
from registration.views.participants import from_link


@from_link
def certificate(request, registration, token):
    """The certificate as a PDF in the participant's language, once they are checked in and
    the event has begun; 404 otherwise. Private: never kept by a shared cache."""
    if not certificates.is_available(registration):
        raise Http404(_("No certificate of attendance is available for this registration."))
    spec = certificates.certificate_spec(registration)
    return pdf_response(
        request,
        spec,
        filename=pdf.pdf_filename(
            registration.event.slug, "certificate", language_suffix(spec.language)
        ),
        public=False,
    )
