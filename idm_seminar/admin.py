"""The organizers' admin site, hardened against tampered requests: what a browser never sends
answers a 400 or a form error, never a server error. It also sets the admin's own
Content-Security-Policy (admin_csp).

- Postgres cannot hold a NUL character in text, so a NUL in a search term or a list filter of
  the address made the query fail (a 500): the site refuses such an address with a 400.
- Django's autocomplete widget, when it shows an invalid form again, looks up the submitted ids
  as they came, so "abc" for a numeric key raised an error instead of showing the form's own
  "Select a valid choice": the project's autocomplete widgets look up only ids of the right type.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import BadRequest, ValidationError
from django.utils.csp import CSP

# django-simple-history's object history page (on every model with history) has one style
# attribute, style="border-top: 0" on its paginator; the site's policy would block it. Under
# /admin/ only, the policy allows that exact attribute by its hash and no other inline style.
HISTORY_PAGINATOR_STYLE = "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


def admin_csp() -> dict:
    """The site's policy (settings.SECURE_CSP) with the one style attribute the admin needs."""
    return {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_HASHES, HISTORY_PAGINATOR_STYLE]}


class OrganizersAdminSite(admin.AdminSite):
    """The default admin site of the project (idm_seminar.apps.AdminConfig)."""

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def hardened_view(request, *args, **kwargs):
            if any(
                "\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()
            ):
                raise BadRequest("The address contains a NUL character.")
            response = inner(request, *args, **kwargs)
            if not hasattr(response, "_csp_config"):
                # Read by django.middleware.csp, as its csp_override decorator sets it.
                response._csp_config = admin_csp()
            return response

        hardened_view.__name__ = getattr(view, "__name__", "admin_view")
        hardened_view.__wrapped__ = view
        for attribute in ("csrf_exempt", "login_required"):
            if hasattr(inner, attribute):
                setattr(hardened_view, attribute, getattr(inner, attribute))
        return hardened_view


class ValidChoicesMixin:
    """Look up only the submitted values that the related key can hold (see the module's
    docstring); the others are the form's "Select a valid choice" error, shown empty."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or "pk")
        if key.name == "pk":
            key = remote.model._meta.pk
        valid = []
        for item in value:
            try:
                key.get_prep_value(key.to_python(item))
            except (ValidationError, ValueError, TypeError):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class AutocompleteSelect(ValidChoicesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ValidChoicesMixin, widgets.AutocompleteSelectMultiple):
    pass


class AutocompleteFieldsMixin:
    """For every ModelAdmin and inline of the project that has autocomplete_fields: use the
    project's autocomplete widgets (see ValidChoicesMixin)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
