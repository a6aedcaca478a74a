"""Areas of help in the participants' languages (issue #19): the seeded names have msgids (their English
name, context "area of help") in the participant catalogues; a row an admin adds later shows its German name
until a translation exists. Staff pages keep the German and English names."""

import pytest
from django.utils import translation

from core.models import HelpArea
from tests.factories.core import help_area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("ar", "تعلّم اللغة الألمانية"),
        ("fa", "یادگیری زبان آلمانی"),
        ("uk", "Вивчення німецької мови"),
        ("tr", "Almanca öğrenmek"),
        ("ru", "Изучение немецкого языка"),
        ("de-ls", "Deutsch lernen"),
        ("de", "Deutsch lernen"),
        ("en", "Learning German"),
    ],
)
def test_a_seeded_area_of_help_is_named_in_the_page_language(code, name):
    with translation.override(code):
        assert str(help_area("german")) == name


def test_every_seeded_area_of_help_has_a_name_in_every_participant_language():
    for code in ("ar", "fa", "uk", "tr", "ru"):
        with translation.override(code):
            for area in HelpArea.objects.all():
                assert str(area) not in (area.name_de, area.name_en), (code, area.code)


def test_an_area_added_later_shows_its_german_name_until_translated():
    area = HelpArea.objects.create(code="bikes", name_de="Fahrrad reparieren", name_en="Repairing bikes")
    with translation.override("ar"):
        assert str(area) == "Fahrrad reparieren"


def test_the_arabic_check_in_lists_the_areas_in_arabic(client, org, partner):
    from core.links import link_create
    from core.models import LinkPurpose
    from tests.factories.tandems import ActiveTandemFactory

    tandem = ActiveTandemFactory(organisation=org, coordinator=partner)
    _row, token = link_create(person=tandem.refugee, purpose=LinkPurpose.CHECKIN, about=tandem, language="ar")
    url = f"/t/{token}/"
    client.post(url, {"step": "met", "met": "yes"})
    page = client.post(url, {"step": "mood", "met": "yes", "mood": "green"}).content.decode()
    assert "تعلّم اللغة الألمانية" in page
