"""Database guards that a CheckConstraint cannot express because they span two tables, and the
sequence that versions public content for the page cache.

An agenda item must lie within its event's days and may only use its own event's sessions and
rooms; an event's days cannot shrink away from its items. Violations raise check_violation
(SQLSTATE 23514), which Django reports as IntegrityError, whatever wrote the row.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION agenda_agendaitem_check_event() RETURNS trigger AS $$
DECLARE
    ev agenda_event%ROWTYPE;
BEGIN
    SELECT * INTO ev FROM agenda_event WHERE id = NEW.event_id;
    IF NEW.date < ev.start_date OR NEW.date > ev.end_date THEN
        RAISE EXCEPTION 'agenda item % on % lies outside its event (% to %)',
            NEW.id, NEW.date, ev.start_date, ev.end_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agenda_agendaitem_within_event';
    END IF;
    IF NEW.session_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM agenda_session WHERE id = NEW.session_id AND event_id = NEW.event_id
    ) THEN
        RAISE EXCEPTION 'agenda item % uses a session of another event', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agenda_agendaitem_session_same_event';
    END IF;
    IF NEW.room_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM agenda_room WHERE id = NEW.room_id AND event_id = NEW.event_id
    ) THEN
        RAISE EXCEPTION 'agenda item % uses a room of another event', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agenda_agendaitem_room_same_event';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agenda_agendaitem_within_event
    BEFORE INSERT OR UPDATE OF date, event_id, session_id, room_id ON agenda_agendaitem
    FOR EACH ROW EXECUTE FUNCTION agenda_agendaitem_check_event();

CREATE FUNCTION agenda_event_check_items() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM agenda_agendaitem
        WHERE event_id = NEW.id AND (date < NEW.start_date OR date > NEW.end_date)
    ) THEN
        RAISE EXCEPTION 'event % has agenda items outside % to %', NEW.id, NEW.start_date, NEW.end_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agenda_agendaitem_within_event';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agenda_event_keeps_items
    BEFORE UPDATE OF start_date, end_date ON agenda_event
    FOR EACH ROW EXECUTE FUNCTION agenda_event_check_items();

-- The version of public content that cached pages are keyed by (idm_seminar.pagecache).
CREATE SEQUENCE agenda_content_version;
SELECT nextval('agenda_content_version');
"""

BACKWARD = """
DROP SEQUENCE IF EXISTS agenda_content_version;
DROP TRIGGER IF EXISTS agenda_event_keeps_items ON agenda_event;
DROP FUNCTION IF EXISTS agenda_event_check_items();
DROP TRIGGER IF EXISTS agenda_agendaitem_within_event ON agenda_agendaitem;
DROP FUNCTION IF EXISTS agenda_agendaitem_check_event();
"""


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
