"""Organizers write to registrants: the mailing's words per language and its recipients, a
preview per language, a test send to the organizer's own address, then the send (confirmed on a
page saying how many it goes to), through registration.services.mailings.

Everything here asks `registration.send_mailing` (the Registration manager role has it; the desk
and the programme editor do not). A sent mailing is read-only and lists each recipient with the
state of their message.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registration.models import Mailing, MailingRecipient
from registration.services import mailings

PERMISSION = "registration.send_mailing"
# Recipients listed on a sent mailing's page; the outbox lists them all.
LISTED_RECIPIENTS = 2000


class MailingRecipientInline(admin.TabularInline):
    """On a registration's page: the mailings it received and the state of each message. Shown
    to those who may view mailing recipients (the manager, not the desk)."""

    model = MailingRecipient
    fk_name = "registration"
    verbose_name = _("mailing received")
    verbose_name_plural = _("mailings received")
    extra = 0
    can_delete = False
    fields = ["mailing_link", "queued", "state"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mailing", "message")

    @admin.display(description=_("mailing"))
    def mailing_link(self, row):
        url = reverse("admin:registration_mailing_change", args=[row.mailing_id])
        return format_html('<a href="{}">{}</a>', url, row.mailing)

    @admin.display(description=_("queued"))
    def queued(self, row):
        return display_for_value(row.message.created_at, "—")

    @admin.display(description=_("state"))
    def state(self, row):
        url = reverse("admin:outbox_message_change", args=[row.message_id])
        return format_html('<a href="{}">{}</a>', url, row.message.get_state_display())

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["subject_en", "event", "created_at", "sent_at", "recipient_count"]
    list_filter = ["event"]
    search_fields = ["subject_en"]
    list_select_related = ["event"]
    change_form_template = "admin/registration/mailing/change_form.html"
    fieldsets = [
        (None, {"fields": ["event"]}),
        (
            _("Recipients"),
            {
                "fields": [
                    "status",
                    "category",
                    "delegation",
                    "breakout_group",
                    "country",
                    "checked_in",
                    "matching",
                ]
            },
        ),
        (_("English"), {"fields": ["subject_en", "text_en"]}),
        (_("French"), {"fields": ["subject_fr", "text_fr"]}),
        (_("Spanish"), {"fields": ["subject_es", "text_es"]}),
        (_("Preview"), {"fields": ["preview"]}),
        (
            _("Sending"),
            {"fields": ["created_by", "created_at", "sent_at", "recipient_count", "deliveries"]},
        ),
    ]
    readonly_fields = [
        "matching",
        "preview",
        "created_by",
        "created_at",
        "sent_at",
        "recipient_count",
        "deliveries",
    ]

    class Media:
        css = {"all": ["css/admin-mailing.css"]}

    # Every view asks the permission to send mailings, not only the model's own ones.
    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_change_permission(self, request, obj=None):
        # A sent mailing is kept as it went out.
        return request.user.has_perm(PERMISSION) and (obj is None or obj.sent_at is None)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION) and (obj is None or obj.sent_at is None)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The event of a written mailing stays: its choices of recipients belong to it.
            return ["event", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            # A written mailing's choices are its event's categories, delegations and groups.
            for name in ("category", "delegation", "breakout_group"):
                if name in form.base_fields:
                    field = form.base_fields[name]
                    field.queryset = field.queryset.filter(event=obj.event_id)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("matching now"))
    def matching(self, mailing):
        if mailing.pk is None:
            return "—"
        by_language = dict(
            mailings.recipients(mailing)
            .order_by()
            .values_list("language")
            .annotate(count=Count("pk"))
        )
        total = sum(by_language.values())
        return ngettext(
            "%(count)d registration (%(languages)s)",
            "%(count)d registrations (%(languages)s)",
            total,
        ) % {
            "count": total,
            "languages": ", ".join(f"{code}: {n}" for code, n in sorted(by_language.items()))
            or "—",
        }

    @admin.display(description=_("preview"))
    def preview(self, mailing):
        if mailing.pk is None:
            return _("Save the mailing to see it as each language's recipients will.")
        blocks = []
        for code, name in (("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))):
            rendered = mailings.preview(mailing, code)
            blocks.append((name, rendered.subject, rendered.text))
        return format_html_join(
            "",
            '<div class="mailing-preview" lang="{}"><h4>{}</h4>'
            '<p class="mailing-preview-subject"><strong>{}</strong></p><pre>{}</pre></div>',
            ((code, *block) for code, block in zip(("en", "fr", "es"), blocks, strict=True)),
        )

    @admin.display(description=_("recipients and their messages"))
    def deliveries(self, mailing):
        if mailing.pk is None or mailing.sent_at is None:
            return "—"
        rows = (
            MailingRecipient.objects.filter(mailing=mailing)
            .select_related("registration", "message")
            .order_by("pk")[:LISTED_RECIPIENTS]
        )
        body = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>'
            '<td><a href="{}">{}</a></td><td>{}</td></tr>',
            (
                (
                    reverse("admin:registration_registration_change", args=[row.registration_id]),
                    row.registration,
                    row.message.recipient,
                    row.message.language,
                    reverse("admin:outbox_message_change", args=[row.message_id]),
                    row.message.get_state_display(),
                    row.message.last_error,
                )
                for row in rows
            ),
        )
        return format_html(
            '<div class="mailing-deliveries"><table><thead><tr>'
            "<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table></div>",
            _("registration"),
            _("e-mail"),
            _("language"),
            _("state"),
            _("last error"),
            body,
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/test/",
                self.admin_site.admin_view(self.test_view),
                name="registration_mailing_test",
            ),
            path(
                "<int:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="registration_mailing_send",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, mailing_id):
        return reverse("admin:registration_mailing_change", args=[mailing_id])

    def test_view(self, request, object_id):
        """POST: the mailing to the organizer's own address, once per language written."""
        if request.method != "POST" or not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        mailing = get_object_or_404(Mailing.objects.select_related("event"), pk=object_id)
        if not request.user.email:
            self.message_user(
                request,
                _("Your account has no e-mail address to send the test to."),
                messages.ERROR,
            )
        else:
            sent = mailings.send_test(mailing, address=request.user.email)
            self.message_user(
                request,
                ngettext(
                    "%(count)d test message queued to %(address)s.",
                    "%(count)d test messages queued to %(address)s.",
                    len(sent),
                )
                % {"count": len(sent), "address": request.user.email},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(mailing.pk))

    def send_view(self, request, object_id):
        """GET: how many it goes to, and a button; POST: send it (once)."""
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        mailing = get_object_or_404(Mailing.objects.select_related("event"), pk=object_id)
        if request.method == "POST":
            try:
                count = mailings.send_mailing(mailing_id=mailing.pk)
            except mailings.MailingError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "The mailing is on its way to %(count)d registration.",
                        "The mailing is on its way to %(count)d registrations.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._change_url(mailing.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "mailing": mailing,
            "matching": self.matching(mailing),
            "title": _("Send the mailing"),
        }
        return TemplateResponse(request, "admin/registration/mailing/send.html", context)
