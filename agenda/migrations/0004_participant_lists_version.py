"""The version of the events' lists of participants, for the proceedings PDF (idm_seminar.pagecache)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agenda", "0003_pdf_documents_speaker_links")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE agenda_participant_lists_version; "
            "SELECT nextval('agenda_participant_lists_version');",
            "DROP SEQUENCE IF EXISTS agenda_participant_lists_version;",
        )
    ]
