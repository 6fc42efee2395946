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

from agenda import formatting, pdf, services
from agenda.admin_time import EventTimeZoneAdminMixin
from agenda.models import (
    Acronym,
    PracticalInformation,
    RenderedDocument,
    SlideDeck,
)


def _names(people) -> str:
    return ", ".join(person.full_name for person in people)


def report_speaker_links(modeladmin, request, sent: services.SpeakerLinksSent) -> None:
    """Tell the organizer what a "send links" action did: how many e-mails are on their way, and
    who got none and why (one warning per reason and event, naming the people)."""
    if sent.queued:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d e-mail with a new link is on its way; earlier links stop working.",
                "%(count)d e-mails with new links are on their way; earlier links stop working.",
                sent.queued,
            )
            % {"count": sent.queued},
            messages.SUCCESS,
        )
    elif not sent.skipped:
        modeladmin.message_user(request, _("No e-mail was sent."), messages.WARNING)
    groups: dict[tuple[str, int | None], list] = {}
    for skipped in sent.skipped:
        key = (skipped.reason, skipped.event.pk if skipped.event else None)
        groups.setdefault(key, []).append(skipped)
    for (reason, _event_id), group in groups.items():
        event, people = group[0].event, [skipped.person for skipped in group]
        if reason == services.SpeakerLinksSent.EVENT_ENDED:
            text = _(
                "No new link for “%(event)s”, which took place on %(dates)s (its speaker pages "
                "are read-only now): %(names)s."
            ) % {
                "event": event.title,
                "dates": formatting.date_range(event.start_date, event.end_date),
                "names": _names(people),
            }
        elif reason == services.SpeakerLinksSent.NO_EMAIL:
            text = _(
                "No link sent for “%(event)s” to %(names)s: no e-mail address (add it on the "
                "person's page, then send again)."
            ) % {"event": event.title, "names": _names(people)}
        else:
            text = _("No link sent to %(names)s: no role in the programme of any event.") % {
                "names": _names(people)
            }
        modeladmin.message_user(request, text, messages.WARNING)


@admin.action(description=_("Send brief links to everyone with a role in the event"))
def send_brief_links_for_events(modeladmin, request, queryset):
    sent = services.SpeakerLinksSent()
    for event in queryset.order_by("start_date", "pk"):
        services.send_speaker_links(event, people=services.people_with_roles(event), sent=sent)
    report_speaker_links(modeladmin, request, sent)


@admin.action(description=_("Send brief links to the selected people"))
def send_brief_links_for_people(modeladmin, request, queryset):
    sent = services.send_speaker_links_to_people(queryset.order_by("last_name", "first_name", "pk"))
    report_speaker_links(modeladmin, request, sent)


class RevokedListFilter(admin.SimpleListFilter):
    """Revoked: yes / no (rather than the "Empty / Not empty" of a date field)."""

    title = _("revoked")
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=True)
        return queryset


class SpeakerLinkAdmin(EventTimeZoneAdminMixin, admin.ModelAdmin):
    list_display = ["person", "event", "created_at", "expires_at", "sent_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["event", RevokedListFilter]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    readonly_fields = ["event", "person", "created_at", "expires_at", "sent_at", "last_used_at",
                       "revoked_at"]  # fmt: skip
    actions = ["revoke_links", "reissue_links"]
    # Says where links come from (templates/admin/agenda/speakerlink/change_list.html).
    change_list_template = "admin/agenda/speakerlink/change_list.html"

    def has_add_permission(self, request):
        # Links are issued by the "send brief links" action, which e-mails the only copy.
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "people_url": reverse("admin:agenda_person_changelist"),
            "events_url": reverse("admin:agenda_event_changelist"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra_context)

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
        sent = services.SpeakerLinksSent()
        for link in queryset.select_related("event", "person"):
            services.send_speaker_links(link.event, people=[link.person], sent=sent)
        report_speaker_links(self, request, sent)


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
