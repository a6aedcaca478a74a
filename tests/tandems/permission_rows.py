"""Who may reach the tandem pages: coordinators everywhere, partner coordinators inside their organisation
(another organisation's tandem answers 404), everybody else 403."""

import datetime

from core.links import link_create
from core.models import LinkPurpose
from tandems.models import HelpRequest, HoursLog
from tandems.selfservice import selfservice_link_create
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory, TandemFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.permissions import LOGIN, Row, expect, staff_only


def populate(world) -> None:
    coordinator, partner = world.users["coordinator"], world.users["partner"]
    world.tandems_proposed = TandemFactory(organisation=world.org, coordinator=partner)
    world.tandems_active = ActiveTandemFactory(organisation=world.org, coordinator=partner)
    world.tandems_other = ActiveTandemFactory(organisation=world.other_org, coordinator=coordinator)
    world.tandems_checkin = CheckInFactory(tandem=world.tandems_active)
    world.tandems_other_checkin = CheckInFactory(tandem=world.tandems_other)
    world.tandems_waiting = WaitingRefugeeFactory(organisation=world.org)
    world.tandems_other_waiting = WaitingRefugeeFactory(organisation=world.other_org)
    world.tandems_volunteer = ReadyVolunteerFactory(organisation=world.org)
    world.tandems_other_volunteer = ReadyVolunteerFactory(organisation=world.other_org)
    world.tandems_fwz_volunteer = ReadyVolunteerFactory(organisation=world.fwz)
    # the participants' pages: a valid personal link of the active tandem's volunteer, requests for help
    _link, world.tandems_link_token = link_create(
        person=world.tandems_active.volunteer, purpose=LinkPurpose.CHECKIN, about=world.tandems_active
    )
    # the relationship survey: a valid survey link of the active tandem's household (wave 1: started 45 days ago)
    _link, world.tandems_survey_token = link_create(
        person=world.tandems_active.refugee, purpose=LinkPurpose.SURVEY, about=world.tandems_active
    )
    # a volunteer's self-service link, a session to book and a row of hours of another volunteer
    _link, world.tandems_self_token = selfservice_link_create(
        volunteer=world.tandems_active.volunteer, actor=None
    )
    world.tandems_session = SessionFactory(organisation=world.org)
    world.tandems_other_hours = HoursLog.objects.create(
        tandem=world.tandems_other, spent_on=datetime.date.today(), hours=1
    )
    world.tandems_help = HelpRequest.objects.create(tandem=world.tandems_active, by="volunteer")
    world.tandems_other_help = HelpRequest.objects.create(tandem=world.tandems_other, by="household")


def everybody(code: int) -> dict[str, int]:
    """The participants' pages answer the same whoever is logged in: the link decides, not the session."""
    return expect(
        **dict.fromkeys(
            ("anonymous", "coordinator", "partner", "referrer", "steering", "evaluator", "admin"), code
        )
    )


def _token(w) -> dict:
    return {"token": w.tandems_link_token}


def _no_link(w) -> dict:
    return {"token": "WzEsIngiXQ:1abcde:forged-signature"}


def _survey(w) -> dict:
    return {"token": w.tandems_survey_token}


def _self(w) -> dict:
    return {"token": w.tandems_self_token}


def in_org(ok: int = 200, other: int = 200) -> dict[str, int]:
    """A page for one tandem: `other` is the partner's answer for another organisation's record."""
    return expect(
        anonymous=LOGIN, coordinator=ok, partner=other, referrer=403, steering=403, evaluator=403, admin=403
    )


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


ROWS = [
    Row("tandems:tandem_list", staff_only()),
    Row("tandems:tandem_list", staff_only(), query="?format=csv", note="export"),
    Row("tandems:tandem_list", staff_only(), query="?at_risk=true&status=active", note="filtered"),
    Row("tandems:tandem_detail", in_org(), kwargs=_pk("tandems_active")),
    Row("tandems:tandem_detail", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"),
    Row("tandems:tandem_edit", in_org(), kwargs=_pk("tandems_active")),
    Row("tandems:tandem_edit", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"),
    Row("tandems:tandem_introduce", in_org(), kwargs=_pk("tandems_proposed")),
    Row(
        "tandems:tandem_introduce",
        in_org(ok=302, other=302),
        kwargs=_pk("tandems_proposed"),
        method="post",
        data=lambda w: {"introduced_on": "2026-11-20"},
    ),
    Row("tandems:tandem_agreement", in_org(), kwargs=_pk("tandems_active")),
    Row(
        "tandems:tandem_agreement", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"
    ),
    Row(
        "tandems:tandem_agreement_send",
        in_org(ok=302, other=302),
        kwargs=_pk("tandems_active"),
        method="post",
    ),
    Row(
        "tandems:tandem_agreement_send",
        in_org(ok=302, other=404),
        kwargs=_pk("tandems_other"),
        method="post",
        note="other organisation",
    ),
    Row("tandems:tandem_start", in_org(), kwargs=_pk("tandems_proposed")),
    Row("tandems:tandem_end", in_org(), kwargs=_pk("tandems_active")),
    Row("tandems:tandem_end", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"),
    Row(
        "tandems:tandem_end",
        in_org(ok=200, other=404),
        kwargs=_pk("tandems_other"),
        method="post",
        data=lambda w: {"ended_on": "2099-01-01"},
        note="bad input: form again, nothing ended",
    ),
    # the closure (issue #20): start it with one click, then the page of the exit conversations
    Row(
        "tandems:tandem_closing_start",
        in_org(ok=302, other=302),
        kwargs=_pk("tandems_active"),
        method="post",
    ),
    Row(
        "tandems:tandem_closing_start",
        in_org(ok=302, other=404),
        kwargs=_pk("tandems_other"),
        method="post",
        note="other organisation",
    ),
    Row("tandems:tandem_closing", in_org(), kwargs=_pk("tandems_active")),
    Row("tandems:tandem_closing", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"),
    Row(
        "tandems:tandem_closing",
        in_org(ok=200, other=404),
        kwargs=_pk("tandems_other"),
        method="post",
        data=lambda w: {"side": "volunteer", "held_on": "2099-01-01", "channel": "phone"},
        note="bad input: form again, nothing recorded",
    ),
    Row("tandems:tandem_not_started", in_org(), kwargs=_pk("tandems_proposed")),
    Row("tandems:checkin_create", in_org(), kwargs=_pk("tandems_active")),
    Row("tandems:checkin_create", in_org(other=404), kwargs=_pk("tandems_other"), note="other organisation"),
    Row(
        "tandems:checkin_delete",
        in_org(ok=302, other=302),
        kwargs=lambda w: {"pk": w.tandems_active.pk, "checkin_pk": w.tandems_checkin.pk},
        method="post",
    ),
    Row(
        "tandems:checkin_delete",
        in_org(ok=302, other=404),
        kwargs=lambda w: {"pk": w.tandems_other.pk, "checkin_pk": w.tandems_other_checkin.pk},
        method="post",
        note="other organisation",
    ),
    Row("tandems:tandem_suggest", staff_only()),
    Row(
        "tandems:tandem_suggest",
        in_org(),
        data=lambda w: {"refugee": w.tandems_waiting.pk, "blocked": "1"},
        note="volunteers for a refugee",
    ),
    Row(
        "tandems:tandem_suggest",
        in_org(other=404),
        data=lambda w: {"refugee": w.tandems_other_waiting.pk},
        note="refugee of another organisation",
    ),
    Row(
        "tandems:tandem_suggest",
        in_org(),
        data=lambda w: {"volunteer": w.tandems_volunteer.pk},
        note="refugees for a volunteer",
    ),
    Row(
        "tandems:tandem_suggest",
        in_org(other=404),
        data=lambda w: {"volunteer": w.tandems_other_volunteer.pk},
        note="volunteer of another organisation",
    ),
    Row("tandems:tandem_suggest", in_org(ok=404, other=404), data=lambda w: {"refugee": "x"}, note="bad id"),
    Row("tandems:tandem_batch", staff_only()),
    Row(
        "tandems:tandem_batch_explain",
        in_org(),
        data=lambda w: {"refugee": w.tandems_waiting.pk, "volunteer": w.tandems_volunteer.pk},
        note="one pair",
    ),
    Row(
        "tandems:tandem_batch_explain",
        in_org(other=404),
        data=lambda w: {"refugee": w.tandems_other_waiting.pk, "volunteer": w.tandems_other_volunteer.pk},
        note="pair of another organisation",
    ),
    Row(
        "tandems:tandem_batch_explain",
        in_org(ok=404, other=404),
        data=lambda w: {"refugee": "x", "volunteer": "y"},
        note="bad ids",
    ),
    Row("tandems:tandem_batch", staff_only(302), method="post", note="nothing ticked"),
    Row("tandems:tandem_batch_run", staff_only(302), method="post", note="queues the computation"),
    Row("tandems:caseload", staff_only()),
    Row("tandems:caseload_handover", staff_only(302), method="post", note="nothing chosen"),
    Row(
        "tandems:tandem_propose",
        staff_only(302),
        method="post",
        data=lambda w: {"refugee": w.tandems_waiting.pk, "volunteer": w.tandems_volunteer.pk},
    ),
    Row(
        "tandems:tandem_propose",
        in_org(ok=302, other=404),
        method="post",
        data=lambda w: {"refugee": w.tandems_other_waiting.pk, "volunteer": w.tandems_other_volunteer.pk},
        note="other organisation",
    ),
    Row(
        "tandems:volunteer_release",
        in_org(ok=302, other=404),
        method="post",
        data=lambda w: {"volunteer": w.tandems_fwz_volunteer.pk, "organisation": w.org.pk, "released": "1"},
        note="only the FWZ releases its volunteers",
    ),
    Row("participant:checkin", everybody(200), kwargs=_token, note="valid link"),
    Row("participant:checkin", everybody(200), kwargs=_no_link, note="no valid link: the friendly page"),
    Row(
        "participant:checkin",
        everybody(200),
        kwargs=_token,
        method="post",
        data=lambda w: {"step": "met", "met": "yes"},
        note="valid link, next question",
    ),
    Row(
        "participant:checkin",
        everybody(200),
        kwargs=_no_link,
        method="post",
        data=lambda w: {"step": "text", "met": "no", "mood": "green"},
        note="no valid link: nothing stored",
    ),
    # the relationship survey: the link decides; a check-in link is no survey link
    Row("participant:survey", everybody(200), kwargs=_survey, note="valid survey link"),
    Row("participant:survey", everybody(200), kwargs=_no_link, note="no valid link: the friendly page"),
    Row("participant:survey", everybody(200), kwargs=_token, note="a check-in link: the friendly page"),
    Row(
        "participant:survey",
        everybody(200),
        kwargs=_survey,
        method="post",
        data=lambda w: {"step": "0", "value": "4"},
        note="valid link, next statement",
    ),
    Row(
        "participant:survey",
        everybody(200),
        kwargs=_no_link,
        method="post",
        data=lambda w: {"step": "0", "value": "4"},
        note="no valid link: nothing stored",
    ),
    # a volunteer's self-service pages: the link decides; another purpose's link is no self-service link
    *[
        row
        for name in ("overview", "edit", "trainings", "hours")
        for row in (
            Row(f"selfservice:{name}", everybody(200), kwargs=_self, note="valid link"),
            Row(
                f"selfservice:{name}",
                everybody(200),
                kwargs=_no_link,
                note="no valid link: the friendly page",
            ),
            Row(
                f"selfservice:{name}",
                everybody(200),
                kwargs=_token,
                note="a check-in link: the friendly page",
            ),
        )
    ],
    Row("selfservice:certificate", everybody(200), kwargs=_self, note="valid link: the PDF"),
    Row("selfservice:channel_withdraw", everybody(303), kwargs=_self, method="post", note="valid link"),
    Row("selfservice:channel_withdraw", everybody(200), kwargs=_no_link, method="post", note="no valid link"),
    Row("selfservice:channel_withdraw", everybody(405), kwargs=_self, note="GET withdraws nothing"),
    Row("selfservice:erasure", everybody(200), kwargs=_self, note="valid link"),
    Row("selfservice:erasure", everybody(200), kwargs=_no_link, note="no valid link: the friendly page"),
    Row("selfservice:erasure", everybody(303), kwargs=_self, method="post", note="the request"),
    Row("selfservice:erasure", everybody(200), kwargs=_no_link, method="post", note="no valid link"),
    Row("selfservice:certificate", everybody(200), kwargs=_no_link, note="no valid link: the friendly page"),
    Row("selfservice:edit", everybody(200), kwargs=_self, method="post", note="bad input: the form again"),
    Row(
        "selfservice:register",
        everybody(303),
        kwargs=_self,
        method="post",
        data=lambda w: {"id": w.tandems_session.pk},
        note="valid link",
    ),
    Row("selfservice:register", everybody(405), kwargs=_self, note="GET books nothing"),
    Row(
        "selfservice:register",
        everybody(200),
        kwargs=_no_link,
        method="post",
        data=lambda w: {"id": w.tandems_session.pk},
        note="no valid link",
    ),
    Row(
        "selfservice:cancel",
        everybody(303),
        kwargs=_self,
        method="post",
        data=lambda w: {"id": 2**40},
        note="not one's own registration: the same answer",
    ),
    Row("selfservice:cancel", everybody(200), kwargs=_no_link, method="post", note="no valid link"),
    Row(
        "selfservice:hours_delete",
        everybody(303),
        kwargs=_self,
        method="post",
        data=lambda w: {"id": w.tandems_other_hours.pk},
        note="another volunteer's hours: not found, nothing deleted",
    ),
    Row("selfservice:hours_delete", everybody(200), kwargs=_no_link, method="post", note="no valid link"),
    Row("selfservice:request", everybody(200)),
    Row(
        "selfservice:request",
        everybody(303),
        method="post",
        data=lambda w: {"email": "niemand@example.org"},
        note="the same answer for any address",
    ),
    Row(
        "tandems:selfservice_link_send",
        in_org(ok=302, other=302),
        kwargs=_pk("tandems_volunteer"),
        method="post",
    ),
    Row(
        "tandems:selfservice_link_send",
        in_org(ok=302, other=404),
        kwargs=_pk("tandems_other_volunteer"),
        method="post",
        note="other organisation",
    ),
    Row(
        "tandems:selfservice_link_send",
        expect(
            anonymous=LOGIN,
            coordinator=405,
            partner=405,
            referrer=405,
            steering=405,
            evaluator=405,
            admin=405,
        ),
        kwargs=_pk("tandems_volunteer"),
        note="GET sends nothing",
    ),
    Row("participant:help", everybody(405), kwargs=_token, note="GET is no alarm"),
    Row("participant:help", everybody(200), kwargs=_token, method="post", note="valid link"),
    Row("participant:help", everybody(200), kwargs=_no_link, method="post", note="no valid link"),
    Row(
        "tandems:participant_links_revoke",
        in_org(ok=302, other=302),
        kwargs=_pk("tandems_active"),
        method="post",
        data=lambda w: {"side": "volunteer"},
    ),
    Row(
        "tandems:participant_links_revoke",
        in_org(ok=302, other=404),
        kwargs=_pk("tandems_other"),
        method="post",
        data=lambda w: {"side": "household"},
        note="other organisation",
    ),
    Row(
        "tandems:help_request_handled",
        in_org(ok=302, other=302),
        kwargs=lambda w: {"pk": w.tandems_active.pk, "help_pk": w.tandems_help.pk},
        method="post",
    ),
    Row(
        "tandems:help_request_handled",
        in_org(ok=302, other=404),
        kwargs=lambda w: {"pk": w.tandems_other.pk, "help_pk": w.tandems_other_help.pk},
        method="post",
        note="other organisation",
    ),
    Row(
        "tandems:help_request_handled",
        in_org(ok=404, other=404),
        kwargs=lambda w: {"pk": w.tandems_active.pk, "help_pk": w.tandems_other_help.pk},
        method="post",
        note="another tandem's request",
    ),
]
