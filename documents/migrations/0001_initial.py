"""Stored PDFs (RenderedDocument), moved from the agenda app with their table and rows.

The model is created in this app's state only: its table (agenda_rendereddocument, made by
agenda's migration 0003) stays as it is, and agenda's migration 0011 removes the model from its
own state. The content type follows, so that permissions and admin log entries keep pointing at
the same model.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ["rendereddocument"]


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
        ('agenda', '0010_speakers_own_links_and_slides'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RenderedDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('session_paper', 'Background paper'), ('programme', 'Programme'), ('speaker_brief', "Speaker's brief"), ('proceedings', 'Proceedings')], max_length=20, verbose_name='kind')),
                        ('key', models.CharField(blank=True, max_length=100, verbose_name='key')),
                        ('fingerprint', models.CharField(blank=True, max_length=64, verbose_name='fingerprint')),
                        ('checked_versions', models.CharField(blank=True, editable=False, help_text='The content and template versions at which the fingerprint was last checked.', max_length=64)),
                        ('content', models.BinaryField(blank=True, default=b'', verbose_name='PDF')),
                        ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='pages')),
                        ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='rendered')),
                        ('render_seconds', models.FloatField(blank=True, null=True, verbose_name='render time (s)')),
                        ('state', models.CharField(choices=[('queued', 'Waiting to be rendered'), ('rendering', 'Rendering'), ('ready', 'Ready'), ('failed', 'Failed')], default='queued', max_length=20, verbose_name='state')),
                        ('state_changed_at', models.DateTimeField(auto_now=True, verbose_name='state changed')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rendered_documents', to='agenda.event')),
                    ],
                    options={
                        'verbose_name': 'rendered PDF',
                        'verbose_name_plural': 'rendered PDFs',
                        'db_table': 'agenda_rendereddocument',
                        'ordering': ['event', 'kind', 'key', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('event', 'kind', 'key'), name='agenda_rendereddocument_unique_document')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("agenda", "documents"), move_content_types("documents", "agenda")
        ),
    ]
