"""A volunteer's self-service pages behind their personal link (/s/<token>/): no login, no session, only
that volunteer's own record, tandems, trainings and hours (docs/participants.md, "Self-service"). A link
that does not open gets the same friendly page as a check-in link; ids of other people's rows in a form are
simply not found (the same message as a booked-out session), so nothing tells whether they exist."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import ChannelConsentForm
from core.languages import participant_lang_query
from core.links import link_opened, link_rate_limited, link_use
from core.outbox import channel_states
from core.services import channel_consent_change
from tandems.forms_selfservice import ChoiceIdForm, HoursForm, LinkRequestForm
from tandems.selfservice import (
    certificate_context,
    certificate_pdf,
    default_spent_on,
    hours_log_create,
    hours_log_delete,
    own_hours,
    own_registrations,
    own_tandems,
    selfservice_cancel,
    selfservice_link_request_defer,
    selfservice_open,
    selfservice_register,
    upcoming_sessions,
)
from tandems.views_participant import _closed, _page, _too_many
from volunteers.forms import LanguageFormSet, VolunteerSelfServiceForm, language_initial, language_rows
from volunteers.models import ErasureRequest
from volunteers.services import erasure_request_create, volunteer_self_update


def _url(name: str, token: str, query: str = "") -> str:
    return reverse(f"selfservice:{name}", args=[token]) + query


def redirect(url: str) -> HttpResponse:
    """After a POST, 303 See Other to the page that shows the result (a reload sends nothing again)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _guarded(view):
    """Rate limit, then open the link; the view gets (request, token, link, volunteer)."""

    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        if link_rate_limited(request):
            return _too_many(request)
        opened = selfservice_open(token)
        if opened is None:
            return _closed(request)
        return view(request, token, *opened)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(never_cache(wrapped))


def _render(request: HttpRequest, template: str, token: str, context: dict, *, language: str) -> HttpResponse:
    """A self-service page in the volunteer's preferred language (else their ?lang= switch, else German)."""
    page = template.removesuffix(".html")
    return _page(
        request,
        f"tandems/selfservice/{template}",
        {"token": token, "page": page, **context},
        language=language,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def selfservice_request(request: HttpRequest) -> HttpResponse:
    """ "Link anfordern": the same answer in the same time whatever the address, so it never tells who is
    registered: the request only queues a job (the same insert for every address), and the job looks the
    address up and sends the link only to a registered volunteer who may be written to."""
    if link_rate_limited(request):
        return _too_many(request)
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        selfservice_link_request_defer(email=form.cleaned_data["email"])
        switched = participant_lang_query(request).replace("?", "&")  # the thanks stay in the language
        return redirect(reverse("selfservice:request") + "?sent=1" + switched)
    return _page(
        request, "tandems/selfservice/request.html", {"form": form, "sent": request.GET.get("sent") == "1"}
    )


@require_GET
@_guarded
def selfservice_overview(request, token, link, volunteer) -> HttpResponse:
    link_opened(link=link)
    return _render(
        request,
        "overview.html",
        token,
        {
            "volunteer": volunteer,
            "tandems": own_tandems(volunteer),
            "registrations": own_registrations(volunteer),
            "languages": volunteer.languages.select_related("language"),
            "saved": request.GET.get("saved") == "1",
            "channels": channel_states(volunteer),
            "channel_withdrawn": request.GET.get("withdrawn") == "1",
        },
        language=volunteer.preferred_language,
    )


@require_POST
@_guarded
def selfservice_channel_withdraw(request, token, link, volunteer) -> HttpResponse:
    """The volunteer withdraws their consent to links by e-mail or by text message."""
    form = ChannelConsentForm({"channel": request.POST.get("channel", ""), "given": "no"})
    if form.is_valid():
        channel_consent_change(
            person=volunteer, channel=form.cleaned_data["channel"], given=False, actor=None
        )
        link_use(link=link, what="self_service_channel_withdrawn")
    return redirect(_url("overview", token, "?withdrawn=1" if form.is_valid() else ""))


@require_http_methods(["GET", "POST"])
@_guarded
def selfservice_edit(request, token, link, volunteer) -> HttpResponse:
    form = VolunteerSelfServiceForm(request.POST or None, instance=volunteer)
    formset = LanguageFormSet(
        request.POST or None, initial=None if request.POST else language_initial(volunteer), prefix="lang"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            volunteer_self_update(
                volunteer=volunteer, data=form.cleaned_data, languages=language_rows(formset)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link_use(link=link, what="self_service_edit")
            return redirect(_url("overview", token, "?saved=1"))
    return _render(
        request,
        "edit.html",
        token,
        {"volunteer": volunteer, "form": form, "formset": formset},
        language=volunteer.preferred_language,
    )


@require_GET
@_guarded
def selfservice_trainings(request, token, link, volunteer) -> HttpResponse:
    mine = {r.session_id: r for r in own_registrations(volunteer)}
    sessions = [(session, mine.get(session.pk)) for session in upcoming_sessions()[:50]]
    return _render(
        request,
        "trainings.html",
        token,
        {"sessions": sessions, "done": request.GET.get("done", ""), "error": request.GET.get("error") == "1"},
        language=volunteer.preferred_language,
    )


def _booking(request, token, link, volunteer, action) -> HttpResponse:
    form = ChoiceIdForm(request.POST)
    if not form.is_valid():
        return redirect(_url("trainings", token, "?error=1"))
    try:
        action(volunteer=volunteer, pk=form.cleaned_data["id"])
    except ValidationError:
        return redirect(_url("trainings", token, "?error=1"))
    link_use(link=link, what=f"self_service_{action.__name__}")
    return redirect(_url("trainings", token, f"?done={action.__name__}"))


def register(*, volunteer, pk):
    selfservice_register(volunteer=volunteer, session_id=pk)


def cancel(*, volunteer, pk):
    selfservice_cancel(volunteer=volunteer, registration_id=pk)


@require_POST
@_guarded
def selfservice_register_view(request, token, link, volunteer) -> HttpResponse:
    return _booking(request, token, link, volunteer, register)


@require_POST
@_guarded
def selfservice_cancel_view(request, token, link, volunteer) -> HttpResponse:
    return _booking(request, token, link, volunteer, cancel)


@require_http_methods(["GET", "POST"])
@_guarded
def selfservice_hours(request, token, link, volunteer) -> HttpResponse:
    tandems = own_tandems(volunteer)
    form = HoursForm(request.POST or None, tandems=tandems, initial={"spent_on": default_spent_on()})
    if request.method == "POST" and form.is_valid():
        try:
            hours_log_create(volunteer=volunteer, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link_use(link=link, what="self_service_hours")
            return redirect(_url("hours", token, "?saved=1"))
    return _render(
        request,
        "hours.html",
        token,
        {
            "form": form,
            "has_tandems": tandems.exists(),
            "hours": own_hours(volunteer)[:100],
            "saved": request.GET.get("saved") == "1",
            "deleted": request.GET.get("deleted") == "1",
            "error": request.GET.get("error") == "1",
        },
        language=volunteer.preferred_language,
    )


@require_POST
@_guarded
def selfservice_hours_delete(request, token, link, volunteer) -> HttpResponse:
    form = ChoiceIdForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("id")
        hours_log_delete(volunteer=volunteer, hours_log_id=form.cleaned_data["id"])
    except ValidationError:
        return redirect(_url("hours", token, "?error=1"))
    link_use(link=link, what="self_service_hours_delete")
    return redirect(_url("hours", token, "?deleted=1"))


@require_http_methods(["GET", "POST"])
@_guarded
def selfservice_erasure(request, token, link, volunteer) -> HttpResponse:
    """Ask for the erasure of one's data: a request in the coordinators' queue, not an immediate delete."""
    if request.method == "POST":
        erasure_request_create(volunteer=volunteer)
        link_use(link=link, what="self_service_erasure")
        return redirect(_url("erasure", token, "?sent=1"))
    asked = ErasureRequest.objects.filter(volunteer=volunteer).exists()
    return _render(
        request,
        "erasure.html",
        token,
        {"asked": asked, "sent": request.GET.get("sent") == "1"},
        language=volunteer.preferred_language,
    )


@require_GET
@_guarded
def selfservice_certificate(request, token, link, volunteer) -> HttpResponse:
    """The activity certificate (Tätigkeitsnachweis) as a PDF, e.g. for the Ehrenamtskarte."""
    link_opened(link=link)
    html = render_to_string("tandems/selfservice/certificate.html", certificate_context(volunteer))
    response = HttpResponse(certificate_pdf(html), content_type="application/pdf")
    name = _("activity-certificate")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
