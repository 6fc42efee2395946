"""Admin pieces for the PDFs and speaker links; agenda.admin wires them into its ModelAdmins.

- `send_brief_links_for_events` and `send_brief_links_for_people` (Event and Person actions,
  "send brief links"): e-mail new personal links through the Tasks framework, after commit.
- `SpeakerLinkAdmin` with `revoke_links`, `RenderedDocumentAdmin` (read-only).
- `ProceedingsAdminMixin` for the Publication admin: a preview of the book, its render state and
  an action that renders it in the background.
- `AcronymInline`, `PracticalInformationInline`, and `SlideDeckInline` with
  `PresentationSlidesAdminMixin` (organizers download the speakers' private slides).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agenda import pdf, services
from agenda.admin_time import EventTimeZoneAdminMixin
from agenda.models import (
    Acronym,
    Event,
    PracticalInformation,
    RenderedDocument,
    SlideDeck,
)


@admin.action(description=_("Send brief links to everyone with a role in the event"))
def send_brief_links_for_events(modeladmin, request, queryset):
    total = 0
    for event in queryset:
        total += services.send_speaker_links(event, people=services.people_with_roles(event))
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d e-mail with a new link is on its way; earlier links stop working.",
            "%(count)d e-mails with new links are on their way; earlier links stop working.",
            total,
        )
        % {"count": total},
        messages.SUCCESS,
    )


@admin.action(description=_("Send brief links to the selected people"))
def send_brief_links_for_people(modeladmin, request, queryset):
    total = 0
    skipped = 0
    for person in queryset:
        events = Event.objects.filter(pk__in=services.events_with_roles(person)).order_by("pk")
        if not person.email or not events:
            skipped += 1
            continue
        for event in events:
            total += services.send_speaker_links(event, people=[person])
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d e-mail with a new link is on its way.",
            "%(count)d e-mails with new links are on their way.",
            total,
        )
        % {"count": total},
        messages.SUCCESS,
    )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d person has no e-mail address or no role in an event.",
                "%(count)d people have no e-mail address or no role in an event.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


class SpeakerLinkAdmin(EventTimeZoneAdminMixin, admin.ModelAdmin):
    list_display = ["person", "event", "created_at", "expires_at", "sent_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["event", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    readonly_fields = ["event", "person", "created_at", "expires_at", "sent_at", "last_used_at",
                       "revoked_at"]  # fmt: skip
    actions = ["revoke_links", "reissue_links"]

    def has_add_permission(self, request):
        # Links are issued by the "send brief links" action, which e-mails the only copy.
        return False

    @admin.action(description=_("Revoke the selected links"))
    def revoke_links(self, request, queryset):
        count = services.revoke_speaker_links(queryset)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Re-issue and e-mail new links (the selected ones stop working)"))
    def reissue_links(self, request, queryset):
        total = 0
        for link in queryset.select_related("event", "person"):
            total += services.send_speaker_links(link.event, people=[link.person])
        self.message_user(
            request,
            ngettext(
                "%(count)d new link is on its way.", "%(count)d new links are on their way.", total
            )
            % {"count": total},
            messages.SUCCESS,
        )


class RenderedDocumentAdmin(EventTimeZoneAdminMixin, admin.ModelAdmin):
    list_display = ["event", "kind", "key", "state", "pages", "rendered_at", "render_seconds"]
    list_filter = ["kind", "state", "event"]
    readonly_fields = ["event", "kind", "key", "fingerprint", "pages", "rendered_at",
                       "render_seconds", "state", "state_changed_at", "error"]  # fmt: skip
    exclude = ["content"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AcronymInline(admin.TabularInline):
    model = Acronym
    extra = 1


class SlideDeckInline(admin.TabularInline):
    """Slides the speakers uploaded, on the Presentation admin (they upload, organizers read).

    The files are private: the link downloads them through `PresentationSlidesAdminMixin`.
    """

    model = SlideDeck
    extra = 0
    fields = ["download", "file_type", "size", "person", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, deck):
        if deck.pk is None:
            return "–"
        url = reverse(
            f"{self.admin_site.name}:agenda_presentation_slides",
            args=[deck.presentation_id, deck.pk],
        )
        return format_html('<a href="{}" download>{}</a>', url, deck.download_name)


class PresentationSlidesAdminMixin:
    """For the Presentation admin: organizers download the speakers' private slides."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/slides/<int:deck_id>/",
                self.admin_site.admin_view(self.slides_download),
                name="agenda_presentation_slides",
            ),
            *super().get_urls(),
        ]

    def slides_download(self, request, object_id, deck_id):
        from agenda.speaker_views import slides_response

        presentation = _admin_object_or_404(self, request, object_id)
        deck = get_object_or_404(SlideDeck, presentation=presentation, pk=deck_id)
        if not self.has_view_permission(request, presentation):
            raise Http404
        return slides_response(deck)


def _moment(value) -> str:
    """A moment as "23 March 2006, 14:05 CET", in the zone EventTimeZoneAdminMixin chose."""
    return date_format(timezone.localtime(value), "j F Y, H:i T")


def _admin_object_or_404(model_admin, request, object_id):
    """The admin's object named in the URL; any id that names none (say "abc") is a 404."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    return obj


class PracticalInformationInline(admin.StackedInline):
    model = PracticalInformation
    can_delete = False
    extra = 0
    max_num = 1


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
        """The book as it is now, rendered on the spot if out of date (organizers only)."""
        from agenda.speaker_views import pdf_response

        publication = _admin_object_or_404(self, request, object_id)
        if not self.has_view_permission(request, publication):
            raise Http404
        spec = services.proceedings_spec(publication.event)
        return pdf_response(
            request,
            spec,
            filename=pdf.pdf_filename("preview", publication.title),
            public=False,
        )

    def proceedings_render_view(self, request, object_id):
        publication = _admin_object_or_404(self, request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, publication):
            raise Http404
        services.queue_proceedings_render(publication.event)
        self.message_user(request, _("The proceedings are queued for rendering."))
        info = self.model._meta.app_label, self.model._meta.model_name
        return HttpResponseRedirect(
            reverse("{}:{}_{}_change".format(self.admin_site.name, *info), args=[publication.pk])
        )

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
        elif document.state in {RenderedDocument.State.QUEUED, RenderedDocument.State.RENDERING}:
            state = document.get_state_display()
        elif document.state == RenderedDocument.State.FAILED:
            state = _("Rendering failed: %(error)s") % {"error": document.error[:200]}
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

    @admin.action(description=_("Render the proceedings in the background"))
    def render_proceedings(self, request, queryset):
        for publication in queryset.select_related("event"):
            services.queue_proceedings_render(publication.event)
        self.message_user(
            request, _("The proceedings are queued; their state shows on each publication.")
        )
