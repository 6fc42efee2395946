"""The publication's texts written before the site had three languages are English: copy each
into its English column (see agenda 0014)."""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "publication": ["series", "title", "summary", "foreword", "report"],
    "publicationpart": ["title"],
    "acronym": ["meaning"],
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("proceedings", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("proceedings", "0002_texts_in_three_languages")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
