"""The relationship survey behind a participant's personal link (/t/survey/<token>/, tandems/survey.py): no
login, no session, one statement per screen on a five-point scale. Each screen posts the answers so far as
hidden fields, so the page needs no JavaScript and stores nothing before the last screen. A link that does
not open gets the check-in's friendly page; a flood of requests is answered 429."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.languages import participant_lang_query, participant_language
from core.links import link_check, link_opened, link_rate_limited
from core.models import LinkPurpose, ParticipantLink
from tandems.models_survey import SurveyItem
from tandems.survey import SCALE, survey_answered, survey_items, survey_of_link, survey_response_record
from tandems.views_participant import _closed, _page, _too_many

# the five points, from "not true at all" to "completely true": a face and words, never a colour alone
SCALE_CHOICES = [
    (1, "😞", _("Not true at all")),
    (2, "🙁", _("Mostly not true")),
    (3, "😐", _("Partly true")),
    (4, "🙂", _("Mostly true")),
    (5, "😀", _("Completely true")),
]


def _carried(data, items: list[SurveyItem]) -> dict[int, int]:
    """The answers of the earlier screens (hidden fields `item_<id>`), each checked again."""
    found = {}
    for item in items:
        raw = data.get(f"item_{item.pk}", "")
        if raw.isdigit() and int(raw) in SCALE:
            found[item.pk] = int(raw)
    return found


def _screen(request, *, token, items, step, carried, language, error=False) -> HttpResponse:
    item = items[step]
    statement = item.text(language)
    return _page(
        request,
        "tandems/participant/survey.html",
        {
            "token": token,
            "step": step,
            "number": step + 1,
            "total": len(items),
            "statement": statement,
            # a statement without a text in the page's language shows the German one, marked as German
            "statement_is_german": not (item.texts or {}).get(language),
            "carried": [(pk, value) for pk, value in carried.items() if pk != item.pk],
            "current": carried.get(item.pk),
            "scale": SCALE_CHOICES,
            "error": error,
        },
        language=language,
    )


def _opened(token: str, request: HttpRequest) -> tuple[ParticipantLink | None, tuple | None, str]:
    found = link_check(token, purpose=LinkPurpose.SURVEY)
    language = participant_language(request, found.link.language if found.link else "")
    if not found.ok:
        return None, None, language
    return found.link, survey_of_link(found.link), language


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def participant_survey(request: HttpRequest, token: str) -> HttpResponse:
    if link_rate_limited(request):
        return _too_many(request)
    link, opened, language = _opened(token, request)
    if link is None or opened is None:
        return _closed(request, language)
    tandem, wave, side = opened
    items = survey_items(side)
    if not items:
        return _closed(request, language)
    if survey_answered(tandem=tandem, wave=wave, side=side):
        just_now = request.method == "GET" and request.GET.get("sent") == "1"
        context = {"just_now": just_now}
        return _page(request, "tandems/participant/survey_thanks.html", context, language=language)
    if request.method == "GET":
        link_opened(link=link)
        return _screen(request, token=token, items=items, step=0, carried={}, language=language)
    carried = _carried(request.POST, items)
    raw_step = request.POST.get("step", "")
    step = min(int(raw_step), len(items) - 1) if raw_step.isdigit() else 0
    if request.POST.get("back"):
        return _screen(
            request, token=token, items=items, step=max(step - 1, 0), carried=carried, language=language
        )
    value = request.POST.get("value", "")
    if not (value.isdigit() and int(value) in SCALE):
        return _screen(
            request, token=token, items=items, step=step, carried=carried, language=language, error=True
        )
    carried[items[step].pk] = int(value)
    missing = [index for index, item in enumerate(items) if item.pk not in carried]
    if missing:
        following = next((index for index in missing if index > step), missing[0])
        return _screen(request, token=token, items=items, step=following, carried=carried, language=language)
    try:
        survey_response_record(link=link, values=carried)
    except ValidationError:
        return _closed(request, language)
    # after the answer, a GET: a reload or the back button cannot send it again
    switched = participant_lang_query(request).replace("?", "&")
    return redirect(reverse("participant:survey", args=[token]) + "?sent=1" + switched)
