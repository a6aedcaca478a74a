"""Participant pages speak the participant languages (ar, fa, uk, tr, ru, Leichte Sprache), right to left
where the language is; staff pages stay German/English; every participant string is translated."""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.languages import PARTICIPANT_CATALOGUES, participant_lang_query, participant_language
from core.links import link_create, links_of
from core.management.commands.participant_messages import catalogue, participant_pot
from core.models import LinkPurpose, OutboxMessage
from core.services import channel_consent_change
from tandems.participants import CHECKIN_LINK_TEMPLATE, checkin_links_send
from tests.factories.core import language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

TODAY = datetime.date.today()


@pytest.fixture
def tandem(db, org, partner):
    return ActiveTandemFactory(organisation=org, coordinator=partner)


def _household_link(tandem, lang):
    _row, token = link_create(person=tandem.refugee, purpose=LinkPurpose.CHECKIN, about=tandem, language=lang)
    return reverse("participant:checkin", args=[token])


@pytest.mark.parametrize("code", PARTICIPANT_CATALOGUES)
def test_every_participant_string_is_translated_and_not_fuzzy(code, tmp_path):
    pot = participant_pot(tmp_path / "participant.pot")
    po = catalogue(code)
    assert po.exists(), f"{po} is missing: run manage.py participant_messages and translate it"
    # msgcmp counts untranslated and fuzzy entries as missing
    result = subprocess.run(["msgcmp", str(po), str(pot)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_participant_catalogues_hold_no_staff_strings():
    po = Path(catalogue("ar")).read_text(encoding="utf-8")
    assert 'msgid "Tandems"' not in po and 'msgid "Volunteers"' not in po


@pytest.mark.django_db
def test_the_households_arabic_page_is_right_to_left_and_arabic(client, tandem):
    page = client.get(_household_link(tandem, "ar")).content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page and "bootstrap.min.css" not in page
    assert "هل التقيتم" in page  # "Have you met ... since last time?"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "bidi", "words"),
    [
        ("fa", "rtl", "آیا"),
        ("uk", "ltr", "Чи"),
        ("tr", "ltr", "görüştünüz"),
        ("ru", "ltr", "Вы"),
        ("de-ls", "ltr", "Haben Sie"),
    ],
)
def test_each_language_has_its_check_in(client, tandem, code, bidi, words):
    page = client.get(_household_link(tandem, code)).content.decode()
    assert f'<html lang="{code}" dir="{bidi}"' in page and words in page


@pytest.mark.django_db
def test_the_visitor_switches_the_language_on_the_page_and_it_stays_for_the_answers(client, tandem):
    url = _household_link(tandem, "ar")
    page = client.get(url + "?lang=uk").content.decode()
    assert '<html lang="uk" dir="ltr"' in page
    assert f'action="{url}?lang=uk"' in page  # the answers are posted in the chosen language
    assert 'hreflang="ar"' in page and 'hreflang="fa"' in page  # the switcher offers every language
    answered = client.post(url + "?lang=uk", {"step": "met", "met": "no"}).content.decode()
    assert '<html lang="uk"' in answered
    # a language the pages do not speak is ignored: the person's own stays
    assert '<html lang="ar"' in client.get(url + "?lang=xx").content.decode()


@pytest.mark.django_db
def test_an_arabic_household_gets_its_link_and_message_in_arabic(client, tandem):
    tandem.refugee.languages.set([language("ar")])
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.save(update_fields=["email"])
    channel_consent_change(person=tandem.refugee, channel="email", given=True, actor=None)
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY, channel="", contact_with="", mood="")
    checkin_links_send(today=TODAY)
    assert links_of(tandem.refugee).get().language == "ar"
    message = OutboxMessage.objects.get(template=CHECKIN_LINK_TEMPLATE, to_address=tandem.refugee.email)
    assert message.language == "ar" and "تسير" in message.subject


@pytest.mark.django_db
def test_staff_pages_stay_german_or_english_even_when_arabic_is_asked_for(client, coordinator):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/", headers={"accept-language": "ar,fa;q=0.9"}).content.decode()
    assert '<html lang="de"' in page
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert '<html lang="de"' in client.get("/").content.decode()


def test_the_language_pick_takes_the_switch_then_the_preference_then_german(rf):
    assert participant_language(rf.get("/?lang=fa"), "ar") == "fa"
    assert participant_language(rf.get("/?lang=fr"), "ar") == "ar"
    assert participant_language(rf.get("/"), "ar-SY") == "ar"
    assert participant_language(rf.get("/"), "ku") == "de"


def test_the_language_switch_query_keeps_a_known_code_and_drops_an_unknown_one(rf):
    assert participant_lang_query(rf.get("/", {"lang": "ar"})) == "?lang=ar"
    assert participant_lang_query(rf.get("/", {"lang": "AR-sy"})) == "?lang=ar"
    assert participant_lang_query(rf.get("/", {"lang": "xx"})) == ""
    assert participant_lang_query(rf.get("/")) == ""


@pytest.mark.django_db
def test_an_unknown_language_on_the_check_in_keeps_the_persons_own_for_the_answers_too(client, tandem):
    url = _household_link(tandem, "ar")
    page = client.get(url + "?lang=xx").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert f'action="{url}"' in page  # no ?lang=de that would switch the next screen to German
    answered = client.post(url + "?lang=xx", {"step": "met", "met": "no"}).content.decode()
    assert '<html lang="ar"' in answered
