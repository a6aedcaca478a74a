"""Who may do what in reporting: permission codes of `core/permissions.py`, nothing combined here.

- `reporting.view`: the dashboard (partner coordinators: their own organisation's figures only);
- `reporting.view_people`: the reader sees the people behind the figures anyway (coordinators and partner
  coordinators), so the figures are exact; everyone else gets them suppressed;
- `reporting.grant`: the annual grant report (coordinators, steering, evaluators; not partner coordinators,
  who see their own organisation's figures on the dashboard: the grant report is the programme's report
  to the city as a whole);
- `reporting.export_pseudonymised`: the evaluation export (coordinators and evaluators);
- `reporting.record_expenses`: recording expenses, the programme's own staff (coordinators); admins enter
  them in the admin.
"""

from core.models import User
from core.permissions import has_perm


def sees_people(user: User) -> bool:
    """May the user see the people behind the figures anyway (staff)? Then figures need no suppression."""
    return has_perm(user=user, perm="reporting.view_people")


def may_record_expenses(user: User) -> bool:
    return has_perm(user=user, perm="reporting.record_expenses")
