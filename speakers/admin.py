"""The speakers' admin: their links, and what the agenda's admin gains from this app.

- `SpeakerLinkAdmin` with `revoke_links` and `reissue_links`.
- "Send brief links" actions on the Event and Person admins: e-mail new personal links through
  the Tasks framework, after commit.
- The speakers' slides on the Presentation admin (`SlideDeckInline`), which organizers download
  through `PresentationSlidesAdminMixin`.

The agenda app knows nothing of speakers: its Event, Person and Presentation admins are
registered again here, extended (this app comes after agenda in INSTALLED_APPS).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agenda import admin as agenda_admin
from agenda import formatting
from agenda import services as agenda_services
from agenda.admin_time import EventTimeZoneAdminMixin
from agenda.models import Event, Person, Presentation
from speakers import services
from speakers.models import SlideDeck, SpeakerLink
from speakers.views import slides_response


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


@admin.action(
    description=_("Send brief links to everyone with a role in the event"), permissions=["change"]
)
def send_brief_links_for_events(modeladmin, request, queryset):
    sent = services.SpeakerLinksSent()
    for event in queryset.order_by("start_date", "pk"):
        people = agenda_services.people_with_roles(event)
        services.send_speaker_links(event, people=people, sent=sent)
    report_speaker_links(modeladmin, request, sent)


@admin.action(description=_("Send brief links to the selected people"), permissions=["change"])
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
    # Says where links come from (templates/admin/speakers/speakerlink/change_list.html).
    change_list_template = "admin/speakers/speakerlink/change_list.html"

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

    @admin.action(description=_("Revoke the selected links"), permissions=["change"])
    def revoke_links(self, request, queryset):
        count = services.revoke_speaker_links(queryset)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Re-issue and e-mail new links (the selected ones stop working)"),
        permissions=["change"],
    )
    def reissue_links(self, request, queryset):
        sent = services.SpeakerLinksSent()
        for link in queryset.select_related("event", "person"):
            services.send_speaker_links(link.event, people=[link.person], sent=sent)
        report_speaker_links(self, request, sent)


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
        presentation = _admin_object_or_404(self, request, object_id)
        deck = get_object_or_404(SlideDeck, presentation=presentation, pk=deck_id)
        if not self.has_view_permission(request, presentation):
            raise Http404
        return slides_response(deck)


def _admin_object_or_404(model_admin, request, object_id):
    """The admin's object named in the URL; any id that names none (say "abc") is a 404."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    return obj


admin.site.register(SpeakerLink, SpeakerLinkAdmin)

admin.site.unregister(Event)
admin.site.unregister(Person)
admin.site.unregister(Presentation)


@admin.register(Event)
class EventAdmin(agenda_admin.EventAdmin):
    actions = [*agenda_admin.EventAdmin.actions, send_brief_links_for_events]


@admin.register(Person)
class PersonAdmin(agenda_admin.PersonAdmin):
    actions = [*agenda_admin.PersonAdmin.actions, send_brief_links_for_people]


@admin.register(Presentation)
class PresentationAdmin(PresentationSlidesAdminMixin, agenda_admin.PresentationAdmin):
    inlines = [*agenda_admin.PresentationAdmin.inlines, SlideDeckInline]
