"""Which language a participant-facing page or message speaks.

Staff pages speak German or English only (settings.LANGUAGES, chosen by LocaleMiddleware, so a staff user
cannot switch the admin views to Arabic). Pages that a volunteer or a household opens by link, and the
public sign-up, also speak settings.PARTICIPANT_LANGUAGES: the person's preferred language decides, and the
visitor may switch on the page with ?lang=<code> (a code outside the list is ignored). Their strings live in
a catalogue of their own, locale_participant/ (docs/languages.md)."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

# German in plain language (Leichte Sprache): Django knows no such code, so it gets its own entry; its
# catalogue falls back to German wherever it has no plainer wording.
LANG_INFO.setdefault(
    "de-ls",
    {"bidi": False, "code": "de-ls", "name": "German (plain language)", "name_local": "Leichte Sprache"},
)

SWITCH_PARAMETER = "lang"


def participant_codes() -> list[str]:
    return [code for code, _name in settings.PARTICIPANT_LANGUAGES]


def participant_language_supported(code: str | None) -> str:
    """`code` when participant pages speak it (an "ar-SY" counts as "ar"), else ""."""
    code = (code or "").strip().lower()
    codes = participant_codes()
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else ""


def participant_language(request: HttpRequest | None, preferred: str = "") -> str:
    """The language of a participant page: the visitor's switch (?lang=), else the person's preferred
    language, else German."""
    chosen = participant_language_supported(request.GET.get(SWITCH_PARAMETER)) if request is not None else ""
    return chosen or participant_language_supported(preferred) or settings.LANGUAGE_CODE


def participant_lang_query(request: HttpRequest) -> str:
    """The `?lang=<code>` that a participant page's links and forms carry to keep the visitor's switch:
    a code the pages speak, normalised ("AR-sy" is "ar"); an unknown code is dropped, so the next page
    shows what this one showed (the person's preferred language, else German), never an error."""
    chosen = participant_language_supported(request.GET.get(SWITCH_PARAMETER))
    return f"?{SWITCH_PARAMETER}={chosen}" if chosen else ""


def participant_render(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    language: str = "",
    status: int = 200,
    lang_query: str = "",
) -> HttpResponse:
    """A page in the participant frame, in the visitor's language (?lang=), else `language`, else German:
    the frame's contact line, reading direction and language switcher, and `lang_query`, which the page's
    links and forms carry to keep the language the visitor switched to."""
    language = participant_language(request, language)
    with translation.override(language):
        return render(
            request,
            template,
            {
                "contact": settings.PARTICIPANT_CONTACT,
                "language_bidi": translation.get_language_bidi(),
                "participant_languages": participant_language_choices(language),
                "lang_query": lang_query,
                **context,
            },
            status=status,
        )


def participant_language_choices(current: str) -> list[dict]:
    """The switcher's entries: code, name in its own language, whether it is the page's language."""
    return [
        {"code": code, "name": name, "current": code == current}
        for code, name in settings.PARTICIPANT_LANGUAGES
    ]


# The files whose strings participants read: their msgids make locale_participant/ (manage.py
# participant_messages), and tests/core/test_participant_languages.py fails on any of them that is
# untranslated or fuzzy in a participant language. A new participant page adds its files here.
PARTICIPANT_SOURCES = [
    "templates/tandems/participant/",
    "templates/tandems/email/checkin_link.txt",
    "templates/tandems/email/checkin_link_subject.txt",
    "templates/tandems/sms/checkin_link.txt",
    "tandems/forms_participant.py",
    "tandems/views_participant.py",
    # the relationship survey (its page and thanks are in templates/tandems/participant/)
    "templates/tandems/email/survey_link.txt",
    "templates/tandems/email/survey_link_subject.txt",
    "tandems/views_survey.py",
    # the public sign-up, its privacy page and its confirmation e-mail
    "templates/volunteers/signup_form.html",
    "templates/volunteers/signup_done.html",
    "templates/volunteers/signup_privacy.html",
    "templates/volunteers/signup_confirm.html",
    "templates/volunteers/email/signup_confirm.txt",
    "templates/volunteers/email/signup_confirm_subject.txt",
    # the answer to a request for erasure that a coordinator declined
    "templates/volunteers/email/erasure_declined.txt",
    "templates/volunteers/email/erasure_declined_subject.txt",
    "volunteers/forms_signup.py",
    "volunteers/signup.py",
    # the referral consent printed for or read to the household
    "templates/refugees/consent_text.html",
    # the letters and invitations sent to participants, in their preferred language
    "templates/tandems/introduction_letter.txt",
    "templates/tandems/introduction_letter_subject.txt",
    "templates/tandems/agreement.txt",
    "templates/tandems/agreement_subject.txt",
    "templates/tandems/closing_letter.txt",
    "templates/tandems/closing_letter_subject.txt",
    "templates/trainings/email/invitation.txt",
    "templates/trainings/email/invitation_subject.txt",
    # the volunteer's self-service pages and the e-mail carrying their link
    "templates/tandems/selfservice/",
    "templates/tandems/email/selfservice_link.txt",
    "templates/tandems/email/selfservice_link_subject.txt",
    "tandems/forms_selfservice.py",
    "tandems/views_selfservice.py",
    # the names of the seeded areas of help (check-in, sign-up, self-service)
    "core/reference_names.py",
]
# The languages with a catalogue in locale_participant/ (German and English come from locale/).
PARTICIPANT_CATALOGUES = ["de-ls", "ar", "fa", "uk", "tr", "ru"]
