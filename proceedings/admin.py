"""The proceedings' book on the Publication admin.

`ProceedingsAdminMixin`: a preview of the book, its render state and an action that renders it
in the background. With the Publication admin, its parts and acronyms, whose texts are entered
in every language (agenda.admin_languages) and counted in the event's missing translations.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agenda import translation_report
from agenda.admin_languages import TranslatedAdmin, tabular_inline
from agenda.admin_time import EventTimeZoneAdminMixin
from documents import background, pdf
from documents.models import RenderedDocument
from documents.views import pdf_response
from proceedings import services
from proceedings.models import Acronym, Publication, PublicationPart


def _moment(value) -> str:
    """A moment as "23 March 2006, 14:05 CET", in the zone EventTimeZoneAdminMixin chose."""
    return date_format(timezone.localtime(value), "j F Y, H:i T")


def _admin_object_or_404(model_admin, request, object_id):
    """The admin's object named in the URL; any id that names none (say "abc") is a 404."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    return obj


class ProceedingsAdminMixin:
    """For the Publication admin: preview URL, render state and a background render action."""

    proceedings_actions = ["render_proceedings"]
    proceedings_readonly_fields = ["proceedings_pdf"]

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/proceedings.pdf",
                self.admin_site.admin_view(self.proceedings_preview),
                name="{}_{}_proceedings".format(*info),
            ),
            path(
                "<path:object_id>/render-proceedings/",
                self.admin_site.admin_view(self.proceedings_render_view),
                name="{}_{}_render".format(*info),
            ),
            *super().get_urls(),
        ]

    def proceedings_preview(self, request, object_id):
        """The book as last rendered, after asking the worker for a new one if it is out of date
        (organizers only); back to the publication with a message while there is none yet."""
        publication = _admin_object_or_404(self, request, object_id)
        if not self.has_view_permission(request, publication):
            raise Http404
        event = publication.event
        response = pdf_response(
            request,
            services.proceedings_spec(event),
            filename=pdf.pdf_filename("preview", publication.title),
            public=False,
            request_render=lambda: services.queue_proceedings_render(event),
        )
        if response is not None:
            return response
        self.message_user(
            request,
            _("The proceedings have not been rendered yet: they are queued, see their state."),
            messages.WARNING,
        )
        return HttpResponseRedirect(self._change_url(publication))

    def _change_url(self, publication) -> str:
        info = self.model._meta.app_label, self.model._meta.model_name
        return reverse("{}:{}_{}_change".format(self.admin_site.name, *info), args=[publication.pk])

    def proceedings_render_view(self, request, object_id):
        publication = _admin_object_or_404(self, request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, publication):
            raise Http404
        if services.queue_proceedings_render(publication.event):
            self.message_user(request, _("The proceedings are queued for rendering."))
        else:
            self.message_user(request, _("The proceedings are already waiting to be rendered."))
        return HttpResponseRedirect(self._change_url(publication))

    @admin.display(description=_("PDF of the proceedings"))
    def proceedings_pdf(self, publication):
        if publication.pk is None:
            return "–"
        document, current = services.proceedings_status(publication.event)
        info = self.model._meta.app_label, self.model._meta.model_name
        preview = reverse(
            "{}:{}_{}_proceedings".format(self.admin_site.name, *info), args=[publication.pk]
        )
        if document is None:
            state = _("Never rendered")
        elif background.is_pending(document):
            state = document.get_state_display()
        elif document.state == RenderedDocument.State.FAILED and document.retry_at:
            state = _(
                "Rendering failed (attempt %(attempts)s of %(most)s), tried again at %(when)s: "
                "%(error)s"
            ) % {
                "attempts": document.attempts,
                "most": background.MAX_ATTEMPTS,
                "when": _moment(document.retry_at),
                "error": document.error[:200],
            }
        elif document.state == RenderedDocument.State.FAILED:
            state = _("Rendering failed, not tried again until you render anew: %(error)s") % {
                "error": document.error[:200]
            }
        elif current:
            state = _("Up to date: %(pages)s pages, rendered %(when)s") % {
                "pages": document.pages,
                "when": _moment(document.rendered_at),
            }
        else:
            state = _("Out of date: the content changed since %(when)s") % {
                "when": _moment(document.rendered_at) if document.rendered_at else "–"
            }
        return format_html(
            '{} · <a href="{}" target="_blank" rel="noopener">{}</a>',
            state,
            preview,
            _("Preview the book (PDF)"),
        )

    @admin.action(description=_("Render the proceedings in the background"), permissions=["change"])
    def render_proceedings(self, request, queryset):
        for publication in queryset.select_related("event"):
            services.queue_proceedings_render(publication.event)
        self.message_user(
            request, _("The proceedings are queued; their state shows on each publication.")
        )


class AcronymInline(tabular_inline(Acronym)):
    model = Acronym
    extra = 1


class PublicationPartInline(tabular_inline(PublicationPart)):
    model = PublicationPart
    extra = 0


@admin.register(Publication)
class PublicationAdmin(
    EventTimeZoneAdminMixin, ProceedingsAdminMixin, SimpleHistoryAdmin, TranslatedAdmin
):
    list_display = ["__str__", "issn", "year", "pages", "is_published"]
    search_fields = ["title", "issn"]
    inlines = [PublicationPartInline, AcronymInline]
    readonly_fields = ["proceedings_pdf"]
    actions = ["render_proceedings"]


@translation_report.register_source
def _publication_texts(events):
    """The publication's texts, then its parts' and acronyms' (edited on the publication's page)."""
    for publication in Publication.objects.filter(event_id__in=events):
        yield translation_report.Row(publication.event_id, publication)
    parts = PublicationPart.objects.filter(publication__event_id__in=events).annotate(
        _event_id=F("publication__event_id")
    )
    for part in parts:
        yield translation_report.Row(part._event_id, part, (Publication, part.publication_id))
    acronyms = Acronym.objects.filter(publication__event_id__in=events).annotate(
        _event_id=F("publication__event_id")
    )
    for acronym in acronyms:
        yield translation_report.Row(
            acronym._event_id, acronym, (Publication, acronym.publication_id)
        )
