"""The texts written before the site had three languages are English: copy each into its
English column (title -> title_en), so that no text is lost or shown empty. The original columns
stay as they were; going back empties nothing."""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "event": ["title", "series_theme", "venue", "venue_short_name", "city", "introduction",
              "overview", "objectives", "agenda_introduction"],
    "practicalinformation": ["venue_details", "notes"],
    "room": ["name"],
    "session": ["title", "theme"],
    "backgroundpaper": ["title", "body", "questions_introduction"],
    "keyquestion": ["text"],
    "agendaitem": ["title", "description"],
    "presentation": ["title", "abstract"],
    "presentationspeaker": ["label"],
    "organization": ["name", "acronym"],
    "person": ["position", "affiliation_note", "bio"],
    "document": ["title", "description", "file", "url"],
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        # The rows, and their history (whose rows simple_history copies field by field).
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("agenda", name)
            model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("agenda", "0013_texts_in_three_languages")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
