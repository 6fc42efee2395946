"""SpeakerLink and SlideDeck now belong to the speakers app (speakers' migration 0001): removed
from agenda's state only, their tables and rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0009_organization_honorific_no_bidi_controls'),
        ('speakers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='SlideDeck'),
                migrations.DeleteModel(name='SpeakerLink'),
            ],
            database_operations=[],
        ),
    ]
