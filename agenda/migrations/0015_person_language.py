"""People get the language we write to them in (speaker links, their page, their brief);
everyone known before is written to in English, as they were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0014_english_texts_from_the_original_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalperson',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'Français'), ('es', 'Español')], default='en', help_text='The language we write to this person in: their speaker link e-mails, their page and their brief.', max_length=5, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='person',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'Français'), ('es', 'Español')], default='en', help_text='The language we write to this person in: their speaker link e-mails, their page and their brief.', max_length=5, verbose_name='language'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['en', 'fr', 'es'])), name='agenda_person_language_valid'),
        ),
    ]
