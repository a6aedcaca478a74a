"""The database guards a volunteer's capacity: no insert or update may put a volunteer into more open
tandems (proposed, introduced, active) than `volunteers_volunteer.capacity`.

The trigger locks the volunteer row first (FOR UPDATE), so two transactions proposing the last free place
at the same time are serialised: the second one counts after the first has committed and is refused.
Plain PL/pgSQL, no extension."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION tandems_check_volunteer_capacity() RETURNS trigger AS $$
DECLARE
    allowed integer;
    taken integer;
BEGIN
    IF NEW.status NOT IN ('proposed', 'introduced', 'active') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IN ('proposed', 'introduced', 'active')
       AND OLD.volunteer_id = NEW.volunteer_id THEN
        RETURN NEW;  -- a move between open states takes no new place
    END IF;
    SELECT capacity INTO allowed FROM volunteers_volunteer WHERE id = NEW.volunteer_id FOR UPDATE;
    SELECT count(*) INTO taken FROM tandems_tandem
     WHERE volunteer_id = NEW.volunteer_id
       AND status IN ('proposed', 'introduced', 'active')
       AND id IS DISTINCT FROM NEW.id;
    IF taken >= allowed THEN
        RAISE EXCEPTION 'tandem_volunteer_capacity_exceeded: volunteer % has % of % places taken',
            NEW.volunteer_id, taken, allowed
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tandems_volunteer_capacity
    BEFORE INSERT OR UPDATE OF status, volunteer_id ON tandems_tandem
    FOR EACH ROW EXECUTE FUNCTION tandems_check_volunteer_capacity();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS tandems_volunteer_capacity ON tandems_tandem;
DROP FUNCTION IF EXISTS tandems_check_volunteer_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("tandems", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
