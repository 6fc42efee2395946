"""The Groups page of the admin with the organizers' roles explained: a role's group keeps its
English name (a group's name is data), and the list shows the role's name in the admin's
language and what it allows (organizers.roles)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as AuthGroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from organizers.roles import ROLES_BY_NAME


class GroupAdmin(AuthGroupAdmin):
    list_display = ["name", "role", "role_description"]
    readonly_fields = ["role", "role_description"]
    fields = ["name", "role", "role_description", "permissions"]

    @admin.display(description=_("role"))
    def role(self, group):
        role = ROLES_BY_NAME.get(group.name)
        return role.label if role else "—"

    @admin.display(description=_("what it allows"))
    def role_description(self, group):
        role = ROLES_BY_NAME.get(group.name)
        return role.description if role else "—"


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
