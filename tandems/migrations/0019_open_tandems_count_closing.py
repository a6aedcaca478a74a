"""A closing tandem is open (0017, `tandems.models.OPEN_STATUSES`): the volunteer's kept count of open
tandems (0011) counts it too. The two functions of 0011 are replaced with the closing state added, and every
volunteer's count is recomputed."""

import importlib

from django.db import migrations

OPEN_0011 = "('proposed', 'introduced', 'active')"
OPEN_NOW = "('proposed', 'introduced', 'active', 'closing')"
RECOUNT = "UPDATE volunteers_volunteer v SET open_tandems = v.open_tandems + 1;"


def _functions(statuses: str) -> str:
    # the CREATE OR REPLACE FUNCTION part of 0011, before its triggers
    first = importlib.import_module("tandems.migrations.0011_volunteer_open_tandems").FORWARD
    functions = first.split("CREATE TRIGGER", 1)[0]
    return functions.replace(OPEN_0011, statuses) + RECOUNT


class Migration(migrations.Migration):
    dependencies = [("tandems", "0018_integration_outcomes")]

    operations = [migrations.RunSQL(_functions(OPEN_NOW), _functions(OPEN_0011))]
