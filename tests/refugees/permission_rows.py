"""Who may reach the refugee pages: staff by organisation, referrers their own referrals, nobody else."""

from tests.factories.refugees import ClosedRefugeeFactory, ReferralNoteFactory, RefugeeFactory, consent_for
from tests.permissions import LOGIN, Row, expect, staff_only


def populate(world) -> None:
    # attribute names carry the app's prefix: other apps' rows add their own objects to `world`
    referrer, other_referrer = world.users["referrer"], world.users["other_referrer"]
    world.refugees_own = RefugeeFactory(
        organisation=world.org, referred_by=referrer, referring_organisation=world.city
    )
    world.refugees_other = RefugeeFactory(
        organisation=world.other_org, referred_by=other_referrer, referring_organisation=world.city
    )
    world.refugees_closed = ClosedRefugeeFactory(organisation=world.org, referred_by=referrer)
    world.refugees_consent = consent_for(world.refugees_own)
    world.refugees_other_consent = consent_for(world.refugees_other)
    world.refugees_note = ReferralNoteFactory(refugee=world.refugees_own, author=referrer)
    world.refugees_other_note = ReferralNoteFactory(refugee=world.refugees_other, author=other_referrer)


def _own(w):
    return {"pk": w.refugees_own.pk}


def _other(w):
    return {"pk": w.refugees_other.pk}


def staff_in_org(partner_other_org: int = 200, ok: int = 200) -> dict[str, int]:
    """A staff page for one record: partners reach only their organisation's records (404 otherwise)."""
    return expect(
        anonymous=LOGIN,
        coordinator=ok,
        partner=partner_other_org,
        referrer=403,
        steering=403,
        evaluator=403,
        admin=403,
    )


REFERRER_ONLY = expect(
    anonymous=LOGIN, coordinator=403, partner=403, referrer=200, steering=403, evaluator=403, admin=403
)

ROWS = [
    Row("refugees:refugee_list", staff_only()),
    Row("refugees:refugee_list", staff_only(), query="?format=csv", note="export"),
    Row("refugees:refugee_waiting_list", staff_only()),
    Row(
        "refugees:refugee_create",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=403,
            evaluator=403,
            admin=403,
        ),
    ),
    Row(
        "refugees:refugee_create",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        method="post",
        note="empty form shows its errors",
    ),
    Row(
        "refugees:consent_text",
        expect(
            anonymous=LOGIN,
            coordinator=200,
            partner=200,
            referrer=200,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        query="?lang=ar",
        note="the referral consent to print, in the household's language",
    ),
    Row("refugees:refugee_detail", staff_in_org(), kwargs=_own),
    Row(
        "refugees:refugee_detail",
        staff_in_org(partner_other_org=404),
        kwargs=_other,
        note="other organisation",
    ),
    Row("refugees:refugee_edit", staff_in_org(), kwargs=_own),
    Row(
        "refugees:refugee_edit", staff_in_org(partner_other_org=404), kwargs=_other, note="other organisation"
    ),
    Row("refugees:refugee_intake", staff_in_org(), kwargs=_own),
    Row(
        "refugees:refugee_intake",
        staff_in_org(partner_other_org=404),
        kwargs=_other,
        note="other organisation",
    ),
    Row("refugees:refugee_close", staff_in_org(), kwargs=_own),
    Row(
        "refugees:refugee_close",
        staff_in_org(partner_other_org=404),
        kwargs=_other,
        note="other organisation",
    ),
    Row(
        "refugees:refugee_anonymise",
        staff_in_org(partner_other_org=302, ok=302),
        kwargs=lambda w: {"pk": w.refugees_closed.pk},
        method="post",
    ),
    Row(
        "refugees:refugee_anonymise",
        staff_in_org(partner_other_org=404, ok=302),
        kwargs=_other,
        method="post",
        note="other organisation",
    ),
    Row(
        "refugees:refugee_consent_withdraw",
        staff_in_org(partner_other_org=302, ok=302),
        kwargs=lambda w: {"pk": w.refugees_own.pk, "consent_pk": w.refugees_consent.pk},
        method="post",
    ),
    Row(
        "refugees:refugee_consent_withdraw",
        staff_in_org(partner_other_org=404, ok=302),
        kwargs=lambda w: {"pk": w.refugees_other.pk, "consent_pk": w.refugees_other_consent.pk},
        method="post",
        note="other organisation",
    ),
    Row(
        "refugees:refugee_consent_withdraw",
        staff_in_org(partner_other_org=404, ok=404),
        kwargs=lambda w: {"pk": w.refugees_own.pk, "consent_pk": w.refugees_other_consent.pk},
        method="post",
        note="consent of another referral",
    ),
    Row(
        "refugees:refugee_channel_consent",
        staff_in_org(partner_other_org=302, ok=302),
        kwargs=_own,
        method="post",
    ),
    Row(
        "refugees:refugee_channel_consent",
        staff_in_org(partner_other_org=404, ok=302),
        kwargs=lambda w: {"pk": w.refugees_other.pk},
        method="post",
        note="other organisation",
    ),
    Row(
        "refugees:referral_note_add",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=302,
            referrer=302,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=_own,
        method="post",
        data=lambda w: {"text": "Bitte rufen Sie zurück."},
    ),
    Row(
        "refugees:referral_note_add",
        expect(
            anonymous=LOGIN,
            coordinator=302,
            partner=404,
            referrer=404,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=_other,
        method="post",
        data=lambda w: {"text": "Bitte rufen Sie zurück."},
        note="another referrer's referral in another organisation",
    ),
    Row(
        "refugees:referral_note_edit",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=403,
            referrer=200,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=lambda w: {"pk": w.refugees_note.pk},
        note="only the author",
    ),
    Row(
        "refugees:referral_note_edit",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=404,
            referrer=404,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=lambda w: {"pk": w.refugees_other_note.pk},
        note="another referrer's note",
    ),
    Row(
        "refugees:referral_note_delete",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=403,
            referrer=302,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=lambda w: {"pk": w.refugees_note.pk},
        method="post",
    ),
    Row("refugees:referral_list", REFERRER_ONLY),
    Row("refugees:referral_detail", REFERRER_ONLY, kwargs=_own),
    Row(
        "refugees:referral_detail",
        expect(
            anonymous=LOGIN,
            coordinator=403,
            partner=403,
            referrer=404,
            steering=403,
            evaluator=403,
            admin=403,
        ),
        kwargs=_other,
        note="another referrer's referral",
    ),
]
