"""Registration e-mails move to the outbox: each RegistrationEmail gets an outbox message that
holds its delivery state (sent, or waiting to be sent), and loses its own delivery columns."""

import django.db.models.deletion
from django.db import migrations, models


def move_to_outbox(apps, schema_editor):
    RegistrationEmail = apps.get_model("registration", "RegistrationEmail")
    Message = apps.get_model("outbox", "Message")
    emails = RegistrationEmail.objects.order_by("pk")
    if not emails.exists():
        return
    # The texts are written by the code of this release (the templates and links live there,
    # not in historical models); a database with no registration e-mail never gets here.
    from registration.models import Registration
    from registration.services import OUTBOX_TOPIC, compose_email

    # Columns added by later migrations are not there yet: leave out of the query every field
    # of today's model that the table of this migration's time lacks.
    present = {
        field.column
        for field in apps.get_model("registration", "Registration")._meta.concrete_fields
    }
    later = [
        field.name for field in Registration._meta.concrete_fields if field.column not in present
    ]
    for email in emails:
        # Written as the e-mails of that time were written: in English, naming no break-out
        # group (whose names get their columns per language later).
        registration = (
            Registration.objects.select_related("event")
            .defer(*later)
            .get(pk=email.registration_id)
        )
        # Today's templates may read the later columns: they hold their defaults (no category,
        # no delegation), never a query for a column this table lacks.
        for field in Registration._meta.concrete_fields:
            if field.name in later:
                setattr(registration, field.attname, field.get_default())
        registration.language = "en"
        registration.breakout_group = None
        subject, text, attachments = compose_email(registration, email.kind)
        if email.sent_at:
            text = "(Sent before the outbox kept the text of e-mails.)"
            attachments = []
        message = Message.objects.create(
            recipient=registration.email,
            language="en",
            subject=subject,
            text=text,
            attachments=[
                {"filename": name, "content": content, "mimetype": mimetype}
                for name, content, mimetype in attachments
            ],
            kind=f"registration.{email.kind}",
            topic=OUTBOX_TOPIC,
            object_id=registration.pk,
            state="sent" if email.sent_at else "waiting",
            created_at=email.created_at,
            sent_at=email.sent_at,
            attempts=email.attempts,
            next_attempt_at=None if email.sent_at else email.created_at,
            last_error=email.last_error,
        )
        RegistrationEmail.objects.filter(pk=email.pk).update(message=message)


def move_back(apps, schema_editor):
    RegistrationEmail = apps.get_model("registration", "RegistrationEmail")
    for email in RegistrationEmail.objects.select_related("message"):
        RegistrationEmail.objects.filter(pk=email.pk).update(
            sent_at=email.message.sent_at,
            attempts=email.message.attempts,
            last_error=email.message.last_error,
        )
    apps.get_model("outbox", "Message").objects.filter(
        pk__in=RegistrationEmail.objects.values("message_id")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("registration", "0004_participant_lists_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrationemail",
            name="message",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="outbox.message",
                verbose_name="message",
            ),
        ),
        migrations.RunPython(move_to_outbox, move_back),
        migrations.RemoveIndex(model_name="registrationemail", name="registration_email_unsent"),
        migrations.RemoveField(model_name="registrationemail", name="attempts"),
        migrations.RemoveField(model_name="registrationemail", name="last_error"),
        migrations.RemoveField(model_name="registrationemail", name="sent_at"),
        migrations.AlterField(
            model_name="registrationemail",
            name="message",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="outbox.message",
                verbose_name="message",
            ),
        ),
    ]
