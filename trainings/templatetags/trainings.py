from decimal import Decimal

from django import template

from trainings.selectors import training_registrations_for
from volunteers.models import Volunteer

register = template.Library()


@register.inclusion_tag("trainings/_volunteer_trainings.html")
def volunteer_trainings(volunteer: Volunteer) -> dict:
    """A volunteer's sessions and total training hours, for the volunteer's page:
    `{% load trainings %}{% volunteer_trainings volunteer %}`."""
    registrations = list(training_registrations_for(volunteer=volunteer))
    # the same sum as `training_hours_for`, from the rows read anyway (each joined to its course)
    hours = sum(
        (row.session.course_type.duration_hours for row in registrations if row.attended), Decimal("0")
    )
    return {"volunteer": volunteer, "registrations": registrations, "training_hours": hours}
