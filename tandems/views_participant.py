"""The pages behind a participant's personal link (/t/<token>/): no login, no session, one person's own
check-in and nothing else. A link that does not open (tampered, another's, expired, used up, revoked) gets
one and the same friendly page saying whom to contact, so nothing here tells whether a person is known;
a flood of requests from one address is answered 429 (core.links.link_rate_limited)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.languages import participant_lang_query, participant_language, participant_render
from core.links import link_check, link_opened, link_rate_limited
from core.models import LinkPurpose
from tandems.forms_participant import ParticipantCheckInForm, steps_for
from tandems.models import CheckInBy, Met, Mood
from tandems.participants import (
    ANSWERING,
    checkin_answered,
    help_request_raise,
    participant_checkin_record,
    side_of,
    tandem_of_link,
)

MOOD_FACES = [(Mood.GREEN, "😀", "good"), (Mood.YELLOW, "😐", "so-so"), (Mood.RED, "😟", "bad")]
MET_PICTOGRAMS = [(Met.YES, "🤝"), (Met.NO, "⏳"), (Met.STOPPED, "✋")]


def _page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, language: str = ""
) -> HttpResponse:
    response = participant_render(
        request,
        template,
        context,
        language=language,
        status=status,
        lang_query=participant_lang_query(request),
    )
    # the token is in the address: it is never handed to another site (same-origin: a form post still
    # carries its origin, which the CSRF check needs), and no search engine keeps it
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request: HttpRequest, language: str = "") -> HttpResponse:
    return _page(request, "tandems/participant/link_closed.html", {}, language=language)


def _open(request: HttpRequest, token: str):
    """(link, tandem) when the token opens a check-in of a tandem that still takes one, else None."""
    found = link_check(token, purpose=LinkPurpose.CHECKIN)
    if not found.ok:
        return None, participant_language(request, found.link.language if found.link else "")
    language = participant_language(request, found.link.language)
    tandem = tandem_of_link(found.link)
    if tandem is None or tandem.status not in ANSWERING:
        return None, language
    return (found.link, tandem), language


def _too_many(request: HttpRequest) -> HttpResponse:
    return _page(request, "tandems/participant/too_many.html", {}, status=429)


def _answers(data) -> dict:
    """The answers so far, carried to the next screen as hidden fields (raw values, checked again there)."""
    areas = data.getlist("areas") if hasattr(data, "getlist") else [a.pk for a in data.get("areas") or []]
    return {
        "met": data.get("met") or "",
        "mood": data.get("mood") or "",
        "areas": [str(a) for a in areas],
        "text": data.get("text") or "",
    }


def _step_context(
    form: ParticipantCheckInForm, step: str, answers: dict, token: str, is_volunteer: bool
) -> dict:
    order = steps_for(answers["met"])
    return {
        "form": form,
        "answers": answers,
        "step": step,
        "number": order.index(step) + 1 if step in order else 1,
        "total": len(order),
        "faces": MOOD_FACES,
        "met_choices": [(value, pictogram, Met(value).label) for value, pictogram in MET_PICTOGRAMS],
        "token": token,
        "is_volunteer": is_volunteer,
    }


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_checkin(request: HttpRequest, token: str) -> HttpResponse:
    if link_rate_limited(request):
        return _too_many(request)
    opened, language = _open(request, token)
    if opened is None:
        return _closed(request, language)
    link, tandem = opened
    is_volunteer = side_of(link) == CheckInBy.VOLUNTEER
    if checkin_answered(link):
        just_now = request.method == "GET" and request.GET.get("sent") == "1"
        return _page(
            request,
            "tandems/participant/thanks.html",
            {"token": token, "just_now": just_now},
            language=language,
        )
    if request.method == "GET":
        link_opened(link=link)
        form = ParticipantCheckInForm(initial={"step": "met"})
        return _page(
            request,
            "tandems/participant/checkin.html",
            _step_context(form, "met", _answers({}), token, is_volunteer),
            language=language,
        )
    with translation.override(language):
        form = ParticipantCheckInForm(request.POST)
        valid = form.is_valid()
    if not valid:
        step = form.data.get("step") if form.data.get("step") in ("met", "mood", "areas", "text") else "met"
        answers = _answers(form.data)
        if answers["met"] not in Met.values:
            answers["met"], step = "", "met"
        return _page(
            request,
            "tandems/participant/checkin.html",
            _step_context(form, step, answers, token, is_volunteer),
            language=language,
        )
    data = form.cleaned_data
    following = form.next_step()
    if following is not None:
        answers = _answers(data)
        shown = ParticipantCheckInForm(initial={**answers, "step": following})
        return _page(
            request,
            "tandems/participant/checkin.html",
            _step_context(shown, following, answers, token, is_volunteer),
            language=language,
        )
    try:
        participant_checkin_record(
            link=link,
            met=data["met"],
            mood=data.get("mood") or "",
            areas=list(data.get("areas") or []) if data["met"] == Met.YES else [],
            text=data.get("text") or "",
        )
    except ValidationError:
        return _closed(request, language)
    # after the answer, a GET: a reload or the back button cannot send it again
    switched = participant_lang_query(request).replace("?", "&")
    return redirect(reverse("participant:checkin", args=[token]) + "?sent=1" + switched)


@login_not_required
@never_cache
@require_POST
def participant_help(request: HttpRequest, token: str) -> HttpResponse:
    """ "I need help": the responsible coordinator is alerted at once (start page and e-mail)."""
    if link_rate_limited(request):
        return _too_many(request)
    opened, language = _open(request, token)
    if opened is None:
        return _closed(request, language)
    link, _tandem = opened
    try:
        help_request_raise(link=link)
    except ValidationError:
        return _closed(request, language)
    return _page(request, "tandems/participant/help_sent.html", {"token": token}, language=language)
