"""The audit trail is append-only in the database, not only in the code: a trigger refuses every UPDATE and
DELETE of `core_auditentry` rows, whoever sends it (a bug, a shell, raw SQL), with two exceptions:

- the scrub of personal values during anonymisation: `core.services.audit_scrub` sets
  `tenk.audit_scrub = 'on'` for its transaction (`set_config(..., true)`), and then only `changes`,
  `object_repr` and `is_scrubbed` (to true) may change;
- the unlinking of a deleted staff user: `actor` is `on_delete=SET_NULL`, so an UPDATE that sets `actor_id`
  to NULL and changes nothing else is allowed (`actor_repr` keeps who it was).

TRUNCATE is not a row operation and stays possible for the table's owner (the test suite's flush uses it).
Plain PL/pgSQL, no extension."""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION core_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    scrubbing boolean := coalesce(current_setting('tenk.audit_scrub', true), '') = 'on';
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit entries cannot be deleted (entry %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.at IS DISTINCT FROM OLD.at
        OR NEW.action IS DISTINCT FROM OLD.action
        OR NEW.content_type_id IS DISTINCT FROM OLD.content_type_id
        OR NEW.object_id IS DISTINCT FROM OLD.object_id
        OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
        OR NEW.actor_repr IS DISTINCT FROM OLD.actor_repr
        OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND (NEW.actor_id IS NOT NULL OR scrubbing))
        OR (NOT scrubbing AND (
            NEW.changes IS DISTINCT FROM OLD.changes
            OR NEW.object_repr IS DISTINCT FROM OLD.object_repr
            OR NEW.is_scrubbed IS DISTINCT FROM OLD.is_scrubbed))
        OR (scrubbing AND NOT NEW.is_scrubbed)
    THEN
        RAISE EXCEPTION 'audit entries cannot be changed (entry %)', OLD.id
            USING ERRCODE = 'restrict_violation',
                  HINT = 'Only core.services.audit_scrub may remove personal values.';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0008_auditentry_organisation")]
    operations = [migrations.RunSQL(CREATE, DROP)]
