from core.models import Role
from tests.factories.core import MembershipFactory
from tests.factories.trainings import PastSessionFactory, RegistrationFactory, SessionFactory
from tests.factories.volunteers import VolunteerFactory
from tests.permissions import LOGIN, Row, expect, staff_only
from trainings.models import CalendarToken

NOBODY_BUT_STAFF = staff_only()
REDIRECT = staff_only(302)


def populate(world):
    """A session of the FWZ and one of gEMiDe (the partner's organisation), each with registrations of
    both organisations' volunteers, and a calendar link of the coordinator."""
    if hasattr(world, "fwz_session"):
        return
    world.fwz_session = PastSessionFactory(organisation=world.fwz, capacity=5)
    world.own_session = SessionFactory(organisation=world.org)
    world.own_volunteer = VolunteerFactory(organisation=world.org)
    world.other_volunteer = VolunteerFactory(organisation=world.fwz)
    world.own_registration = RegistrationFactory(session=world.fwz_session, volunteer=world.own_volunteer)
    world.other_registration = RegistrationFactory(session=world.fwz_session, volunteer=world.other_volunteer)
    world.calendar_token = CalendarToken.objects.create(user=world.users["coordinator"])


def _fresh_registration(world, organisation):
    """A registration made just for a deleting request, so that each role deletes its own."""
    return RegistrationFactory(
        session=world.fwz_session, volunteer=VolunteerFactory(organisation=organisation)
    )


def _own_delete(world):
    return {"pk": _fresh_registration(world, world.org).pk}


def _other_delete(world):
    return {"pk": _fresh_registration(world, world.fwz).pk}


ROWS = [
    Row("trainings:session_list", REDIRECT, note="no filter: redirects to the coming sessions"),
    Row("trainings:session_list", NOBODY_BUT_STAFF, query="?when=coming"),
    Row("trainings:session_list", NOBODY_BUT_STAFF, query="?when=past&format=csv", note="export"),
    Row("trainings:session_create", NOBODY_BUT_STAFF),
    Row(
        "trainings:session_create",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        data=lambda w: {"course_type": "", "organisation": w.fwz.pk},
        note="invalid: the form answers with its errors (FWZ is no choice for the partner)",
    ),
    Row("trainings:session_detail", NOBODY_BUT_STAFF, kwargs=lambda w: {"pk": w.fwz_session.pk}),
    Row(
        "trainings:session_edit",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=lambda w: {"pk": w.fwz_session.pk},
        note="another organisation's session: visible, not editable for the partner",
    ),
    Row("trainings:session_edit", NOBODY_BUT_STAFF, kwargs=lambda w: {"pk": w.own_session.pk}),
    Row(
        "trainings:session_delete",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        kwargs=lambda w: {"pk": SessionFactory(organisation=w.fwz).pk},
    ),
    Row(
        "trainings:session_delete",
        REDIRECT,
        method="post",
        kwargs=lambda w: {"pk": SessionFactory(organisation=w.org).pk},
        note="the partner's own organisation",
    ),
    Row(
        "trainings:registration_create",
        REDIRECT,
        method="post",
        kwargs=lambda w: {"pk": w.own_session.pk},
        data=lambda w: {"volunteer": VolunteerFactory(organisation=w.org).pk},
    ),
    Row(
        "trainings:registration_create",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        kwargs=lambda w: {"pk": w.own_session.pk},
        data=lambda w: {"volunteer": VolunteerFactory(organisation=w.fwz).pk},
        note="another organisation's volunteer",
    ),
    Row(
        "trainings:registration_search",
        NOBODY_BUT_STAFF,
        kwargs=lambda w: {"pk": w.fwz_session.pk},
        query="?q=an",
        note="the partner finds only their own volunteers",
    ),
    Row("trainings:session_register", NOBODY_BUT_STAFF, kwargs=lambda w: {"pk": w.fwz_session.pk}),
    Row(
        "trainings:session_register",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        kwargs=lambda w: {"pk": w.own_session.pk},
        data=lambda w: {"volunteers": [VolunteerFactory(organisation=w.fwz).pk], "confirm": "1"},
        note="another organisation's volunteer",
    ),
    Row(
        "trainings:session_register",
        REDIRECT,
        method="post",
        kwargs=lambda w: {"pk": w.own_session.pk},
        data=lambda w: {"volunteers": [VolunteerFactory(organisation=w.org).pk], "confirm": "1"},
    ),
    Row(
        "trainings:session_register",
        NOBODY_BUT_STAFF,
        method="post",
        kwargs=lambda w: {"pk": w.own_session.pk},
        data=lambda w: {"volunteers": [VolunteerFactory(organisation=w.org).pk]},
        note="not confirmed yet: the page says how many will be registered",
    ),
    Row(
        "trainings:registration_delete",
        REDIRECT,
        method="post",
        kwargs=_own_delete,
    ),
    Row(
        "trainings:registration_delete",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        kwargs=_other_delete,
        note="another organisation's volunteer",
    ),
    Row("trainings:session_attendance", NOBODY_BUT_STAFF, kwargs=lambda w: {"pk": w.fwz_session.pk}),
    Row(
        "trainings:session_attendance",
        REDIRECT,
        method="post",
        kwargs=lambda w: {"pk": w.fwz_session.pk},
        data=lambda w: {"attended": []},
    ),
    Row(
        "trainings:registration_attendance",
        REDIRECT,
        method="post",
        kwargs=lambda w: {"pk": w.own_registration.pk},
        data=lambda w: {"attended": [w.own_registration.pk]},
    ),
    Row(
        "trainings:registration_attendance",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        kwargs=lambda w: {"pk": w.other_registration.pk},
        data=lambda w: {"attended": [w.other_registration.pk]},
        note="another organisation's volunteer",
    ),
    Row("trainings:session_invite", NOBODY_BUT_STAFF, kwargs=lambda w: {"pk": w.fwz_session.pk}),
    Row(
        "trainings:session_invite",
        NOBODY_BUT_STAFF,
        method="post",
        kwargs=lambda w: {"pk": w.fwz_session.pk},
        data=lambda w: {"group": "registered"},
    ),
    Row("trainings:basic_waiting_list", NOBODY_BUT_STAFF),
    Row("trainings:calendar_feed", NOBODY_BUT_STAFF),
    Row("trainings:calendar_token_regenerate", REDIRECT, method="post"),
    Row(
        "trainings:calendar_token_feed",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
        kwargs=lambda w: {"token": w.calendar_token.token},
        note="the secret link needs no login",
    ),
    Row(
        "trainings:calendar_token_feed",
        expect(
            anonymous=404, coordinator=404, partner=404, referrer=404, steering=404, evaluator=404, admin=404
        ),
        kwargs=lambda w: {"token": "wrong-token"},
        note="a wrong token",
    ),
    Row(
        "trainings:calendar_token_feed",
        expect(
            anonymous=404, coordinator=404, partner=404, referrer=404, steering=404, evaluator=404, admin=404
        ),
        kwargs=lambda w: {
            "token": CalendarToken.objects.create(
                user=MembershipFactory(organisation=w.city, role=Role.REFERRER).user
            ).token
        },
        note="the link of a user who may not see trainings",
    ),
]
