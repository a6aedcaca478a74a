"""The household answers its check-in in Arabic on a 390 px phone by keyboard alone (right to left, nothing
wider than the screen, axe clean), and the participant pages are axe clean in Persian and Ukrainian too; a
visitor signs up in Arabic on the public sign-up by keyboard at 390 px."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from core.links import link_create
from core.models import LinkPurpose, Organisation, OrganisationKind, OutboxMessage
from core.services import channel_consent_change
from tandems.models import CheckIn
from tandems.participants import CHECKIN_LINK_TEMPLATE, checkin_links_send
from tandems.selfservice import selfservice_link_create
from tests.e2e.conftest import axe_check, visit
from tests.e2e.test_participant_checkin import _tab_to
from tests.factories.core import MembershipFactory, language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory
from tests.factories.trainings import SessionFactory
from tests.jobs import run_jobs
from volunteers.models import Volunteer

pytestmark = pytest.mark.e2e
TODAY = datetime.date.today()


@pytest.fixture
def tandem(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    tandem = ActiveTandemFactory(organisation=fwz, refugee__email="haddad@example.org")
    tandem.refugee.languages.set([language("ar")])
    channel_consent_change(person=tandem.refugee, channel="email", given=True, actor=None)
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY, channel="", contact_with="", mood="")
    return tandem


def _fits(page, code: str, direction: str) -> None:
    assert page.evaluate("document.documentElement.lang") == code
    assert page.evaluate("document.documentElement.dir") == direction
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1"
        " || e.getBoundingClientRect().left < -1).map(e => e.outerHTML.slice(0, 80))"
    )
    assert not wide, f"elements outside the viewport: {wide}"
    axe_check(page)


def test_the_household_checks_in_in_arabic_by_keyboard_on_a_phone(page, live_server, tandem):
    checkin_links_send(today=TODAY)
    message = OutboxMessage.objects.get(template=CHECKIN_LINK_TEMPLATE, to_address="haddad@example.org")
    assert message.language == "ar" and "كيف تسير" in message.subject
    path = re.search(r"(/t/[^/\s]+/)", message.body).group(1)
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, live_server.url + path)
    _fits(page, "ar", "rtl")
    expect(page.get_by_text("السؤال 1 من 4")).to_be_visible()
    _tab_to(page, "لا، ليس هذه المرة")
    page.keyboard.press("Enter")
    expect(page.get_by_text("السؤال 2 من 3")).to_be_visible()
    _fits(page, "ar", "rtl")
    _tab_to(page, "ليس جيداً")
    page.keyboard.press("Enter")
    expect(page.get_by_text("السؤال 3 من 3")).to_be_visible()
    _fits(page, "ar", "rtl")
    _tab_to(page, "إرسال إجاباتي")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("وصلت إجاباتكم.")
    _fits(page, "ar", "rtl")
    _tab_to(page, "أحتاج إلى مساعدة")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("سيتواصل معكم شخص من البرنامج قريباً.")
    _fits(page, "ar", "rtl")
    assert CheckIn.objects.filter(tandem=tandem, channel="link", by="household", mood="red").count() == 1


@pytest.mark.parametrize(("code", "direction"), [("fa", "rtl"), ("uk", "ltr"), ("ar", "rtl")])
def test_every_participant_page_is_axe_clean_and_fits_a_phone(page, live_server, tandem, code, direction):
    _row, token = link_create(person=tandem.refugee, purpose=LinkPurpose.CHECKIN, about=tandem, language=code)
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"{live_server.url}/t/{token}/")
    _fits(page, code, direction)
    for _step in range(2):  # yes -> mood -> areas
        page.locator("button[name=met], button[name=mood]").first.click()
        _fits(page, code, direction)
    page.locator("button[type=submit].btn-primary").first.click()  # areas: next
    _fits(page, code, direction)
    page.locator("button[type=submit].btn-primary").first.click()  # text: send
    _fits(page, code, direction)  # thanks
    page.locator("button.btn-danger").click()
    _fits(page, code, direction)  # help sent
    visit(page, f"{live_server.url}/t/{token}x/?lang={code}")  # a broken link knows no person: the switch
    _fits(page, code, direction)


def _tab_to_field(page, element_id: str, *, limit: int = 40) -> None:
    """Press Tab until the form field `element_id` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"no field #{element_id} reached by Tab")


def test_the_arabic_public_sign_up_by_keyboard_on_a_phone(page, live_server, job_queue, mailoutbox):
    cache.clear()  # the sign-up's rate limit
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"{live_server.url}/signup/?lang=ar")
    _fits(page, "ar", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("كونوا مرافقين ومرافقات")
    for field, text in (
        ("id_first_name", "Rania"),
        ("id_last_name", "Haddad"),
        ("id_email", "rania@example.org"),
    ):
        _tab_to_field(page, field)
        page.keyboard.type(text)
    _tab_to_field(page, "id_birth_date")
    page.keyboard.type("03021990")  # the date field's segments, in the browser's order
    assert page.evaluate("document.getElementById('id_birth_date').value") == "1990-03-02"
    _tab_to_field(page, "id_help_areas_0")
    page.keyboard.press("Space")
    _tab_to_field(page, "id_consent")
    page.keyboard.press("Space")
    _tab_to(page, "التسجيل")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("شكراً لتسجيلكم!")
    _fits(page, "ar", "rtl")
    volunteer = Volunteer.objects.get(email="rania@example.org")
    assert volunteer.preferred_language == "ar"

    run_jobs()  # the worker sends the confirmation, in Arabic
    assert len(mailoutbox) == 1 and "يرجى تأكيد تسجيلكم" in mailoutbox[0].subject
    link = re.search(r"http://\S+/signup/confirm/\S+/", mailoutbox[0].body).group(0)
    visit(page, link)
    _fits(page, "ar", "rtl")
    _tab_to(page, "تأكيد عنوان بريدي الإلكتروني")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("تم تأكيد عنوان بريدكم الإلكتروني")
    _fits(page, "ar", "rtl")

    visit(page, f"{live_server.url}/signup/privacy/?lang=ar")
    _fits(page, "ar", "rtl")
    expect(page.locator(".legal-text")).to_contain_text("إشعار حماية البيانات")


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_every_other_participant_page_is_right_to_left_fits_a_phone_and_is_axe_clean(page, live_server, code):
    """The self-service pages, the link request, the sign-up with its privacy page, and the referral
    consent to print, in Arabic and Persian (the check-in pages are walked above)."""
    cache.clear()
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    tandem = ActiveTandemFactory(organisation=fwz, volunteer__preferred_language=code)
    token = selfservice_link_create(volunteer=tandem.volunteer, actor=None)[1]
    SessionFactory(organisation=fwz)  # the trainings page lists one to book
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("overview", "edit", "trainings", "hours", "erasure"):
        visit(page, f"{live_server.url}/s/{token}/{'' if name == 'overview' else name + '/'}")
        _fits(page, code, "rtl")
    for path in ("/s/", "/signup/", "/signup/privacy/"):
        visit(page, f"{live_server.url}{path}?lang={code}")
        _fits(page, code, "rtl")
    referrer = MembershipFactory(organisation=fwz, role="referrer").user
    staff = Client()
    staff.force_login(referrer)  # the consent page is a staff page (the referrer prints it for the household)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": staff.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    visit(page, f"{live_server.url}/refugees/consent-text/?lang={code}")
    _fits(page, code, "rtl")
    expect(page.locator(".legal-text")).to_have_attribute("dir", "rtl")
