"""The relationship-quality survey (issue #20 c): the statements admins edit, the links at 1, 3, 6 and 12
months, the page by link (one statement per screen), the scores on the tandem page and the at-risk rule."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.links import link_create, links_of
from core.models import AuditEntry, LinkPurpose, OutboxMessage, ParticipantLink
from core.services import channel_consent_change
from tandems.models import SurveyAnswer, SurveyItem, SurveyResponse, Tandem
from tandems.selectors import tandems_at_risk, with_support_flags
from tandems.survey import (
    SURVEY_LINK_TEMPLATE,
    add_months,
    survey_items,
    survey_links_send,
    survey_response_record,
    wave_due,
)
from tests.factories.core import language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LANGUAGES = ("de", "de-ls", "en", "ar", "fa", "uk", "tr", "ru")


@pytest.fixture
def tandem(org, partner):
    # started three months and two days ago: in the window of the 3-month wave
    return ActiveTandemFactory(
        organisation=org, coordinator=partner, started_on=add_months(TODAY, -3) - datetime.timedelta(days=2)
    )


def _link(tandem, side="household", purpose=LinkPurpose.SURVEY):
    person = tandem.volunteer if side == "volunteer" else tandem.refugee
    return link_create(person=person, purpose=purpose, about=tandem)


def _url(token):
    return reverse("participant:survey", args=[token])


def _answer_all(client, token, value):
    """Answer every screen with `value`, carrying the earlier answers as the page does."""
    page = client.get(_url(token))
    assert page.status_code == 200
    items = survey_items("household")
    carried = {}
    response = None
    for step, item in enumerate(items):
        response = client.post(_url(token), {**carried, "step": step, "value": value}, follow=True)
        assert response.status_code == 200
        carried[f"item_{item.pk}"] = value
    return response


def test_default_statements_are_seeded_in_every_participant_language():
    items = list(SurveyItem.objects.filter(is_active=True))
    assert len(items) >= 4
    assert any("Wir verstehen uns gut" in item.text("de") for item in items)
    for item in items:
        assert all(item.texts.get(code) for code in LANGUAGES), item.texts
    assert survey_items("household") and survey_items("volunteer")
    assert {i.respondent for i in items} == {"both", "household", "volunteer"}


def test_a_statement_without_a_text_in_the_language_falls_back_to_german():
    item = SurveyItem.objects.create(order=99, texts={"de": "Wir lachen viel zusammen."})
    assert item.text("ar") == "Wir lachen viel zusammen."
    assert item.text("de-ls") == "Wir lachen viel zusammen."


def test_the_waves_are_at_one_three_six_and_twelve_months():
    start = datetime.date(2026, 1, 31)
    assert add_months(start, 1) == datetime.date(2026, 2, 28)
    assert wave_due(start, datetime.date(2026, 2, 27)) is None
    assert wave_due(start, datetime.date(2026, 2, 28)) == 1
    assert wave_due(start, datetime.date(2026, 4, 30)) == 3
    assert wave_due(start, datetime.date(2026, 7, 31)) == 6
    assert wave_due(start, datetime.date(2027, 1, 31)) == 12
    assert wave_due(start, datetime.date(2026, 9, 15)) is None  # between the waves: nothing is sent
    assert wave_due(None, TODAY) is None


def test_the_household_answers_one_statement_per_screen_and_gets_a_score(client, tandem):
    link, token = _link(tandem)
    items = survey_items("household")
    first = client.get(_url(token)).content.decode()
    assert items[0].text("de") in first and f"Frage 1 von {len(items)}" in first
    assert "Stimmt gar nicht" in first and "Stimmt genau" in first
    assert tandem.refugee.last_name not in first and tandem.volunteer.last_name not in first
    done = _answer_all(client, token, 4)
    assert "Ihre Antworten sind angekommen." in done.content.decode()
    response = SurveyResponse.objects.get(tandem=tandem)
    assert (response.wave, response.side, response.score, response.is_latest) == (3, "household", 4, True)
    assert SurveyAnswer.objects.filter(response=response).count() == len(items)
    link.refresh_from_db()
    assert link.uses == 1
    assert AuditEntry.objects.filter(
        action="tandems.surveyresponse.created", object_id=str(response.pk)
    ).exists()


def test_the_back_button_keeps_the_answers_and_shows_the_previous_statement(client, tandem):
    _, token = _link(tandem)
    items = survey_items("household")
    page = client.post(_url(token), {"step": 1, "back": "on", f"item_{items[0].pk}": 2}).content.decode()
    assert items[0].text("de") in page and 'aria-pressed="true"' in page


def test_a_wave_answered_twice_counts_once(client, tandem):
    link, token = _link(tandem)
    _answer_all(client, token, 5)
    again = client.get(_url(token)).content.decode()
    assert "bereits beantwortet" in again
    values = {item.pk: 1 for item in survey_items("household")}
    assert survey_response_record(link=link, values=values) is None
    # a second link for the same wave and side (sent twice by mistake) counts once too
    other, other_token = _link(tandem)
    assert survey_response_record(link=other, values=values) is None
    assert SurveyResponse.objects.get(tandem=tandem).score == 5


def test_bad_answers_get_a_german_message_and_store_nothing(client, tandem):
    _, token = _link(tandem)
    items = survey_items("household")
    for data in ({"step": 0, "value": "7"}, {"step": 0}, {"step": "x", "value": "abc"}):
        page = client.post(_url(token), data)
        assert page.status_code == 200
        assert "Bitte wählen Sie eine Antwort." in page.content.decode()
    # a forged earlier answer is dropped: the page asks that statement again instead of storing it
    last = len(items) - 1
    forged = {f"item_{item.pk}": "9" for item in items[:last]}
    page = client.post(_url(token), {**forged, "step": last, "value": "3"}).content.decode()
    assert items[0].text("de") in page
    assert not SurveyResponse.objects.exists()


def test_links_that_must_not_open_get_the_friendly_page(client, tandem):
    _, checkin_token = _link(tandem, purpose=LinkPurpose.CHECKIN)
    assert "Dieser Link funktioniert nicht mehr" in client.get(_url(checkin_token)).content.decode()
    assert (
        "Dieser Link funktioniert nicht mehr" in client.get(_url(checkin_token[:-2] + "xx")).content.decode()
    )
    _, token = _link(tandem)
    Tandem.objects.filter(pk=tandem.pk).update(status="ended", ended_on=TODAY, end_reason_id=1)
    assert "Dieser Link funktioniert nicht mehr" in client.get(_url(token)).content.decode()
    client.post(_url(token), {"step": 0, "value": "3"})
    assert not SurveyResponse.objects.exists()


def _consent_to_emails(*people) -> None:
    """The survey link goes by e-mail only to a person who consented to e-mails (docs/participants.md)."""
    for person in people:
        channel_consent_change(person=person, channel="email", given=True, actor=None)


def test_the_households_survey_is_in_its_language_right_to_left(client, tandem):
    tandem.refugee.languages.set([language("ar")])
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.save(update_fields=["email"])
    _consent_to_emails(tandem.refugee)
    survey_links_send(today=TODAY)
    message = OutboxMessage.objects.get(template=SURVEY_LINK_TEMPLATE, to_address=tandem.refugee.email)
    assert message.language == "ar"
    token = message.body.split("/t/survey/")[1].split("/")[0]
    page = client.get(_url(token)).content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert survey_items("household")[0].texts["ar"] in page


def test_the_job_sends_each_side_once_per_wave_and_respects_consent(tandem):
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.save(update_fields=["email"])
    _consent_to_emails(tandem.volunteer, tandem.refugee)
    assert survey_links_send(today=add_months(tandem.started_on, 3) - datetime.timedelta(days=1)) == (0, 0)
    assert survey_links_send(today=TODAY) == (2, 0)
    assert survey_links_send(today=TODAY) == (0, 0)  # a retry the same day sends nothing
    assert survey_links_send(today=TODAY + datetime.timedelta(days=3)) == (0, 0)  # nor later in the wave
    bodies = OutboxMessage.objects.filter(template=SURVEY_LINK_TEMPLATE).values_list("body", flat=True)
    assert len(bodies) == 2 and all("/t/survey/" in body for body in bodies)
    channel_consent_change(person=tandem.refugee, channel="email", given=False, actor=None)
    ParticipantLink.objects.all().delete()
    assert survey_links_send(today=TODAY) == (1, 1)
    assert not links_of(tandem.refugee).exists()
    # the next wave (6 months) gets its own link
    assert survey_links_send(today=add_months(tandem.started_on, 6)) == (1, 1)


def test_a_low_score_flags_the_tandem_at_risk_with_its_words(client, tandem, partner):
    CheckInFactory(tandem=tandem, held_on=TODAY - datetime.timedelta(days=3), mood="green")
    assert not tandems_at_risk(user=partner).filter(pk=tandem.pk).exists()
    _, token = _link(tandem)
    _answer_all(client, token, 2)
    flagged = tandems_at_risk(user=partner).filter(pk=tandem.pk).first()
    assert flagged is not None
    assert "niedriger Wert in der Tandem-Befragung" in [str(r) for r in flagged.risk_reasons]


def _survey_low(tandem):
    return with_support_flags(Tandem.objects.filter(pk=tandem.pk)).get().is_survey_low


def test_only_the_newest_answer_of_a_side_counts_for_the_risk(tandem, partner):
    low = SurveyResponse.objects.create(tandem=tandem, wave=1, side="household", answered_on=TODAY, score=2)
    assert _survey_low(tandem)
    _, token = _link(tandem)
    link = ParticipantLink.objects.filter(purpose=LinkPurpose.SURVEY).get()
    survey_response_record(link=link, values={item.pk: 4 for item in survey_items("household")})
    low.refresh_from_db()
    assert not low.is_latest
    assert not _survey_low(tandem)
    assert SurveyResponse.objects.get(tandem=tandem, wave=3).score == Decimal("4.00")


def test_the_tandem_page_shows_the_scores_per_wave_and_side(client, tandem, partner):
    SurveyResponse.objects.create(
        tandem=tandem, wave=1, side="volunteer", answered_on=TODAY, score=Decimal("4.20")
    )
    SurveyResponse.objects.create(
        tandem=tandem, wave=1, side="household", answered_on=TODAY, score=Decimal("2.00")
    )
    client.force_login(partner)
    page = client.get(reverse("tandems:tandem_detail", args=[tandem.pk])).content.decode()
    assert "Tandem-Befragung" in page
    assert "4,2" in page and "2,0" in page and "niedrig" in page
