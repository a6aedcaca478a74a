from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Consent, ConsentChannel, MessageState, OutboxMessage
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory
from tests.permissions import LOGIN, Row, expect


def populate(world) -> None:
    world.privacy_volunteer = VolunteerFactory(organisation=world.org)
    world.privacy_other_volunteer = VolunteerFactory(organisation=world.other_org)
    world.privacy_refugee = RefugeeFactory(organisation=world.org)
    world.privacy_consent = Consent.objects.create(
        content_type=ContentType.objects.get_for_model(world.privacy_volunteer),
        object_id=world.privacy_volunteer.pk,
        purpose="volunteer_register",
        text_version="2026-11",
        channel=ConsentChannel.ONLINE,
        given_at=timezone.now(),
    )
    world.outbox_message = _message_to(VolunteerFactory(organisation=world.org))
    world.outbox_other_message = _message_to(VolunteerFactory(organisation=world.other_org))


def _message_to(volunteer):
    return OutboxMessage.objects.create(
        organisation=volunteer.organisation,
        recipient_type=ContentType.objects.get_for_model(volunteer),
        recipient_id=volunteer.pk,
        to_address=volunteer.email,
        template="volunteers/email/signup_confirm",
        language="de",
        context={"first_name": volunteer.first_name, "link": "https://example.org/", "days": 7},
        state=MessageState.FAILED,
        error="SMTPServerDisconnected",
    )


def _subject(obj) -> dict:
    return {"app_label": obj._meta.app_label, "model": obj._meta.model_name, "pk": obj.pk}


# coordinators only; a partner reaches the record of their organisation (403) but not another's (404)
PRIVACY_OWN = expect(
    anonymous=LOGIN, coordinator=200, partner=403, referrer=404, steering=404, evaluator=404, admin=404
)
PRIVACY_OTHER = expect(
    anonymous=LOGIN, coordinator=200, partner=404, referrer=404, steering=404, evaluator=404, admin=404
)
SIGNED_IN = expect(
    anonymous=LOGIN, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
)
ALL_REDIRECTED = expect(
    anonymous=302, coordinator=302, partner=302, referrer=302, steering=302, evaluator=302, admin=302
)

# a resend answers with a redirect back to the page; partners only for their organisation's people
RESEND_OWN = expect(
    anonymous=LOGIN, coordinator=302, partner=302, referrer=404, steering=404, evaluator=404, admin=404
)
RESEND_OTHER = expect(
    anonymous=LOGIN, coordinator=302, partner=404, referrer=404, steering=404, evaluator=404, admin=404
)

ROWS = [
    Row(
        "healthz_jobs",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
        note="the queue was installed just now: no daily job is overdue yet",
    ),
    Row("core:message_resend", RESEND_OWN, kwargs=lambda w: {"pk": w.outbox_message.pk}, method="post"),
    Row(
        "core:message_resend",
        RESEND_OTHER,
        kwargs=lambda w: {"pk": w.outbox_other_message.pk},
        method="post",
        note="another organisation's person",
    ),
    Row(
        "healthz",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "core:home",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=302,
            evaluator=302,
            admin=302,
        ),
        note="admins land in the admin, steering and evaluators on the dashboard",
    ),
    Row("core:favicon", ALL_REDIRECTED, note="to the static icon, for everybody"),
    Row(
        "login",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "logout",
        expect(
            anonymous=302, coordinator=302, partner=302, referrer=302, steering=302, evaluator=302, admin=302
        ),
        method="post",
    ),
    Row(
        "password_change",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=200,
            evaluator=200,
            admin=200,
        ),
    ),
    Row(
        "password_change_done",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=200,
            evaluator=200,
            admin=200,
        ),
    ),
    Row(
        "password_reset",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "password_reset_done",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "password_reset_confirm",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
        kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"},
        note="an invalid link says so",
    ),
    Row(
        "password_reset_complete",
        expect(
            anonymous=200, coordinator=200, partner=200, referrer=200, steering=200, evaluator=200, admin=200
        ),
    ),
    Row(
        "set_language",
        expect(
            anonymous=302, coordinator=302, partner=302, referrer=302, steering=302, evaluator=302, admin=302
        ),
        method="post",
        data=lambda w: {"language": "en"},
    ),
    Row(
        "admin:index",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=403,
            referrer=403,
            steering=403,
            evaluator=403,
            admin=200,
        ),
        note="the admin stands for all admin pages",
    ),
    Row(
        "core:privacy_access",
        PRIVACY_OWN,
        kwargs=lambda w: _subject(w.privacy_volunteer),
        note="volunteer of the partner's organisation",
    ),
    Row(
        "core:privacy_access",
        PRIVACY_OTHER,
        kwargs=lambda w: _subject(w.privacy_other_volunteer),
        note="volunteer of another organisation",
    ),
    Row(
        "core:privacy_access",
        PRIVACY_OWN,
        kwargs=lambda w: _subject(w.privacy_refugee),
        query="?format=json",
        note="refugee, as JSON",
    ),
    Row(
        "core:privacy_access",
        expect(
            anonymous=LOGIN,
            coordinator=404,
            partner=404,
            referrer=404,
            steering=404,
            evaluator=404,
            admin=404,
        ),
        kwargs=lambda w: {"app_label": "core", "model": "organisation", "pk": w.org.pk},
        note="not a data subject",
    ),
    Row("core:privacy_erase", PRIVACY_OWN, kwargs=lambda w: _subject(w.privacy_volunteer)),
    Row(
        "core:privacy_erase",
        PRIVACY_OTHER,
        kwargs=lambda w: _subject(w.privacy_other_volunteer),
        note="volunteer of another organisation",
    ),
    Row(
        "core:privacy_erase",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=403,
            referrer=404,
            steering=404,
            evaluator=404,
            admin=404,
        ),
        kwargs=lambda w: _subject(w.privacy_volunteer),
        method="post",
        data=lambda w: {"confirm": "on", "reason": "Antrag"},
    ),
    Row(
        "core:privacy_consent_withdraw",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=403,
            referrer=404,
            steering=404,
            evaluator=404,
            admin=404,
        ),
        kwargs=lambda w: {"pk": w.privacy_consent.pk},
        method="post",
    ),
    Row(
        "core:session_keepalive",
        expect(
            anonymous=LOGIN,
            coordinator=204,
            partner=204,
            referrer=204,
            steering=204,
            evaluator=204,
            admin=204,
        ),
    ),
    Row("core:twofactor_setup", SIGNED_IN),
    Row(
        "core:twofactor_verify",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=302,
            referrer=302,
            steering=302,
            evaluator=302,
            admin=302,
        ),
        note="without a pending second step it sends the user on",
    ),
    Row(
        "core:twofactor_disable",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=302,
            referrer=302,
            steering=302,
            evaluator=302,
            admin=302,
        ),
        method="post",
    ),
]
