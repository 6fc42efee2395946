"""Every event gets its registration settings row (closed, the default seats), so that the
organizers' Registration settings page lists every event; new events get theirs when they are
made (registration.signals)."""

from django.db import migrations


def add_missing_settings(apps, schema_editor):
    Event = apps.get_model("agenda", "Event")
    RegistrationSettings = apps.get_model("registration", "RegistrationSettings")
    RegistrationSettings.objects.bulk_create(
        RegistrationSettings(event=event)
        for event in Event.objects.filter(registration_settings__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [("registration", "0008_categories_delegations_questions")]

    operations = [migrations.RunPython(add_missing_settings, migrations.RunPython.noop)]
