"""RenderedDocument now belongs to the documents app (documents' migration 0001): removed from
agenda's state only, its table and rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0010_speakers_own_links_and_slides'),
        ('documents', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='RenderedDocument'),
            ],
            database_operations=[],
        ),
    ]
