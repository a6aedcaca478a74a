from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_entries_for
from core.history import history_present
from core.lists import Column, ListSpec, list_response
from core.models import User
from core.permissions import has_perm, permission_required, require
from core.search import search_queryset
from trainings import services
from trainings.filters import SessionFilter, VolunteerChoiceFilter, WaitingFilter
from trainings.forms import (
    UNREADABLE_SELECTION,
    AttendanceForm,
    InvitationForm,
    InvitationGroup,
    RegistrationForm,
    RegistrationManyForm,
    SessionForm,
)
from trainings.ical import sessions_ical
from trainings.models import CalendarToken, Registration, RegistrationStatus, Session
from trainings.selectors import (
    NOT_WAITING_FOR_TRAINING,
    calendar_token_for,
    registration_list_visible,
    session_coming,
    session_list_visible,
    session_list_with_counts,
    volunteer_list_registrable,
    volunteer_waiting_for_basic,
)
from volunteers.models import VolunteerStatus, volunteer_name_document

SESSION_LIST = ListSpec(
    filterset=SessionFilter,
    sorts={
        "date": ("starts_at",),
        "course": ("course_type__sort_order", "starts_at"),
        "organisation": ("organisation__short_name", "starts_at"),
        "registered": ("registered_count", "starts_at"),
    },
    default_sort="date",
    columns=[
        Column(gettext_lazy("Start"), lambda s: s.starts_at),
        Column(gettext_lazy("End"), lambda s: s.ends_at),
        Column(gettext_lazy("Course type"), lambda s: str(s.course_type)),
        Column(gettext_lazy("Place"), lambda s: s.place or s.online_url),
        Column(gettext_lazy("Trainer"), lambda s: s.trainer),
        Column(gettext_lazy("Organisation"), lambda s: s.organisation.short_name),
        Column(gettext_lazy("Capacity"), lambda s: s.capacity),
        Column(gettext_lazy("Registered"), lambda s: s.registered_count),
        Column(gettext_lazy("Waiting list"), lambda s: s.waiting_count),
        Column(gettext_lazy("Attended"), lambda s: s.attended_count),
    ],
    export_name="schulungen",
)

VOLUNTEER_CHOICE = ListSpec(
    filterset=VolunteerChoiceFilter,
    sorts={
        "name": ("last_name", "first_name"),
        "organisation": ("organisation__short_name", "last_name", "first_name"),
        "status": ("status", "last_name", "first_name"),
    },
    default_sort="name",
    per_page=50,
)

WAITING_LIST = ListSpec(
    filterset=WaitingFilter,
    sorts={
        "waiting": ("waiting_since",),
        "name": ("last_name", "first_name"),
        "organisation": ("organisation__short_name", "waiting_since"),
    },
    default_sort="waiting",
    columns=[
        Column(gettext_lazy("Last name"), lambda v: v.last_name),
        Column(gettext_lazy("First name"), lambda v: v.first_name),
        Column(gettext_lazy("Organisation"), lambda v: v.organisation.short_name),
        Column(gettext_lazy("City district"), lambda v: str(v.district) if v.district else ""),
        Column(gettext_lazy("Status"), lambda v: v.get_status_display()),
        Column(gettext_lazy("Waiting since"), lambda v: v.waiting_since),
        Column(gettext_lazy("Registered for a coming basic training"), lambda v: v.coming_basic),
    ],
    export_name="warten-auf-basisschulung",
)


def _ics_response(sessions, *, name: str) -> HttpResponse:
    response = HttpResponse(sessions_ical(sessions, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schulungen.ics"'
    return response


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
@permission_required("trainings.view")
def session_list(request: HttpRequest) -> HttpResponse:
    if not request.GET:
        return redirect(reverse("trainings:session_list") + "?when=coming")
    return list_response(
        request,
        queryset=session_list_with_counts(user=request.user),
        spec=SESSION_LIST,
        template="trainings/session_list.html",
        fragment="trainings/_session_table.html",
        context={
            "can_create": has_perm(user=request.user, perm="trainings.change"),
            "calendar_token": calendar_token_for(user=request.user),
        },
    )


@require_GET
@permission_required("trainings.view")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(session_list_with_counts(user=request.user), pk=pk)
    user = request.user
    registrations = list(
        registration_list_visible(user=user)
        .filter(session=session)
        .order_by("status", "waiting_position", "volunteer__last_name", "volunteer__first_name")
    )
    can_register = has_perm(user=user, perm="trainings.change")
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "can_register": can_register,
            "can_change": has_perm(user=user, perm="trainings.change", organisation=session.organisation),
            "search": _registration_search_context(session=session, user=user, text="")
            if can_register
            else None,
            "calendar_token": calendar_token_for(user=user),
            "history": history_present(audit_entries_for(session)[:100])
            if has_perm(user=user, perm="core.view_history", organisation=session.organisation)
            else None,
            "sees_all": has_perm(user=user, perm="core.all_organisations"),
        },
    )


# the single-volunteer field is a search: a select of thousands of names is unusable and slow
REGISTER_SEARCH_LIMIT = 20
REGISTER_SEARCH_MIN_LETTERS = 2


def _registration_search_context(*, session: Session, user: User, text: str) -> dict:
    """The matches for the search text: at most REGISTER_SEARCH_LIMIT of the volunteers the user may
    register and who are not on the session yet, found by name (core.search), only for ≥2 letters."""
    text = (text or "").strip()[:200]
    letters = sum(character.isalnum() for character in text)
    matches = []
    if letters >= REGISTER_SEARCH_MIN_LETTERS:
        candidates = search_queryset(
            _registrable_for(session=session, user=user), volunteer_name_document(), text, names_only=True
        )
        matches = list(candidates.select_related("organisation", "district")[: REGISTER_SEARCH_LIMIT + 1])
    return {
        "text": text,
        "too_short": bool(text) and letters < REGISTER_SEARCH_MIN_LETTERS,
        "matches": matches[:REGISTER_SEARCH_LIMIT],
        "more": len(matches) > REGISTER_SEARCH_LIMIT,
        "limit": REGISTER_SEARCH_LIMIT,
        "min_letters": REGISTER_SEARCH_MIN_LETTERS,
    }


@require_GET
@permission_required("trainings.change")
def registration_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a volunteer to register by name: the choices alone for htmx, without JavaScript the page with
    the search and the choices (a plain GET form)."""
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    context = {
        "session": session,
        "search": _registration_search_context(
            session=session, user=request.user, text=request.GET.get("q", "")
        ),
    }
    if request.htmx:
        response = render(request, "trainings/_registration_choices.html", context)
    else:
        response = render(request, "trainings/registration_search.html", context)
    response["Vary"] = "HX-Request"
    return response


def _registrable_for(*, session: Session, user: User):
    """Volunteers the user may register for this session and who are not on it yet."""
    return (
        volunteer_list_registrable(user=user)
        .exclude(status__in=NOT_WAITING_FOR_TRAINING)
        .exclude(training_registrations__session=session)
        .order_by("last_name", "first_name", "pk")
    )


@require_http_methods(["GET", "POST"])
@permission_required("trainings.change")
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        require(user=request.user, perm="trainings.change", organisation=form.cleaned_data["organisation"])
        try:
            session = services.session_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(request, "trainings/session_form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
@permission_required("trainings.view")
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="trainings.change", organisation=session.organisation)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(session=session, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(session)
    return render(request, "trainings/session_form.html", {"form": form, "session": session})


@require_POST
@permission_required("trainings.view")
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="trainings.change", organisation=session.organisation)
    try:
        services.session_delete(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(session)
    messages.success(request, _("Session deleted."))
    return redirect("trainings:session_list")


@require_POST
@permission_required("trainings.change")
def registration_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    raw = request.POST.get("volunteer", "")
    if raw.isascii() and raw.isdigit():  # "²".isdigit() is true, but int("²") fails
        # a volunteer of another organisation is not revealed: 404, like any record out of scope
        get_object_or_404(volunteer_list_registrable(user=request.user), pk=raw)
    form = RegistrationForm(request.POST, volunteers=volunteer_list_registrable(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a volunteer to register."))
        return redirect(session)
    volunteer = form.cleaned_data["volunteer"]
    try:
        registration = services.registration_create(
            session=session, volunteer=volunteer, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(session)
    _registration_message(request, registration)
    return redirect(session)


def _registration_message(request: HttpRequest, registration: Registration) -> None:
    if registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _("The session is full: %(name)s is on the waiting list (position %(position)s).")
            % {"name": registration.volunteer, "position": registration.waiting_position},
        )
    else:
        messages.success(request, _("%(name)s is registered.") % {"name": registration.volunteer})


@require_POST
@permission_required("trainings.change")
def registration_delete(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(registration_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="trainings.change", organisation=registration.volunteer.organisation)
    session = registration.session
    try:
        moved = services.registration_delete(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(session)
    messages.success(request, _("%(name)s is deregistered.") % {"name": registration.volunteer})
    visible = set(
        registration_list_visible(user=request.user).filter(session=session).values_list("pk", flat=True)
    )
    for promoted in moved:
        if promoted.pk in visible:
            text = _("%(name)s moved up from the waiting list.") % {"name": promoted.volunteer}
        else:
            text = _("A person from the waiting list moved up.")
        messages.info(request, text)
    return redirect(session)


@require_http_methods(["GET", "POST"])
@permission_required("trainings.change")
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register many volunteers at once, chosen from a filtered list."""
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    registrable = volunteer_list_registrable(user=request.user)
    if request.method == "POST":
        form = RegistrationManyForm(request.POST, volunteers=registrable)
        if not form.is_valid():
            if form.has_error("volunteers", "invalid_choice"):
                raise Http404  # someone outside the user's scope
            messages.error(request, form.errors["volunteers"][0])
            return redirect(request.get_full_path())
        if request.POST.get("confirm") != "1":
            return _session_register_confirm(request, session, list(form.cleaned_data["volunteers"]))
        summary = services.registration_create_many(
            session=session, volunteers=form.cleaned_data["volunteers"], actor=request.user
        )
        if summary.registered:
            messages.success(
                request, _("Registered: %(names)s.") % {"names": ", ".join(map(str, summary.registered))}
            )
        if summary.waiting:
            messages.warning(
                request,
                _("On the waiting list: %(names)s.") % {"names": ", ".join(map(str, summary.waiting))},
            )
        if summary.skipped:
            messages.info(
                request,
                _("Already registered before: %(names)s.") % {"names": ", ".join(map(str, summary.skipped))},
            )
        return redirect(session)
    queryset = registrable.exclude(status__in=(VolunteerStatus.LEFT,)).annotate(
        is_registered=Exists(Registration.objects.filter(session=session, volunteer=OuterRef("pk")))
    )
    return list_response(
        request,
        queryset=queryset,
        spec=VOLUNTEER_CHOICE,
        template="trainings/session_register.html",
        fragment="trainings/_register_table.html",
        context={"session": session},
    )


def _session_register_confirm(request: HttpRequest, session: Session, chosen: list) -> HttpResponse:
    """Before a bulk registration: how many will be registered, how many get a place and how many go onto
    the waiting list (in the list's order), and who is already on the session."""
    already = set(Registration.objects.filter(session=session).values_list("volunteer_id", flat=True))
    new = [volunteer for volunteer in chosen if volunteer.pk not in already]
    taken = Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED).count()
    places = max(session.capacity - taken, 0)
    return render(
        request,
        "trainings/session_register_confirm.html",
        {
            "session": session,
            "chosen": chosen,
            "new": new,
            "placed": new[:places],
            "waiting": new[places:],
            "skipped": [volunteer for volunteer in chosen if volunteer.pk in already],
            "back": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("trainings.change")
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who attended. With JavaScript each box saves itself; without, the button saves all the rows
    the form showed (hidden `shown` inputs): a registration the form did not name (added since the page
    was loaded, or left out of a partial form) is left as it is, never taken for "did not attend"."""
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    registrations = list(
        registration_list_visible(user=request.user)
        .filter(session=session, status=RegistrationStatus.REGISTERED)
        .order_by("volunteer__last_name", "volunteer__first_name", "pk")
    )
    if request.method == "POST":
        form = AttendanceForm(
            request.POST, registrations=registration_list_visible(user=request.user).filter(session=session)
        )
        if not form.is_valid():
            messages.error(request, UNREADABLE_SELECTION)
            return redirect("trainings:session_attendance", pk=session.pk)
        shown = {r.pk for r in form.cleaned_data["shown"]}
        ticked = {r.pk for r in form.cleaned_data["attended"]}
        changed = 0
        for registration in (r for r in registrations if r.pk in shown):
            wanted = registration.pk in ticked
            if registration.attended == wanted:
                continue
            try:
                services.training_attendance_record(
                    registration=registration, attended=wanted, actor=request.user
                )
                changed += 1
            except ValidationError as error:
                messages.error(request, f"{registration.volunteer}: {_error_text(error)}")
        messages.success(request, _("Attendance saved (%(count)s changes).") % {"count": changed})
        return redirect("trainings:session_attendance", pk=session.pk)
    return render(
        request,
        "trainings/session_attendance.html",
        {"session": session, "registrations": registrations},
    )


@require_POST
@permission_required("trainings.change")
def registration_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """One checkbox of the attendance page (htmx): saves and answers with the row."""
    registration = get_object_or_404(registration_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="trainings.change", organisation=registration.volunteer.organisation)
    attended = str(registration.pk) in request.POST.getlist("attended")
    error = ""
    try:
        registration = services.training_attendance_record(
            registration=registration, attended=attended, actor=request.user
        )
    except ValidationError as exc:
        error = _error_text(exc)
        registration.refresh_from_db()
    registration.volunteer.refresh_from_db(fields=["trained_on", "status"])
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("trainings:session_attendance", pk=registration.session_id)
    return render(
        request,
        "trainings/_attendance_row.html",
        {"registration": registration, "session": registration.session, "error": error, "saved": not error},
    )


@require_http_methods(["GET", "POST"])
@permission_required("trainings.change")
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(session_list_visible(user=request.user), pk=pk)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        volunteers = volunteer_list_registrable(user=request.user)
        if group == InvitationGroup.UNTRAINED:
            volunteers = volunteers.filter(trained_on__isnull=True).exclude(
                status__in=NOT_WAITING_FOR_TRAINING
            )
        elif group == InvitationGroup.ACTIVE_OF_ORGANISATION:
            volunteers = volunteers.filter(
                organisation=form.cleaned_data["organisation"], status=VolunteerStatus.ACTIVE
            )
        else:
            volunteers = volunteers.filter(
                training_registrations__session=session,
                training_registrations__status=RegistrationStatus.REGISTERED,
            )
        result = services.session_invitations_send(
            session=session,
            volunteers=volunteers.order_by("last_name", "first_name", "pk"),
            actor=request.user,
            group=group,
        )
        return render(
            request,
            "trainings/session_invite_result.html",
            {"session": session, "result": result, "group": dict(InvitationGroup.CHOICES)[group]},
        )
    return render(request, "trainings/session_invite.html", {"session": session, "form": form})


@require_GET
@permission_required("trainings.view")
def basic_waiting_list(request: HttpRequest) -> HttpResponse:
    """Volunteers still waiting for the basic training, longest waiting first."""
    return list_response(
        request,
        queryset=volunteer_waiting_for_basic(user=request.user),
        spec=WAITING_LIST,
        template="trainings/basic_waiting_list.html",
        fragment="trainings/_basic_waiting_table.html",
        context={
            "coming_basic": session_coming(user=request.user)
            .filter(course_type__is_required=True)
            .order_by("starts_at")[:5],
            "can_register": has_perm(user=request.user, perm="trainings.change"),
        },
    )


@require_GET
@permission_required("trainings.view")
def calendar_feed(request: HttpRequest) -> HttpResponse:
    sessions = session_coming(user=request.user).order_by("starts_at")
    return _ics_response(sessions, name=_("10.000 Freunde – trainings and meetups"))


@require_GET
@never_cache
@login_not_required
def calendar_token_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The same feed through a secret link, for calendar clients that cannot log in."""
    row = CalendarToken.objects.select_related("user").filter(token=token).first()
    if row is None or not row.user.is_active or not has_perm(user=row.user, perm="trainings.view"):
        raise Http404
    sessions = session_coming(user=row.user).order_by("starts_at")
    return _ics_response(sessions, name=_("10.000 Freunde – trainings and meetups"))


@require_POST
@permission_required("trainings.view")
def calendar_token_regenerate(request: HttpRequest) -> HttpResponse:
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, _("Your calendar link is ready. A previous link no longer works."))
    target = request.POST.get("next", "")
    # only a path: redirect() would take any other word for a URL name and fail with a 500
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        return redirect(target)
    return redirect("trainings:session_list")
