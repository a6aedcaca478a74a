"""The coordinators' daily digest and the notifications about tandems (docs/messages.md).

Each message is switched on and off by an admin (`core.notifications`), goes through the outbox
(`core.outbox.message_queue`) and carries counts and links into the application, never a refugee's name or
any notes: an e-mail leaves the protected system, the link leads back into it behind the login.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation

from core.home import home_sections
from core.models import Membership, Organisation, OutboxMessage, User
from core.notifications import (
    COORDINATOR_DIGEST,
    REFERRER_TANDEM_ENDED,
    REFERRER_TANDEM_STARTED,
    TANDEM_HANDED_OVER,
    notification_active,
    site_link,
)
from core.outbox import message_queue
from core.permissions import users_with
from refugees.selectors import referrals_awaiting_intake
from tandems.models import Tandem
from tandems.selectors import checkins_due, tandems_at_risk
from volunteers.selectors import clearances_expiring, signups_to_screen

DIGEST_TEMPLATE = "tandems/email/digest"
REFERRER_IN_TANDEM_TEMPLATE = "tandems/email/referrer_in_tandem"
REFERRER_ENDED_TEMPLATE = "tandems/email/referrer_ended"
HANDED_OVER_TEMPLATE = "tandems/email/handed_over"

# who gets a digest: the staff with a caseload, i.e. whoever may work on tandems (FWZ coordinators and the
# partners' coordinators); asked of core.permissions, the one place that knows the roles
DIGEST_PERM = "tandems.change"


def _date(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def _section_link(key: str, fallback: str) -> str:
    """The start page section's own list link: the digest points where the start page points."""
    for section in home_sections():
        if section.key == key and section.list_url:
            return site_link(section.list_url())
    return site_link(fallback)


# ---------------------------------------------------------------------------------------------- the digest


@dataclass
class Digest:
    checkins_due: int
    checkins_overdue: int
    at_risk_ids: list[int]
    newly_at_risk: int
    clearances_expiring: int
    signups: int
    referrals: int

    @property
    def has_news(self) -> bool:
        """Worth an e-mail: something due or new; tandems still at risk since the last digest alone are not."""
        return bool(
            self.checkins_due
            or self.newly_at_risk
            or self.clearances_expiring
            or self.signups
            or self.referrals
        )


def coordinator_digest(
    *, user: User, today: datetime.date, at_risk_before: set[int] | frozenset[int] = frozenset()
) -> Digest:
    """The user's digest from the start page's selectors (mine=True): five queries, whatever the caseload.
    "Newly at risk" are the tandems at risk now that were not at risk in the last digest sent."""
    due = (
        checkins_due(user=user, mine=True, today=today)
        .order_by()
        .aggregate(due=Count("pk"), overdue=Count("pk", filter=Q(next_due_on__lt=today)))
    )
    at_risk = list(tandems_at_risk(user=user, mine=True, today=today).order_by().values_list("pk", flat=True))
    return Digest(
        checkins_due=due["due"],
        checkins_overdue=due["overdue"],
        at_risk_ids=sorted(at_risk),
        newly_at_risk=len(set(at_risk) - set(at_risk_before)),
        clearances_expiring=clearances_expiring(user=user, mine=True, today=today).order_by().count(),
        signups=signups_to_screen(user=user, mine=True).order_by().count(),
        referrals=referrals_awaiting_intake(user=user, mine=True).order_by().count(),
    )


def _digest_recipients() -> list[User]:
    """Active coordinators with an address, their memberships read in the same query batch (so the
    selectors' permission checks ask the database nothing more)."""
    users = list(
        users_with(perm=DIGEST_PERM, organisations=Organisation.objects.all())
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=Membership.objects.select_related("organisation"), to_attr="_rows"
            )
        )
    )
    for user in users:
        user._tenk_memberships = user._rows  # what core.permissions.memberships() caches
    return users


def _last_digests() -> dict[int, tuple[datetime.datetime, list[int]]]:
    """Per user the last digest queued: when, and which tandems were at risk then (one query)."""
    user_type = ContentType.objects.get_for_model(User)
    rows = (
        OutboxMessage.objects.filter(template=DIGEST_TEMPLATE, recipient_type=user_type)
        .order_by("recipient_id", "-queued_at", "-pk")
        .distinct("recipient_id")
        .values_list("recipient_id", "queued_at", "context")
    )
    return {pk: (queued_at, (context or {}).get("at_risk_ids", [])) for pk, queued_at, context in rows}


def coordinator_digests_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Queue the daily digest for every coordinator who has something waiting; nobody gets two on one day
    (a retried run skips those already served). Returns (queued, coordinators with nothing new)."""
    if not notification_active(COORDINATOR_DIGEST):
        return 0, 0
    today = today or timezone.localdate()
    last = _last_digests()
    links = {
        "link_home": site_link(reverse("core:home")),
        "link_checkins": _section_link("checkins-due", reverse("tandems:caseload")),
        "link_at_risk": _section_link("tandems-at-risk", reverse("tandems:tandem_list")),
        "link_clearances": _section_link("clearances-expiring", reverse("volunteers:volunteer_list")),
        "link_signups": _section_link("signups", reverse("volunteers:volunteer_inbox")),
        "link_referrals": _section_link("referrals", reverse("refugees:refugee_list")),
    }
    queued = empty = 0
    for user in _digest_recipients():
        queued_at, at_risk_before = last.get(user.pk, (None, []))
        if queued_at is not None and timezone.localdate(queued_at) == today:
            continue
        digest = coordinator_digest(user=user, today=today, at_risk_before=set(at_risk_before))
        if not digest.has_news:
            empty += 1
            continue
        result = message_queue(
            template=DIGEST_TEMPLATE,
            to=user,
            language=settings.LANGUAGE_CODE,
            context={
                "first_name": user.first_name or user.username,
                "date": _date(today),
                "checkins_due": digest.checkins_due,
                "checkins_overdue": digest.checkins_overdue,
                "newly_at_risk": digest.newly_at_risk,
                "at_risk": len(digest.at_risk_ids),
                "clearances_expiring": digest.clearances_expiring,
                "signups": digest.signups,
                "referrals": digest.referrals,
                **links,
                # not shown: the next digest compares against it to find the tandems newly at risk
                "at_risk_ids": digest.at_risk_ids,
            },
        )
        queued += result.is_queued
    return queued, empty


# ------------------------------------------------------------------------------- notifications about tandems


def _referrer_to_tell(tandem: Tandem) -> User | None:
    """The referrer of the tandem's refugee, if they opted in (`User.has_referral_updates`) and still work."""
    referrer = tandem.refugee.referred_by
    if referrer is None or not referrer.is_active or not referrer.has_referral_updates:
        return None
    return referrer


def referrer_notify_in_tandem(*, tandem: Tandem, actor: User | None) -> None:
    """Inside `tandem_introduce`'s transaction: "the person you referred is in a tandem since …"."""
    referrer = _referrer_to_tell(tandem)
    if referrer is None or not notification_active(REFERRER_TANDEM_STARTED):
        return
    coordinator = tandem.coordinator
    message_queue(
        template=REFERRER_IN_TANDEM_TEMPLATE,
        to=referrer,
        related=tandem,
        actor=actor,
        language=settings.LANGUAGE_CODE,
        context={
            "referred_on": _date(timezone.localdate(tandem.refugee.referred_at)),
            "since": _date(tandem.introduced_on),
            "coordinator": str(coordinator) if coordinator else "",
            "coordinator_email": coordinator.email if coordinator else "",
            "link": site_link(reverse("refugees:referral_detail", args=[tandem.refugee_id])),
        },
    )


def referrer_notify_ended(*, tandem: Tandem, actor: User | None) -> None:
    """Inside `tandem_end`'s transaction: "the tandem has ended", with the end reason's name only (a
    category an admin maintains), never the closing notes."""
    referrer = _referrer_to_tell(tandem)
    if referrer is None or not notification_active(REFERRER_TANDEM_ENDED):
        return
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(tandem.end_reason) if tandem.end_reason else ""
    message_queue(
        template=REFERRER_ENDED_TEMPLATE,
        to=referrer,
        related=tandem,
        actor=actor,
        language=settings.LANGUAGE_CODE,
        context={
            "referred_on": _date(timezone.localdate(tandem.refugee.referred_at)),
            "ended_on": _date(tandem.ended_on),
            "reason": reason,
            "link": site_link(reverse("refugees:referral_detail", args=[tandem.refugee_id])),
        },
    )


def handover_notify(*, to_coordinator: User, count: int, actor: User | None) -> None:
    """Inside `tandems_hand_over`'s transaction: tell the new responsible coordinator how many tandems
    they took over and where their caseload is (no names). Nobody is told about a hand-over to themselves."""
    if count == 0 or (actor is not None and actor.pk == to_coordinator.pk):
        return
    if not to_coordinator.is_active or not notification_active(TANDEM_HANDED_OVER):
        return
    message_queue(
        template=HANDED_OVER_TEMPLATE,
        to=to_coordinator,
        actor=actor,
        language=settings.LANGUAGE_CODE,
        context={
            "first_name": to_coordinator.first_name or to_coordinator.username,
            "count": count,
            "by": str(actor) if actor is not None and actor.is_authenticated else "",
            "link": site_link(reverse("tandems:caseload")),
        },
    )
