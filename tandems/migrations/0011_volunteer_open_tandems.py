"""Each volunteer keeps the number of their open tandems (proposed, introduced, active) in
`volunteers_volunteer.open_tandems`, so that matching reads a volunteer's free places from the row
(`capacity > open_tandems`, answered by the partial index `volunteer_matchable_idx`) instead of joining
and grouping every tandem for each suggestion (issue #21).

The database keeps the count right on every write, whatever writes it (services, admin, bulk_create,
QuerySet.update/delete, raw SQL), the same way as the check-in summary (0004): statement-level triggers on
tandems_tandem touch the volunteers whose open tandems changed, and a row trigger on volunteers_volunteer
recomputes the count from the tandems, so no writer can put another value there (a Django save of an
instance loaded before a tandem was proposed writes its stale count, and the trigger replaces it). Plain
PL/pgSQL, no extension; the existing rows are filled in here."""

from django.db import migrations

FORWARD = """
-- BEFORE INSERT OR UPDATE on a volunteer: the count comes from the tandems, never from the writer. On an
-- update it is recomputed when the tandem trigger below touched the row (trigger depth > 1) or when the
-- statement tries to change it; any other update (name, status, ...) keeps it and costs nothing extra.
CREATE OR REPLACE FUNCTION volunteers_volunteer_fill_open_tandems() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() = 1
       AND NEW.open_tandems IS NOT DISTINCT FROM OLD.open_tandems THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO NEW.open_tandems FROM tandems_tandem t
     WHERE t.volunteer_id = NEW.id AND t.status IN ('proposed', 'introduced', 'active');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- AFTER each statement on the tandems: touch every volunteer whose open tandems changed (a tandem opened,
-- closed, deleted or moved to another volunteer), on both sides of a move. The touch runs the BEFORE
-- trigger above, which recomputes after the row lock is taken.
CREATE OR REPLACE FUNCTION tandems_tandem_touch_volunteers() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE volunteers_volunteer v SET open_tandems = v.open_tandems
         WHERE v.id IN (SELECT volunteer_id FROM tandem_new
                         WHERE status IN ('proposed', 'introduced', 'active'));
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE volunteers_volunteer v SET open_tandems = v.open_tandems
         WHERE v.id IN (SELECT volunteer_id FROM tandem_old
                         WHERE status IN ('proposed', 'introduced', 'active'));
    ELSE
        UPDATE volunteers_volunteer v SET open_tandems = v.open_tandems
         WHERE v.id IN (
            SELECT volunteer_id FROM (
                SELECT id, volunteer_id FROM tandem_old WHERE status IN ('proposed', 'introduced', 'active')
                EXCEPT SELECT id, volunteer_id FROM tandem_new
                        WHERE status IN ('proposed', 'introduced', 'active')
            ) gone
            UNION
            SELECT volunteer_id FROM (
                SELECT id, volunteer_id FROM tandem_new WHERE status IN ('proposed', 'introduced', 'active')
                EXCEPT SELECT id, volunteer_id FROM tandem_old
                        WHERE status IN ('proposed', 'introduced', 'active')
            ) came
         );
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER volunteers_volunteer_open_tandems
    BEFORE INSERT OR UPDATE ON volunteers_volunteer
    FOR EACH ROW EXECUTE FUNCTION volunteers_volunteer_fill_open_tandems();

-- the existing rows: recomputed by the trigger above (a changed value counts as the writer's, so recount)
UPDATE volunteers_volunteer v SET open_tandems = v.open_tandems + 1;

CREATE TRIGGER tandems_tandem_open_insert
    AFTER INSERT ON tandems_tandem REFERENCING NEW TABLE AS tandem_new
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_tandem_touch_volunteers();
CREATE TRIGGER tandems_tandem_open_update
    AFTER UPDATE ON tandems_tandem REFERENCING OLD TABLE AS tandem_old NEW TABLE AS tandem_new
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_tandem_touch_volunteers();
CREATE TRIGGER tandems_tandem_open_delete
    AFTER DELETE ON tandems_tandem REFERENCING OLD TABLE AS tandem_old
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_tandem_touch_volunteers();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS tandems_tandem_open_insert ON tandems_tandem;
DROP TRIGGER IF EXISTS tandems_tandem_open_update ON tandems_tandem;
DROP TRIGGER IF EXISTS tandems_tandem_open_delete ON tandems_tandem;
DROP TRIGGER IF EXISTS volunteers_volunteer_open_tandems ON volunteers_volunteer;
DROP FUNCTION IF EXISTS tandems_tandem_touch_volunteers();
DROP FUNCTION IF EXISTS volunteers_volunteer_fill_open_tandems();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0010_hourslog"),
        ("volunteers", "0015_open_tandems"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
