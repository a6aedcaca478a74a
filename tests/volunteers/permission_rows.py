"""Who may reach the volunteer register: coordinators everywhere, partner coordinators inside their own
organisation (another organisation's volunteer answers 404), everybody else 403; the sign-up is public."""

from core.models import Role
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.permissions import LOGIN, Row, expect, staff_only
from volunteers.models import BulkMessage, ErasureRequest, Interview, StatusChange

PUBLIC = expect(
    anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
)
OTHER_ORG = expect(
    anonymous=LOGIN, coordinator=200, partner=404, referrer=403, steering=403, evaluator=403, admin=403
)
# a visible volunteer: the role may not even look, so 404 before 403 for roles without any volunteer scope
OWN = staff_only()


def populate(world):
    world.volunteer = VolunteerFactory(organisation=world.org)
    world.twin = VolunteerFactory(organisation=world.org, email=world.volunteer.email)
    world.other_volunteer = VolunteerFactory(organisation=world.other_org)
    held_by = MembershipFactory(organisation=world.org, role=Role.PARTNER).user
    world.step = StatusChange.objects.create(volunteer=world.volunteer, status="registered")
    world.other_step = StatusChange.objects.create(volunteer=world.other_volunteer, status="registered")
    world.interview = Interview.objects.create(
        volunteer=world.volunteer, held_on="2026-11-01", held_by=held_by, outcome="suitable"
    )
    world.other_interview = Interview.objects.create(
        volunteer=world.other_volunteer, held_on="2026-11-01", held_by=held_by, outcome="suitable"
    )
    # bulk messages written by a partner coordinator of the org, of the other org, and by a coordinator
    world.bulk = BulkMessage.objects.create(subject="Hallo", text="Hallo", organisation=world.org)
    world.other_bulk = BulkMessage.objects.create(subject="Hallo", text="Hallo", organisation=world.other_org)
    world.fwz_bulk = BulkMessage.objects.create(subject="Hallo", text="Hallo", organisation=None)
    world.erasure_request = ErasureRequest.objects.create(volunteer=world.other_volunteer)


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROWS = [
    Row("volunteers:volunteer_list", staff_only()),
    Row("volunteers:volunteer_list", staff_only(), query="?format=csv", note="export"),
    Row("volunteers:volunteer_list", staff_only(), query="?status=nonsense", note="bad filter value"),
    Row("volunteers:volunteer_create", staff_only()),
    Row("volunteers:volunteer_create", staff_only(), method="post", note="empty form: errors, 200"),
    Row("volunteers:volunteer_inbox", staff_only()),
    Row("volunteers:volunteer_duplicates", staff_only()),
    Row("volunteers:volunteer_import_upload", staff_only()),
    Row("volunteers:volunteer_import_map", staff_only(302), note="no file uploaded yet: back to the upload"),
    Row("volunteers:volunteer_import_cancel", staff_only(302), method="post"),
    Row("volunteers:volunteer_detail", OWN, kwargs=_pk("volunteer")),
    Row("volunteers:volunteer_detail", OTHER_ORG, kwargs=_pk("other_volunteer"), note="other organisation"),
    Row("volunteers:volunteer_edit", OWN, kwargs=_pk("volunteer")),
    Row("volunteers:volunteer_edit", OTHER_ORG, kwargs=_pk("other_volunteer"), note="other organisation"),
    # only staff with core.privacy (the coordinators) decline; no reason posted: a message, no change
    Row(
        "volunteers:erasure_request_decline",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=_pk("erasure_request"),
        method="post",
    ),
    Row(
        "volunteers:erasure_request_decline",
        expect(
            anonymous=LOGIN,
            coordinator=404,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=lambda w: {"pk": 999999},
        method="post",
        note="no such request",
    ),
    Row("volunteers:volunteer_channel_consent", staff_only(302), kwargs=_pk("volunteer"), method="post"),
    Row(
        "volunteers:volunteer_channel_consent",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=_pk("other_volunteer"),
        method="post",
        note="other organisation",
    ),
    Row("volunteers:volunteer_status", OWN, kwargs=_pk("volunteer")),
    Row(
        "volunteers:volunteer_status",
        OTHER_ORG,
        kwargs=_pk("other_volunteer"),
        method="post",
        data=lambda w: {"status": "nonsense"},
        note="other organisation, bad value",
    ),
    Row(
        "volunteers:status_change_edit",
        OWN,
        kwargs=lambda w: {"pk": w.volunteer.pk, "step_pk": w.step.pk},
    ),
    Row(
        "volunteers:status_change_edit",
        OTHER_ORG,
        kwargs=lambda w: {"pk": w.other_volunteer.pk, "step_pk": w.other_step.pk},
        note="other organisation",
    ),
    Row("volunteers:interview_create", OWN, kwargs=_pk("volunteer")),
    Row("volunteers:interview_create", OTHER_ORG, kwargs=_pk("other_volunteer"), note="other organisation"),
    Row(
        "volunteers:interview_edit",
        OWN,
        kwargs=lambda w: {"pk": w.volunteer.pk, "interview_pk": w.interview.pk},
    ),
    Row(
        "volunteers:interview_edit",
        OTHER_ORG,
        kwargs=lambda w: {"pk": w.other_volunteer.pk, "interview_pk": w.other_interview.pk},
        note="other organisation",
    ),
    Row("volunteers:clearance_create", OWN, kwargs=_pk("volunteer")),
    Row("volunteers:clearance_create", OTHER_ORG, kwargs=_pk("other_volunteer"), note="other organisation"),
    Row("volunteers:volunteer_anonymise", OWN, kwargs=_pk("volunteer")),
    Row(
        "volunteers:volunteer_anonymise", OTHER_ORG, kwargs=_pk("other_volunteer"), note="other organisation"
    ),
    Row(
        "volunteers:volunteer_merge",
        OWN,
        kwargs=lambda w: {"pk": w.volunteer.pk, "other_pk": w.twin.pk},
    ),
    Row(
        "volunteers:volunteer_merge",
        OTHER_ORG,
        kwargs=lambda w: {"pk": w.volunteer.pk, "other_pk": w.other_volunteer.pk},
        note="one record of another organisation",
    ),
    Row("volunteers:bulk_message_create", staff_only()),
    Row("volunteers:bulk_message_create", staff_only(), query="?status=active", note="a filtered list"),
    Row("volunteers:bulk_message_create", staff_only(), query="?status=nonsense", note="bad filter value"),
    Row("volunteers:bulk_message_create", staff_only(), method="post", note="empty form: errors, 200"),
    Row(
        "volunteers:bulk_message_create",
        staff_only(),
        method="post",
        query="?status=left",
        data=lambda w: {"subject": "Hallo", "text": "Hallo", "action": "send", "expected": "0"},
        note="a filter matching nobody: refused, 200",
    ),
    Row("volunteers:bulk_message_detail", OWN, kwargs=_pk("bulk")),
    Row("volunteers:bulk_message_detail", OTHER_ORG, kwargs=_pk("other_bulk"), note="other organisation"),
    Row("volunteers:bulk_message_detail", OTHER_ORG, kwargs=_pk("fwz_bulk"), note="a coordinator's"),
    Row("signup:signup_form", PUBLIC),
    Row("signup:signup_done", PUBLIC),
    Row("signup:signup_privacy", PUBLIC),
    Row(
        "signup:signup_confirm",
        PUBLIC,
        kwargs=lambda w: {"token": "1:forged:token"},
        note="a forged link says so",
    ),
]
