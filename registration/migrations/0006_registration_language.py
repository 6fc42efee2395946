"""Each registration says which language its participant reads: their e-mails and pages follow
it. Registrations made before the site spoke French and Spanish were made in English."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registration", "0005_outbox_messages")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "Français"), ("es", "Español")],
                default="en",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ["en", "fr", "es"])),
                name="registration_registration_language_valid",
            ),
        ),
    ]
