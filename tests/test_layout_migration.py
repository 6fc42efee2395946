"""A database created before the apps were split (issue 9) migrates to the new layout with every
row kept: speakers' links and slides, stored PDFs and their content types change app, not table;
the participant lists' version sequence changes name, not value."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The last migration of each app before the layout; speakers and documents did not exist.
BEFORE_LAYOUT = [
    ("agenda", "0009_organization_honorific_no_bidi_controls"),
    ("registration", "0003_days_distinct_phone_extension"),
    ("speakers", None),
    ("documents", None),
    ("proceedings", None),
]
MOVED_TABLES = ["agenda_speakerlink", "agenda_slidedeck", "agenda_rendereddocument"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _row_counts() -> dict[str, int]:
    """Rows per table, the migrations' own record (django_migrations) aside."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - {"django_migrations"}
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # our own table names
            counts[table] = cursor.fetchone()[0]
    return counts


def _sequence_value(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {name}")  # our own sequence names
        return cursor.fetchone()[0]


def _content_type_labels() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT model, app_label FROM django_content_type WHERE model = ANY(%s)",
            [["speakerlink", "slidedeck", "rendereddocument"]],
        )
        return dict(cursor.fetchall())


def _load_seed_as_it_was(old_apps) -> None:
    """The seed fixture written through the models as they were (the current ones have columns,
    such as the texts' French and Spanish ones, that the old tables lack). The publication was
    the agenda's then; fields the old models lack are left out."""
    objects = json.loads((settings.BASE_DIR / "fixtures" / "geneva-2006.json").read_text())
    many = []
    for data in objects:
        app_label, model_name = data["model"].split(".")
        try:
            model = old_apps.get_model(app_label, model_name)
        except LookupError:
            model = old_apps.get_model("agenda", model_name)
        fields = {}
        for field in model._meta.get_fields():
            if field.name not in data["fields"]:
                continue
            value = data["fields"][field.name]
            if field.many_to_many:
                many.append((model, data["pk"], field.name, value))
            elif field.concrete:
                fields[field.attname] = value
        model.objects.create(pk=data["pk"], **fields)
    for model, pk, name, values in many:
        getattr(model.objects.get(pk=pk), name).set(values)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), old_apps.get_models()):
            cursor.execute(statement)


def _old_rows(old_apps) -> None:
    """The seed, and rows of the models that move, written with the models as they were."""
    _load_seed_as_it_was(old_apps)
    event = old_apps.get_model("agenda", "Event").objects.get()
    presentation = old_apps.get_model("agenda", "Presentation").objects.filter(item__event=event)[0]
    speaker = presentation.speakers.all()[0]
    later = timezone.now() + datetime.timedelta(days=30)
    old_apps.get_model("agenda", "SpeakerLink").objects.create(
        event_id=event.pk, person_id=speaker.pk, token_hash="a" * 64, expires_at=later
    )
    old_apps.get_model("agenda", "SlideDeck").objects.create(
        presentation_id=presentation.pk,
        person_id=speaker.pk,
        file="slides/0123456789abcdef0123456789abcdef.pdf",
        file_type="pdf",
        size=1234,
    )
    old_apps.get_model("agenda", "RenderedDocument").objects.create(
        event_id=event.pk, kind="programme", key="", content=b"%PDF-1.7 stored", state="ready"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('agenda_participant_lists_version', 41)")


def test_database_before_the_layout_migrates_with_every_row_kept():
    latest = _latest()
    executor = _migrate(BEFORE_LAYOUT)
    try:
        old_apps = executor.loader.project_state([t for t in BEFORE_LAYOUT if t[1]]).apps
        _old_rows(old_apps)
        before = _row_counts()
        labels_before = _content_type_labels()

        _migrate(latest)

        after = _row_counts()
        # Rows later migrations add on purpose: the organizers' four roles with their
        # permissions, and the registration settings row every event has.
        added = {"auth_group", "auth_group_permissions", "registration_registrationsettings"}
        assert {table: after[table] for table in before if table not in added} == {
            table: count for table, count in before.items() if table not in added
        }
        assert after["auth_group"] == before["auth_group"] + 4
        assert after["registration_registrationsettings"] == before["agenda_event"]
        assert all(before[table] == 1 for table in MOVED_TABLES)
        assert before["agenda_event"] == 1
        assert len(labels_before) == 3
        assert _sequence_value("registration_participant_lists_version") == 41
        moved = {"speakerlink": "speakers", "slidedeck": "speakers"}
        moved["rendereddocument"] = "documents"
        assert {model: _content_type_labels()[model] for model in labels_before} == {
            model: moved[model] for model in labels_before
        }
    finally:
        _migrate(_latest())
