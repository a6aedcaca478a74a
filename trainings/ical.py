"""Sessions as iCalendar (RFC 5545): the calendar feed and the invitations' attachment."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vUri

from trainings.models import Session

PRODID = "-//Freiwilligenzentrum Hannover//10.000 Freunde//DE"
UID_DOMAIN = "10000freunde.fwz-hannover.example"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def sessions_ical(sessions: Iterable[Session], *, name: str) -> bytes:
    """One VEVENT per session. No participant is named: the feed may be read through a secret link."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", str(session.course_type))
        if session.place:
            event.add("location", session.place)
        elif session.online_url:
            event.add("location", session.online_url)
        if session.online_url:
            event.add("url", vUri(session.online_url))
        lines = [session.course_type.description] if session.course_type.description else []
        if session.trainer:
            lines.append(gettext("Trainer: %(name)s") % {"name": session.trainer})
        if session.online_url:
            lines.append(gettext("Online: %(url)s") % {"url": session.online_url})
        lines.append(gettext("Organised by %(organisation)s") % {"organisation": session.organisation.name})
        event.add("description", "\n".join(lines))
        event.add("last-modified", session.updated_at)
        calendar.add_component(event)
    return calendar.to_ical()
