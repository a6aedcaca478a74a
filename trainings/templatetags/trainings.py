from django import template

from trainings.selectors import training_hours_for, training_registrations_for
from volunteers.models import Volunteer

register = template.Library()


@register.inclusion_tag("trainings/_volunteer_trainings.html")
def volunteer_trainings(volunteer: Volunteer) -> dict:
    """A volunteer's sessions and total training hours, for the volunteer's page:
    `{% load trainings %}{% volunteer_trainings volunteer %}`."""
    registrations = list(training_registrations_for(volunteer=volunteer))
    hours = training_hours_for(volunteer=volunteer, registrations=registrations)
    return {"volunteer": volunteer, "registrations": registrations, "training_hours": hours}
