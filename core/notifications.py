"""The admins' switches for automatic messages (`NotificationSetting`), and where links in them point.

Every reminder, digest and notification has a code here; the job or service that sends it calls
`notification_active(code)` before it queues anything through `core.outbox.message_queue`. A code without
a row (a fresh database before the seed migration ran) counts as switched on: German default behaviour is
to remind, an admin switches off in *Administration → Automatische Nachrichten*.
"""

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.models import NotificationSetting

COORDINATOR_DIGEST = "coordinator_digest"
TRAINING_REMINDER = "training_reminder"
CLEARANCE_EXPIRY = "clearance_expiry"
REFERRER_TANDEM_STARTED = "referrer_tandem_started"
REFERRER_TANDEM_ENDED = "referrer_tandem_ended"
TANDEM_HANDED_OVER = "tandem_handed_over"
PARTICIPANT_CHECKIN_LINKS = "participant_checkin_links"
PARTICIPANT_HELP_ALERT = "participant_help_alert"
PARTICIPANT_SURVEY_LINKS = "participant_survey_links"

NOTIFICATIONS: dict[str, Promise] = {
    COORDINATOR_DIGEST: _("Daily digest to coordinators"),
    TRAINING_REMINDER: _("Reminder to volunteers the day before a training"),
    CLEARANCE_EXPIRY: _("Police clearance expiry notice to volunteers (60 days ahead)"),
    REFERRER_TANDEM_STARTED: _("Referrer: the person referred is in a tandem"),
    REFERRER_TANDEM_ENDED: _("Referrer: the tandem of the person referred has ended"),
    TANDEM_HANDED_OVER: _("Coordinator: tandems handed over to you"),
    PARTICIPANT_CHECKIN_LINKS: _("Volunteers and households: the link to their check-in, on the cadence"),
    PARTICIPANT_HELP_ALERT: _('Coordinator: a participant pressed "I need help"'),
    PARTICIPANT_SURVEY_LINKS: _(
        "Volunteers and households: the relationship survey at 1, 3, 6 and 12 months"
    ),
}


def notification_label(code: str) -> Promise | str:
    return NOTIFICATIONS.get(code, code)


def notification_active(code: str) -> bool:
    """Is this automatic message switched on? (one query)"""
    found = NotificationSetting.objects.filter(code=code).values_list("is_active", flat=True).first()
    return True if found is None else found


def site_link(path: str) -> str:
    """An absolute link into the application for a message sent outside a request (`SITE_URL`)."""
    return settings.SITE_URL.rstrip("/") + path
