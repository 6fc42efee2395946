"""Publication, PublicationPart and Acronym (and their history) now belong to the proceedings app
(proceedings' migration 0001): removed from agenda's state only, their tables and rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0011_documents_own_rendered_pdfs'),
        ('proceedings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalAcronym'),
                migrations.DeleteModel(name='HistoricalPublicationPart'),
                migrations.DeleteModel(name='HistoricalPublication'),
                migrations.DeleteModel(name='Acronym'),
                migrations.DeleteModel(name='PublicationPart'),
                migrations.DeleteModel(name='Publication'),
            ],
            database_operations=[],
        ),
    ]
