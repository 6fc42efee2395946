"""The participant lists' version sequence is the registration app's: it advances it, the
proceedings read it. Created by agenda's migration 0004 under the agenda's name; renamed here,
its value kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0004_participant_lists_version'),
        ('registration', '0003_days_distinct_phone_extension'),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER SEQUENCE agenda_participant_lists_version "
            "RENAME TO registration_participant_lists_version;",
            "ALTER SEQUENCE registration_participant_lists_version "
            "RENAME TO agenda_participant_lists_version;",
        ),
    ]
