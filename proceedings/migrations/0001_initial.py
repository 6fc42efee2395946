"""The publication, its parts and acronyms (with their history), moved from the agenda app with
their tables and rows.

The models are created in this app's state only: their tables (agenda_publication,
agenda_publicationpart, agenda_acronym and agenda_historical*) stay as they are, and agenda's
migration 0012 removes the models from its own state. The content types follow, so that
permissions, history and admin log entries keep pointing at the same models.
"""

import agenda.validators
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = [
    "publication", "publicationpart", "acronym",
    "historicalpublication", "historicalpublicationpart", "historicalacronym",
]


def move_content_types(from_label, to_label):
    def move(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        taken = content_type.objects.filter(app_label=to_label, model__in=MOVED_MODELS)
        content_type.objects.filter(app_label=from_label, model__in=MOVED_MODELS).exclude(
            model__in=taken.values("model")
        ).update(app_label=to_label)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agenda', '0011_documents_own_rendered_pdfs'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPublication',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('series', models.CharField(default='International Dialogue on Migration', max_length=200, verbose_name='series')),
                        ('series_number', models.PositiveSmallIntegerField(verbose_name='number in the series')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('issn', models.CharField(help_text='For example 1726-2224.', max_length=9, validators=[agenda.validators.validate_issn], verbose_name='ISSN')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='number of pages')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1951), django.core.validators.MaxValueValidator(2200)], verbose_name='year of publication')),
                        ('languages', models.CharField(blank=True, help_text='Comma-separated, e.g. English.', max_length=200, verbose_name='languages')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('foreword', models.TextField(blank=True, help_text='Rich text; only simple formatting is kept. Left out of the book when empty.', verbose_name='foreword')),
                        ('report', models.TextField(blank=True, help_text='Part I of the book. Rich text; only simple formatting is kept.', verbose_name='report of the seminar')),
                        ('is_published', models.BooleanField(default=False, verbose_name='published')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('event', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agenda.event')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical publication',
                        'verbose_name_plural': 'historical publications',
                        'db_table': 'agenda_historicalpublication',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Publication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('series', models.CharField(default='International Dialogue on Migration', max_length=200, verbose_name='series')),
                        ('series_number', models.PositiveSmallIntegerField(verbose_name='number in the series')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('issn', models.CharField(help_text='For example 1726-2224.', max_length=9, validators=[agenda.validators.validate_issn], verbose_name='ISSN')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='number of pages')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1951), django.core.validators.MaxValueValidator(2200)], verbose_name='year of publication')),
                        ('languages', models.CharField(blank=True, help_text='Comma-separated, e.g. English.', max_length=200, verbose_name='languages')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('foreword', models.TextField(blank=True, help_text='Rich text; only simple formatting is kept. Left out of the book when empty.', verbose_name='foreword')),
                        ('report', models.TextField(blank=True, help_text='Part I of the book. Rich text; only simple formatting is kept.', verbose_name='report of the seminar')),
                        ('is_published', models.BooleanField(default=False, verbose_name='published')),
                        ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='publication', to='agenda.event')),
                    ],
                    options={
                        'verbose_name': 'publication',
                        'verbose_name_plural': 'publications',
                        'db_table': 'agenda_publication',
                        'ordering': ['event', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPublicationPart',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('publication', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proceedings.publication')),
                    ],
                    options={
                        'verbose_name': 'historical part',
                        'verbose_name_plural': 'historical parts',
                        'db_table': 'agenda_historicalpublicationpart',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAcronym',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('acronym', models.CharField(max_length=30, verbose_name='acronym')),
                        ('meaning', models.CharField(max_length=300, verbose_name='meaning')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('publication', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proceedings.publication')),
                    ],
                    options={
                        'verbose_name': 'historical acronym',
                        'verbose_name_plural': 'historical acronyms and abbreviations',
                        'db_table': 'agenda_historicalacronym',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Acronym',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('acronym', models.CharField(max_length=30, verbose_name='acronym')),
                        ('meaning', models.CharField(max_length=300, verbose_name='meaning')),
                        ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acronyms', to='proceedings.publication')),
                    ],
                    options={
                        'verbose_name': 'acronym',
                        'verbose_name_plural': 'acronyms and abbreviations',
                        'db_table': 'agenda_acronym',
                        'ordering': ['publication', django.db.models.functions.text.Lower('acronym'), 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PublicationPart',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('publication', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parts', to='proceedings.publication')),
                    ],
                    options={
                        'verbose_name': 'part',
                        'verbose_name_plural': 'parts',
                        'db_table': 'agenda_publicationpart',
                        'ordering': ['publication', 'order', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='publication',
                    constraint=models.CheckConstraint(condition=models.Q(('issn__regex', '^\\d{4}-\\d{3}[0-9X]$')), name='agenda_publication_issn_format', violation_error_message='An ISSN is written like 1726-2224.'),
                ),
                migrations.AddConstraint(
                    model_name='acronym',
                    constraint=models.UniqueConstraint(fields=('publication', 'acronym'), name='agenda_acronym_unique_acronym', violation_error_message='The publication already lists this acronym.'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("agenda", "proceedings"), move_content_types("proceedings", "agenda")
        ),
    ]
