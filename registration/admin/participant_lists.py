"""The internal list of participants, from an event's Registration settings page: a small form
where an organizer chooses the columns and the statuses (confirmed by default), and gets the list
by category and country as PDF or Excel (registration.services.participant_lists), in the admin's
language, as an attachment never cached.

Only those who may export registrations (`registration.export_registration`: registration
managers, administrators) get it; the registration desk and programme editors are answered 403.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.pdf import pdf_filename
from documents.services import document_language
from registration.models import Registration
from registration.services import participant_lists

EXPORT_PERMISSION = "registration.export_registration"
URL_NAME = "registration_registrationsettings_participant_list"


class InternalListForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns after name, position and organization"),
        choices=list(participant_lists.INTERNAL_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    statuses = forms.MultipleChoiceField(
        label=_("Registrations"),
        choices=Registration.Status.choices,
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    output = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("xlsx", "Excel")],
        initial="pdf",
        widget=forms.RadioSelect,
    )


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


class ParticipantListAdminMixin:
    """For the Registration settings admin: the event's internal list of participants."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/participant-list/",
                self.admin_site.admin_view(self.participant_list_view),
                name=URL_NAME,
            ),
            *super().get_urls(),
        ]

    def may_list_participants(self, request, reg_settings=None) -> bool:
        return self.has_view_permission(request, reg_settings) and request.user.has_perm(
            EXPORT_PERMISSION
        )

    def participant_list_link(self, reg_settings):
        url = reverse(f"{self.admin_site.name}:{URL_NAME}", args=[reg_settings.pk])
        return format_html('<a href="{}">{}</a>', url, _("Make a list of participants…"))

    def participant_list_view(self, request, object_id):
        reg_settings = self.get_object(request, unquote(object_id))
        if reg_settings is None:
            raise Http404
        if not self.may_list_participants(request, reg_settings):
            raise PermissionDenied
        event = reg_settings.event
        form = InternalListForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            choice = {
                "event": event,
                "fields": form.cleaned_data["columns"],
                "statuses": form.cleaned_data["statuses"],
                "language": document_language(),
            }
            if form.cleaned_data["output"] == "xlsx":
                return _attachment(
                    participant_lists.internal_list_workbook(**choice),
                    content_type=(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    ),
                    filename=pdf_filename(event.slug, "participants").replace(".pdf", ".xlsx"),
                )
            return _attachment(
                participant_lists.internal_list_pdf(**choice),
                content_type="application/pdf",
                filename=pdf_filename(event.slug, "participants"),
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("List of participants of “%(event)s”") % {"event": event},
            "subtitle": None,
            "opts": self.model._meta,
            "original": reg_settings,
            "form": form,
        }
        response = TemplateResponse(
            request, "admin/registration/registrationsettings/participant_list.html", context
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
