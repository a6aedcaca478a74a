"""Who may do what in reporting, on top of the permission codes in `core/permissions.py`.

- `reporting.view`: the dashboard (partner coordinators: their own organisation's figures only);
- `reporting.grant`: the annual grant report (coordinators, steering, evaluators; not partner coordinators,
  who see their own organisation's figures on the dashboard: the grant report is the programme's report
  to the city as a whole);
- `reporting.export_pseudonymised`: the evaluation export (coordinators and evaluators);
- recording expenses: the programme's own staff, i.e. users who hold both `reporting.grant` and the
  staff work (`volunteers.change`) in every organisation; admins enter them in the admin.
"""

from core.models import User
from core.permissions import ALL_ORGANISATIONS, has_perm


def sees_people(user: User) -> bool:
    """May the user see the people behind the figures anyway (staff)? Then figures need no suppression."""
    return has_perm(user=user, perm="volunteers.view") and has_perm(user=user, perm="refugees.view")


def may_record_expenses(user: User) -> bool:
    return (
        has_perm(user=user, perm="reporting.grant")
        and has_perm(user=user, perm="volunteers.change")
        and has_perm(user=user, perm=ALL_ORGANISATIONS)
    )
