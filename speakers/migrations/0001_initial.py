"""The speakers' links and slides, moved from the agenda app with their tables and rows.

The models are created in this app's state only: their tables (agenda_speakerlink,
agenda_slidedeck, made by agenda's migrations 0003 and 0006) stay as they are, and agenda's
migration 0010 removes the models from its own state. The content types follow, so that
permissions and admin log entries keep pointing at the same models.
"""

import django.db.models.deletion
import speakers.models
from django.db import migrations, models

MOVED_MODELS = ["speakerlink", "slidedeck"]


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
        ('agenda', '0009_organization_honorific_no_bidi_controls'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SlideDeck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(storage=speakers.models.private_storage, upload_to=speakers.models.slides_upload_to, verbose_name='file')),
                        ('file_type', models.CharField(choices=[('pdf', 'PDF'), ('pptx', 'PowerPoint (PPTX)')], max_length=10, verbose_name='type')),
                        ('size', models.PositiveIntegerField(verbose_name='size in bytes')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='slides', to='agenda.person', verbose_name='uploaded by')),
                        ('presentation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='slides', to='agenda.presentation', verbose_name='presentation')),
                    ],
                    options={
                        'verbose_name': 'slides',
                        'verbose_name_plural': 'slides',
                        'db_table': 'agenda_slidedeck',
                        'ordering': ['presentation', '-uploaded_at', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('presentation', 'person'), name='agenda_slidedeck_one_per_speaker', violation_error_message='This speaker already has slides for the presentation.')],
                    },
                ),
                migrations.CreateModel(
                    name='SpeakerLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='issued')),
                        ('expires_at', models.DateTimeField(verbose_name='expires')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last opened')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='speaker_links', to='agenda.event')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='agenda.person', verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'speaker link',
                        'verbose_name_plural': 'speaker links',
                        'db_table': 'agenda_speakerlink',
                        'ordering': ['event', 'person', '-created_at', 'pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('event', 'person'), name='agenda_speakerlink_one_in_force', violation_error_message='This person already has a link in force.'), models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='agenda_speakerlink_expires_after_issue')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("agenda", "speakers"), move_content_types("speakers", "agenda")
        ),
    ]
