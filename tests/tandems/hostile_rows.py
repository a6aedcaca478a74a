"""Hostile input for every form of the tandems: the steps of a tandem, check-ins, proposals, the batch,
releases and the handover of a caseload (tests/hostile.py)."""

from core.links import link_create
from core.models import EndReason, LinkPurpose
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, TandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.hostile import HostileRow


def populate(world) -> None:
    coordinator = world.users["coordinator"]
    world.tandems_hostile_proposed = TandemFactory(organisation=world.org, coordinator=coordinator)
    world.tandems_hostile_active = ActiveTandemFactory(organisation=world.org, coordinator=coordinator)
    world.tandems_hostile_waiting = WaitingRefugeeFactory(organisation=world.org)
    world.tandems_hostile_volunteer = ReadyVolunteerFactory(organisation=world.org)
    world.tandems_hostile_fwz_volunteer = ReadyVolunteerFactory(organisation=world.fwz)
    _link, world.tandems_hostile_token = link_create(
        person=world.tandems_hostile_active.refugee,
        purpose=LinkPurpose.CHECKIN,
        about=world.tandems_hostile_active,
    )


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _end_reason(w) -> dict[str, str]:
    return {"end_reason": str(EndReason.objects.filter(is_active=True).first().pk)}


CHECKIN = {
    "held_on": "date",
    "channel": "choice",
    "contact_with": "choice",
    "mood": "choice",
    "topics": "text",
    "follow_up": "text",
    "follow_up_on": "date",
    "fulfils_plan": "bool",
}

PARTICIPANT_CHECKIN = {
    "step": "choice",
    "met": "choice",
    "mood": "choice",
    "areas": "int",
    "text": "text",
    "back": "bool",
}


def _token(w) -> dict:
    return {"token": w.tandems_hostile_token}


ROWS = [
    HostileRow("participant:checkin", PARTICIPANT_CHECKIN, role="anonymous", kwargs=_token),
    HostileRow(
        "participant:checkin",
        {"text": "text", "areas": "int"},
        role="anonymous",
        kwargs=_token,
        fixed={"step": "text", "met": "yes", "mood": "green"},
        note="the last screen, valid but for the text",
    ),
    HostileRow("tandems:participant_links_revoke", {"side": "choice"}, kwargs=_pk("tandems_hostile_active")),
    HostileRow(
        "tandems:tandem_edit", {"coordinator": "int", "notes": "text"}, kwargs=_pk("tandems_hostile_active")
    ),
    HostileRow(
        "tandems:tandem_introduce",
        {"introduced_on": "date", "send_letter": "bool"},
        kwargs=_pk("tandems_hostile_proposed"),
    ),
    HostileRow("tandems:tandem_start", {"started_on": "date"}, kwargs=_pk("tandems_hostile_proposed")),
    HostileRow(
        "tandems:tandem_end",
        {
            "ended_on": "date",
            "end_reason": "int",
            "closing_notes": "text",
            "volunteer_wants_new": "choice",
            "refugee_needs_new": "choice",
        },
        kwargs=_pk("tandems_hostile_active"),
    ),
    HostileRow(
        "tandems:tandem_end",
        {"closing_notes": "text"},
        kwargs=_pk("tandems_hostile_active"),
        fixed=lambda w: {
            **_end_reason(w),
            "ended_on": "2026-11-20",
            "volunteer_wants_new": "yes",
            "refugee_needs_new": "no",
        },
        note="valid but for the notes",
    ),
    HostileRow("tandems:tandem_not_started", {"reason": "text"}, kwargs=_pk("tandems_hostile_proposed")),
    HostileRow("tandems:checkin_create", CHECKIN, kwargs=_pk("tandems_hostile_active")),
    HostileRow(
        "tandems:checkin_create",
        {"topics": "text", "follow_up": "text"},
        kwargs=_pk("tandems_hostile_active"),
        fixed={"held_on": "2026-11-20", "channel": "phone", "contact_with": "both", "mood": "green"},
        note="valid but for the texts",
    ),
    HostileRow("tandems:tandem_propose", {"refugee": "int", "volunteer": "int"}),
    HostileRow(
        "tandems:tandem_propose",
        {"volunteer": "int"},
        fixed=lambda w: {"refugee": str(w.tandems_hostile_waiting.pk)},
        note="a waiting refugee",
    ),
    HostileRow("tandems:volunteer_release", {"volunteer": "int", "organisation": "int", "released": "bool"}),
    HostileRow(
        "tandems:volunteer_release",
        {"organisation": "int", "released": "bool"},
        fixed=lambda w: {"volunteer": str(w.tandems_hostile_fwz_volunteer.pk)},
        note="an FWZ volunteer",
    ),
    HostileRow("tandems:tandem_batch", {"pair": "text"}),
    HostileRow(
        "tandems:caseload_handover",
        {"to_coordinator": "int", "scope": "choice", "tandems": "int"},
    ),
    HostileRow(
        "tandems:caseload_handover",
        {"to_coordinator": "int", "tandems": "int"},
        fixed={"scope": "ticked"},
        note="ticked tandems",
    ),
]
