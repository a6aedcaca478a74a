"""Each tandem keeps a summary of its check-ins (last contact, the two latest moods, the next planned
check-in), so that the support flags and the caseload read four columns instead of running four correlated
subqueries per tandem (issue #10).

The database keeps the summary right on every write of a check-in, whatever writes it (services, admin,
bulk_create, QuerySet.update/delete, raw SQL): statement-level triggers on tandems_checkin touch the
affected tandems, and a row trigger on tandems_tandem recomputes the four columns from the check-ins, so no
writer can put other values there. Plain PL/pgSQL, no extension; the existing rows are filled in here."""

from django.db import migrations, models

FORWARD = """
-- the summary of one tandem's check-ins, as the support flags read it
CREATE OR REPLACE FUNCTION tandems_checkin_summary(
    tandem bigint,
    OUT last_contact_on date,
    OUT latest_mood varchar,
    OUT previous_mood varchar,
    OUT next_due_on date
) AS $$
    SELECT
        (SELECT c.held_on FROM tandems_checkin c
          WHERE c.tandem_id = tandem AND c.held_on IS NOT NULL
          ORDER BY c.held_on DESC, c.id DESC LIMIT 1),
        coalesce((SELECT c.mood FROM tandems_checkin c
                   WHERE c.tandem_id = tandem AND c.held_on IS NOT NULL
                   ORDER BY c.held_on DESC, c.id DESC LIMIT 1), ''),
        coalesce((SELECT c.mood FROM tandems_checkin c
                   WHERE c.tandem_id = tandem AND c.held_on IS NOT NULL
                   ORDER BY c.held_on DESC, c.id DESC OFFSET 1 LIMIT 1), ''),
        (SELECT min(c.planned_on) FROM tandems_checkin c
          WHERE c.tandem_id = tandem AND c.held_on IS NULL)
$$ LANGUAGE sql STABLE;

-- BEFORE INSERT OR UPDATE on a tandem: the four columns come from the check-ins, never from the writer.
-- On an update they are recomputed when the check-in trigger below touched the row (trigger depth > 1)
-- or when the statement tries to change them (e.g. a Django save of an instance loaded before a check-in
-- was logged); any other update (status, coordinator, ...) keeps them and costs nothing extra.
CREATE OR REPLACE FUNCTION tandems_tandem_fill_checkin_summary() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() = 1
       AND NEW.last_contact_on IS NOT DISTINCT FROM OLD.last_contact_on
       AND NEW.latest_mood IS NOT DISTINCT FROM OLD.latest_mood
       AND NEW.previous_mood IS NOT DISTINCT FROM OLD.previous_mood
       AND NEW.next_due_on IS NOT DISTINCT FROM OLD.next_due_on THEN
        RETURN NEW;
    END IF;
    SELECT s.last_contact_on, s.latest_mood, s.previous_mood, s.next_due_on
      INTO NEW.last_contact_on, NEW.latest_mood, NEW.previous_mood, NEW.next_due_on
      FROM tandems_checkin_summary(NEW.id) s;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- AFTER each statement on the check-ins: touch every tandem whose check-ins changed in a way the
-- summary sees (tandem, date held, mood, date planned), on both sides of a move to another tandem. The
-- touch runs the BEFORE trigger above, which recomputes after the row lock is taken, so two
-- transactions logging check-ins of one tandem at the same time are serialised and both counted.
CREATE OR REPLACE FUNCTION tandems_checkin_touch_tandems() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE tandems_tandem t SET next_due_on = t.next_due_on
         WHERE t.id IN (SELECT tandem_id FROM checkin_new);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE tandems_tandem t SET next_due_on = t.next_due_on
         WHERE t.id IN (SELECT tandem_id FROM checkin_old);
    ELSE
        UPDATE tandems_tandem t SET next_due_on = t.next_due_on
         WHERE t.id IN (
            SELECT tandem_id FROM (
                SELECT id, tandem_id, held_on, mood, planned_on FROM checkin_old
                EXCEPT SELECT id, tandem_id, held_on, mood, planned_on FROM checkin_new
            ) gone
            UNION
            SELECT tandem_id FROM (
                SELECT id, tandem_id, held_on, mood, planned_on FROM checkin_new
                EXCEPT SELECT id, tandem_id, held_on, mood, planned_on FROM checkin_old
            ) came
         );
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

UPDATE tandems_tandem t
   SET (last_contact_on, latest_mood, previous_mood, next_due_on) = (
        SELECT s.last_contact_on, s.latest_mood, s.previous_mood, s.next_due_on
          FROM tandems_checkin_summary(t.id) s
   );

CREATE TRIGGER tandems_tandem_checkin_summary
    BEFORE INSERT OR UPDATE ON tandems_tandem
    FOR EACH ROW EXECUTE FUNCTION tandems_tandem_fill_checkin_summary();

CREATE TRIGGER tandems_checkin_summary_insert
    AFTER INSERT ON tandems_checkin REFERENCING NEW TABLE AS checkin_new
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_checkin_touch_tandems();
CREATE TRIGGER tandems_checkin_summary_update
    AFTER UPDATE ON tandems_checkin REFERENCING OLD TABLE AS checkin_old NEW TABLE AS checkin_new
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_checkin_touch_tandems();
CREATE TRIGGER tandems_checkin_summary_delete
    AFTER DELETE ON tandems_checkin REFERENCING OLD TABLE AS checkin_old
    FOR EACH STATEMENT EXECUTE FUNCTION tandems_checkin_touch_tandems();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS tandems_checkin_summary_insert ON tandems_checkin;
DROP TRIGGER IF EXISTS tandems_checkin_summary_update ON tandems_checkin;
DROP TRIGGER IF EXISTS tandems_checkin_summary_delete ON tandems_checkin;
DROP TRIGGER IF EXISTS tandems_tandem_checkin_summary ON tandems_tandem;
DROP FUNCTION IF EXISTS tandems_checkin_touch_tandems();
DROP FUNCTION IF EXISTS tandems_tandem_fill_checkin_summary();
DROP FUNCTION IF EXISTS tandems_checkin_summary(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tandems", "0003_default_weights_and_cadence"),
    ]

    operations = [
        migrations.AddField(
            model_name="tandem",
            name="last_contact_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="Last contact"),
        ),
        migrations.AddField(
            model_name="tandem",
            name="latest_mood",
            field=models.CharField(
                blank=True,
                choices=[
                    ("green", "going well"),
                    ("yellow", "some difficulties"),
                    ("red", "serious problems"),
                ],
                default="",
                editable=False,
                max_length=10,
                verbose_name="latest mood",
            ),
        ),
        migrations.AddField(
            model_name="tandem",
            name="next_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="Next check-in"),
        ),
        migrations.AddField(
            model_name="tandem",
            name="previous_mood",
            field=models.CharField(
                blank=True,
                choices=[
                    ("green", "going well"),
                    ("yellow", "some difficulties"),
                    ("red", "serious problems"),
                ],
                default="",
                editable=False,
                max_length=10,
                verbose_name="previous mood",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
