"""The public sign-up ("Pate werden"): no login, double opt-in by e-mail, a honeypot and a rate limit."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.languages import participant_lang_query, participant_language, participant_render
from core.legal import legal_text_current
from core.middleware import client_address
from core.models import LegalTextKind
from core.outbox import message_queue
from volunteers.forms_signup import SignupForm
from volunteers.models import LanguageLevel, Volunteer
from volunteers.services import PRIVACY_VERSION, volunteer_email_confirm, volunteer_signup

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
RATE_LIMIT = 5  # sign-ups per address and hour
RATE_WINDOW_SECONDS = 3600
_SIGNER_SALT = "volunteers.signup.confirm"


def confirmation_token(volunteer: Volunteer) -> str:
    return TimestampSigner(salt=_SIGNER_SALT).sign(str(volunteer.pk))


def volunteer_from_token(token: str) -> Volunteer | None:
    """The volunteer a confirmation link names, or None when the link is forged, expired or unknown."""
    try:
        pk = TimestampSigner(salt=_SIGNER_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    return Volunteer.objects.filter(pk=pk, anonymised_at__isnull=True).first()


def _client_address(request: HttpRequest) -> str:
    # the same address the failed-login lockout counts (PROXIES_IN_FRONT in the settings)
    return client_address(request) or "unknown"


def _over_rate_limit(request: HttpRequest) -> bool:
    key = f"volunteers:signup:{_client_address(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT


def _page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, language: str = ""
) -> HttpResponse:
    """A sign-up page in the participant frame, in the visitor's language (?lang=), else `language`, else
    German (docs/languages.md)."""
    # links and the form keep the language the visitor switched to
    return participant_render(
        request,
        template,
        context,
        language=language,
        status=status,
        lang_query=participant_lang_query(request),
    )


def _queue_confirmation(request: HttpRequest, volunteer: Volunteer) -> None:
    """The confirmation e-mail goes through the outbox, in the volunteer's preferred language (the one the
    visitor signed up in)."""
    link = request.build_absolute_uri(reverse("signup:signup_confirm", args=[confirmation_token(volunteer)]))
    message_queue(
        template="volunteers/email/signup_confirm",
        to=volunteer,
        related=volunteer,
        language=volunteer.preferred_language,
        context={"first_name": volunteer.first_name, "link": link, "days": CONFIRM_MAX_AGE.days},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def signup_form(request: HttpRequest) -> HttpResponse:
    language = participant_language(request)
    with translation.override(language):
        return _signup_form(request, language)


def _signup_form(request: HttpRequest, language: str) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if _over_rate_limit(request):
            form = SignupForm(request.POST)  # bound even when the POST is empty (`or None` left it unbound)
            form.add_error(
                None,
                gettext("Too many sign-ups from your connection. Please try again in an hour."),
            )
            return _page(request, "volunteers/signup_form.html", {"form": form}, status=429)
        if form.is_spam:
            return redirect(
                reverse("signup:signup_done") + participant_lang_query(request)
            )  # look like success
        if form.is_valid():
            data = form.cleaned_data
            # the sign-up and its confirmation e-mail commit together (the e-mail is sent by a job)
            with transaction.atomic():
                volunteer = volunteer_signup(
                    data={
                        "first_name": data["first_name"].strip(),
                        "last_name": data["last_name"].strip(),
                        "email": data["email"],
                        "phone": data["phone"].strip(),
                        "birth_date": data["birth_date"],
                        "district": data["district"],
                        "help_areas": list(data["help_areas"]),
                        "source": data["source"],
                        "notes": data["message"],
                        "preferred_language": language,
                    },
                    languages=[(language, LanguageLevel.GOOD) for language in data["languages"]],
                    privacy_version=PRIVACY_VERSION,
                    legal_text=legal_text_current(kind=LegalTextKind.PRIVACY, language=language),
                )
                _queue_confirmation(request, volunteer)
            return redirect(reverse("signup:signup_done") + participant_lang_query(request))
    return _page(request, "volunteers/signup_form.html", {"form": form})


@login_not_required
@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return _page(request, "volunteers/signup_done.html", {"days": CONFIRM_MAX_AGE.days})


@login_not_required
@require_GET
def signup_privacy(request: HttpRequest) -> HttpResponse:
    """The stored privacy notice (core.LegalText) in the page's language; an outdated translation is never
    offered, the German text is (legal_text_current)."""
    language = participant_language(request)
    text = legal_text_current(kind=LegalTextKind.PRIVACY, language=language)
    return _page(
        request,
        "volunteers/signup_privacy.html",
        {
            "text": text,
            "text_bidi": bool(text) and translation.get_language_info(text.language)["bidi"],
            "version": text.version if text else PRIVACY_VERSION,
        },
        language=language,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button; only pressing it confirms. Mail scanners and link previews open
    every link in an e-mail, so a confirmation on GET would confirm addresses nobody confirmed."""
    volunteer = volunteer_from_token(token)
    if volunteer is None:
        return _page(request, "volunteers/signup_confirm.html", {"state": "invalid"})
    if request.method == "POST" and volunteer.email_confirmed_at is None:
        volunteer_email_confirm(volunteer=volunteer)
        volunteer.refresh_from_db()
    state = "confirmed" if volunteer.email_confirmed_at else "ask"
    return _page(
        request,
        "volunteers/signup_confirm.html",
        {"state": state, "volunteer": volunteer},
        language=volunteer.preferred_language,
    )
