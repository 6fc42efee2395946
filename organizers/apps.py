from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizersConfig(AppConfig):
    name = "organizers"
    verbose_name = _("Organizers")

    def ready(self):
        from organizers import roles

        # After every migrate, once Django has made the permissions of every app (this app
        # comes last in INSTALLED_APPS): permissions of models added since the roles' migration
        # reach the roles that grant them.
        post_migrate.connect(
            roles.sync_after_migrate, sender=self, dispatch_uid="organizers.sync_roles"
        )
