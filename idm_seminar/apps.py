from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the project's hardened site (idm_seminar/admin.py)."""

    default_site = "idm_seminar.admin.OrganizersAdminSite"
