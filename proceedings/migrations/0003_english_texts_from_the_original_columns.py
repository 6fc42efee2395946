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
        # The rows, and their history (whose rows simple_history copies field by field).
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("proceedings", name)
            model.objects.update(**{f"{field}_en": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("proceedings", "0002_texts_in_three_languages")]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
