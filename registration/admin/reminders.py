"""On a registration's page: the scheduled reminders it received (registration.services.reminders)
and the state of each message in the outbox. Shown to those who may view sent reminders (the
registration manager, by "registration.*"; not the desk)."""

from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registration.models import SentReminder


class SentReminderInline(admin.TabularInline):
    model = SentReminder
    fk_name = "registration"
    verbose_name = _("reminder received")
    verbose_name_plural = _("reminders received")
    extra = 0
    can_delete = False
    fields = ["kind", "sent_on", "queued", "state"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("message")

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
