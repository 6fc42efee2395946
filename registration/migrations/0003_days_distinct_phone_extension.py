"""Each attendance day once (duplicates merged, then a constraint through an SQL function, since
Postgres allows no subquery in a CHECK), phone extensions kept, and names refused with
text-direction control characters."""

from django.db import migrations, models

import agenda.validators

DISTINCT_DATES = """
CREATE OR REPLACE FUNCTION registration_distinct_dates(dates date[]) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT count(DISTINCT day) = count(day) FROM unnest(dates) AS day $$;
"""

MERGE_DUPLICATE_DAYS = """
UPDATE registration_registration
SET days = ARRAY(SELECT DISTINCT day FROM unnest(days) AS day ORDER BY day)
WHERE NOT registration_distinct_dates(days);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0002_registration_closes_by_event_end"),
    ]

    operations = [
        migrations.RunSQL(
            DISTINCT_DATES, "DROP FUNCTION IF EXISTS registration_distinct_dates(date[]);"
        ),
        migrations.RunSQL(MERGE_DUPLICATE_DAYS, migrations.RunSQL.noop),
        migrations.RemoveConstraint(
            model_name='registration',
            name='registration_registration_phone_e164',
        ),
        migrations.AlterField(
            model_name='registration',
            name='first_name',
            field=models.CharField(max_length=100, validators=[agenda.validators.validate_no_bidi_controls], verbose_name='first names'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='last_name',
            field=models.CharField(max_length=100, validators=[agenda.validators.validate_no_bidi_controls], verbose_name='last name'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='organization',
            field=models.CharField(max_length=200, validators=[agenda.validators.validate_no_bidi_controls], verbose_name='organization'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='phone',
            field=models.CharField(blank=True, help_text="International format, +41 22 ...; an extension is stored after ';ext=' (+41227179111;ext=123).", max_length=32, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='position',
            field=models.CharField(blank=True, max_length=200, validators=[agenda.validators.validate_no_bidi_controls], verbose_name='position'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(('phone', ''), ('phone__regex', '^\\+[1-9][0-9]{4,14}(;ext=[0-9]{1,10})?$'), _connector='OR'), name='registration_registration_phone_e164'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(models.Func(models.F('days'), function='registration_distinct_dates', output_field=models.BooleanField())), name='registration_registration_days_distinct', violation_error_code='days_repeated', violation_error_message='Each day can be chosen once.'),
        ),
    ]
