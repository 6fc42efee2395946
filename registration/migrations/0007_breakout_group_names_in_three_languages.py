"""Break-out groups get a name per language (registration.translation). The names written
before are English: each is copied into its English column, so that no group shows nameless;
the original column stays as it was, and going back empties nothing."""

from django.db import migrations, models
from django.db.models import F


def copy_to_english(apps, schema_editor):
    apps.get_model("registration", "BreakoutGroup").objects.update(name_en=F("name"))


class Migration(migrations.Migration):
    dependencies = [("registration", "0006_registration_language")]

    operations = [
        migrations.AddField(
            model_name="breakoutgroup",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="breakoutgroup",
            name="name_es",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="breakoutgroup",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.RunPython(copy_to_english, migrations.RunPython.noop),
        # One name per language and event, as for the original column (modeltranslation copies
        # the model's constraint to each language's column).
        migrations.AddConstraint(
            model_name="breakoutgroup",
            constraint=models.UniqueConstraint(
                fields=("event", "name_en"),
                name="registration_breakoutgroup_unique_name-en",
                violation_error_message="The event already has a break-out group of this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="breakoutgroup",
            constraint=models.UniqueConstraint(
                fields=("event", "name_fr"),
                name="registration_breakoutgroup_unique_name-fr",
                violation_error_message="The event already has a break-out group of this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="breakoutgroup",
            constraint=models.UniqueConstraint(
                fields=("event", "name_es"),
                name="registration_breakoutgroup_unique_name-es",
                violation_error_message="The event already has a break-out group of this name.",
            ),
        ),
    ]
