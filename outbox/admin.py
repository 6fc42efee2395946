from django.contrib import admin, messages
from django.utils import formats
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """What the site sent, what waits and what failed; read-only, with a Re-send action."""

    list_display = ["created_at", "recipient", "subject", "delivery"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "recipient",
        "language",
        "subject",
        "text",
        "html",
        "attachment_names",
        "kind",
        "topic",
        "object_id",
        "state",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("delivery"), ordering="state")
    def delivery(self, message):
        if message.state == Message.State.SENT:
            when = _("sent %(time)s") % {"time": formats.localize(localtime(message.sent_at))}
            return format_html("✓ {}", when)
        if message.state == Message.State.WAITING:
            when = formats.localize(localtime(message.next_attempt_at))
            heading = _("waiting, next attempt %(time)s") % {"time": when}
        else:
            heading = "⚠ " + _("failed")
        if not message.last_error:
            return heading
        # The error's name in the list (the whole error on hover and on the message's page).
        return format_html(
            '{}<br><span title="{}">{}</span>',
            heading,
            message.last_error,
            Truncator(message.last_error.split(":")[0]).chars(40),
        )

    @admin.display(description=_("attachments"))
    def attachment_names(self, message):
        return ", ".join(attachment["filename"] for attachment in message.attachments) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("outbox.change_message")

    @admin.action(description=_("Re-send the selected e-mails"), permissions=["resend"])
    def resend(self, request, queryset):
        count = services.resend_messages(queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail put back in line.", "%(count)d e-mails put back in line.", count
            )
            % {"count": count},
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was sent already and was left alone.",
                    "%(count)d were sent already and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
