"""The organizers' four roles as groups with their permissions (organizers.roles).

On a fresh database Django makes permissions only after all migrations ran (post_migrate), so
this migration makes them first, for every app, as Django's own post_migrate handler would.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from organizers import roles


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles.sync_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[role.name for role in roles.ROLES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("agenda", "0015_person_language"),
        ("documents", "0003_a_rendering_per_language"),
        ("speakers", "0001_initial"),
        ("registration", "0008_categories_delegations_questions"),
        ("proceedings", "0003_english_texts_from_the_original_columns"),
        ("outbox", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
