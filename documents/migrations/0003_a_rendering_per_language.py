"""A stored PDF per language: the language joins the document's identity.

Every row stored before was rendered in English, so the new column's default keeps them as the
English renderings, still current while their fingerprints hold.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0014_english_texts_from_the_original_columns'),
        ('documents', '0002_rendering_retries'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='rendereddocument',
            options={'ordering': ['event', 'kind', 'key', 'language', 'pk'], 'verbose_name': 'rendered PDF', 'verbose_name_plural': 'rendered PDFs'},
        ),
        migrations.RemoveConstraint(
            model_name='rendereddocument',
            name='agenda_rendereddocument_unique_document',
        ),
        migrations.AddField(
            model_name='rendereddocument',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'Français'), ('es', 'Español')], default='en', help_text='Each document is rendered and kept in each language of the site.', max_length=5, verbose_name='language'),
        ),
        migrations.AddConstraint(
            model_name='rendereddocument',
            constraint=models.UniqueConstraint(fields=('event', 'kind', 'key', 'language'), name='documents_rendereddocument_one_per_language'),
        ),
    ]
