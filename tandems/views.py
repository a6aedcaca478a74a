from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_entries_for
from core.history import history_present
from core.lists import PAGE_SIZES, Column, ListSpec, list_response, page_size
from core.models import Organisation, OrganisationKind, User
from core.permissions import has_perm, memberships, permission_required, require, users_with
from refugees.models import Refugee
from refugees.selectors import refugee_list_visible
from tandems import batch as batch_engine
from tandems import batch_runs, services
from tandems.filters import TandemFilter
from tandems.forms import (
    BatchConfirmForm,
    CheckInForm,
    EndForm,
    HandoverForm,
    IntroduceForm,
    NotStartedForm,
    StartForm,
    TandemEditForm,
)
from tandems.matching import (
    candidate_volunteers,
    explain_pair,
    load_context,
    load_refugees,
    load_volunteers,
    suggest_refugees,
    suggest_volunteers,
    waiting_refugees,
)
from tandems.matching.risk import Risk
from tandems.models import (
    OPEN_STATUSES,
    BatchRun,
    BatchRunStatus,
    CheckIn,
    CheckInCadence,
    Tandem,
    VolunteerRelease,
)
from tandems.selectors import cadence_active, tandem_actions, tandem_list_visible, with_support_flags
from tandems.selectors_closure import closure_of
from tandems.views_links import participant_links_of
from volunteers.models import Volunteer
from volunteers.selectors import volunteer_list_visible

# how a pair was decided (`mode` in the stored explanation, tandems.services)
MATCH_MODES = {
    "suggestion": gettext_lazy("from the suggestions"),
    "batch": gettext_lazy("from the batch proposal"),
}

TANDEM_LIST = ListSpec(
    filterset=TandemFilter,
    sorts={
        "proposed": ("proposed_on",),
        "volunteer": ("volunteer__last_name", "volunteer__first_name"),
        "refugee": ("refugee__last_name", "refugee__first_name"),
        "status": ("status",),
        "next_due": ("next_due_on",),
        "last_contact": ("last_contact_on",),
    },
    default_sort="-proposed",
    columns=[
        Column(_("Volunteer"), lambda t: str(t.volunteer)),
        Column(_("Refugee"), lambda t: str(t.refugee)),
        Column(_("Organisation"), lambda t: str(t.organisation)),
        Column(_("Coordinator"), lambda t: str(t.coordinator or "")),
        Column(_("Status"), lambda t: t.get_status_display()),
        Column(_("Proposed on"), lambda t: t.proposed_on),
        Column(_("Started on"), lambda t: t.started_on),
        Column(_("Ended on"), lambda t: t.ended_on),
        Column(_("End reason"), lambda t: str(t.end_reason or "")),
        Column(_("Last contact"), lambda t: t.last_contact_on),
        Column(_("Next check-in"), lambda t: t.next_due_on),
        Column(_("At risk"), lambda t: t.is_at_risk),
        Column(_("Why at risk"), lambda t: [str(r) for r in t.risk_reasons]),
    ],
    export_name="tandems",
)


def _tandem_for_change(request: HttpRequest, pk: int) -> Tandem:
    tandem = get_object_or_404(tandem_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="tandems.change", organisation=tandem.organisation)
    return tandem


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_GET
@permission_required("tandems.view")
def tandem_list(request: HttpRequest) -> HttpResponse:
    queryset = with_support_flags(tandem_list_visible(user=request.user))
    return list_response(
        request,
        queryset=queryset,
        spec=TANDEM_LIST,
        template="tandems/tandem_list.html",
        fragment="tandems/_tandem_table.html",
    )


DETAIL_RELATED = (
    "volunteer__organisation",
    "volunteer__district",
    "refugee__organisation",
    "refugee__district",
    "proposed_by",
)


@require_GET
@permission_required("tandems.view")
def tandem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # the page shows both people's organisation and district and who proposed the tandem: joined here,
    # not loaded one by one from the template
    tandem = get_object_or_404(
        with_support_flags(tandem_list_visible(user=request.user)).select_related(*DETAIL_RELATED), pk=pk
    )
    checkins = list(tandem.checkins.select_related("recorded_by").order_by("-held_on", "-planned_on", "-pk"))
    explanation = tandem.match_explanation or {}
    return render(
        request,
        "tandems/tandem_detail.html",
        {
            "tandem": tandem,
            "contacts": [c for c in checkins if c.held_on],
            "planned": next((c for c in checkins if c.held_on is None), None),
            "history": history_present(audit_entries_for(tandem)[:50]),
            "can_change": has_perm(
                user=request.user, perm="tandems.change", organisation=tandem.organisation
            ),
            "actions": tandem_actions(tandem=tandem, user=request.user),
            "explanation": explanation,
            "explanation_mode": MATCH_MODES.get(explanation.get("mode"), explanation.get("mode") or "–"),
            "explanation_risk": Risk.from_record(explanation.get("risk")),
            # the participants' side (tandems/views_links.py): their personal links and "I need help"
            "participant_links": participant_links_of(tandem),
            "help_requests": list(tandem.help_requests.filter(handled_at__isnull=True)),
            # the closure (tandems/_closure.html): exit conversations, wishes, outcomes
            **closure_of(tandem),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    form = TandemEditForm(
        request.POST or None, instance=tandem, coordinators=_colleagues(request.user, tandem)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tandem_update(tandem=tandem, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(tandem)
    return render(
        request, "tandems/tandem_form.html", {"form": form, "tandem": tandem, "title": _("Edit tandem")}
    )


def _step(
    request: HttpRequest, pk: int, *, form_class, service, title: str, done: str, template: str, **extra
):
    tandem = _tandem_for_change(request, pk)
    kwargs = {"tandem": tandem} if form_class is EndForm else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            row = service(tandem=tandem, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, done)
            if getattr(row, "letter_notice", ""):
                messages.warning(request, row.letter_notice)  # the step counts, the letter did not go out
            return redirect(tandem)
    context = {"form": form, "tandem": tandem, "title": title, **extra}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    return _step(
        request,
        pk,
        form_class=IntroduceForm,
        service=services.tandem_introduce,
        title=_("Introduce"),
        done=_("The introduction has been recorded."),
        template="tandems/tandem_introduce.html",
        letter=services.introduction_letter(tandem=tandem),
    )


@require_GET
@permission_required("tandems.view")
def tandem_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable agreement for both sides (HTML with print styles)."""
    tandem = get_object_or_404(tandem_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="tandems.change", organisation=tandem.organisation)
    return render(
        request,
        "tandems/tandem_agreement.html",
        {"tandem": tandem, "agreement": services.agreement_context(tandem=tandem), "can_send": True},
    )


@require_POST
@permission_required("tandems.view")
def tandem_agreement_send(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    for person, result in services.tandem_agreement_send(tandem=tandem, actor=request.user):
        if result.is_queued:
            messages.success(request, _("The agreement is on its way to %(name)s.") % {"name": person})
        else:
            messages.warning(request, f"{person}: {result.notice}")
    return redirect("tandems:tandem_agreement", pk=tandem.pk)


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_class=StartForm,
        service=services.tandem_start,
        title=_("Start the tandem"),
        done=_("The tandem is active. The first check-in is planned."),
        template="tandems/tandem_form.html",
    )


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_class=EndForm,
        service=services.tandem_end,
        title=_("End the tandem"),
        done=_("The tandem has ended."),
        template="tandems/tandem_form.html",
    )


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def tandem_not_started(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_class=NotStartedForm,
        service=services.tandem_not_started,
        title=_("Did not start"),
        done=_("Recorded that the tandem did not start."),
        template="tandems/tandem_form.html",
    )


@require_http_methods(["GET", "POST"])
@permission_required("tandems.view")
def checkin_create(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    planned = CheckIn.objects.filter(tandem=tandem, held_on__isnull=True).first()
    form = CheckInForm(
        request.POST or None, has_plan=planned is not None, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fulfils = bool(data.pop("fulfils_plan", False))
        try:
            services.checkin_log(tandem=tandem, actor=request.user, data=data, fulfils_plan=fulfils)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The contact has been logged."))
            return redirect(tandem)
    return render(
        request,
        "tandems/tandem_form.html",
        {"form": form, "tandem": tandem, "title": _("Log a contact"), "planned": planned},
    )


@require_POST
@permission_required("tandems.view")
def checkin_delete_view(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    tandem = _tandem_for_change(request, pk)
    checkin = get_object_or_404(CheckIn, pk=checkin_pk, tandem=tandem)
    try:
        services.checkin_delete(checkin=checkin, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The contact has been deleted."))
    return redirect(tandem)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name) or request.POST.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404 from None


@require_GET
@permission_required("tandems.change")
def tandem_suggest(request: HttpRequest) -> HttpResponse:
    """The best volunteers for a refugee (?refugee=) or the best waiting refugees for a volunteer
    (?volunteer=), each with its explanation; `blocked=1` also shows the blocked ones and why."""
    refugee_pk, volunteer_pk = _int_param(request, "refugee"), _int_param(request, "volunteer")
    show_blocked = request.GET.get("blocked") == "1"
    context: dict = {"show_blocked": show_blocked}
    if refugee_pk is not None:
        refugee = get_object_or_404(refugee_list_visible(user=request.user), pk=refugee_pk)
        require(user=request.user, perm="tandems.change", organisation=refugee.organisation)
        open_tandem = Tandem.objects.filter(refugee=refugee, status__in=OPEN_STATUSES).first()
        context |= {
            "refugee": refugee,
            "open_tandem": open_tandem,
            "suggestions": suggest_volunteers(refugee=refugee, user=request.user, show_blocked=show_blocked),
        }
    elif volunteer_pk is not None:
        volunteer = get_object_or_404(candidate_volunteers(user=request.user), pk=volunteer_pk)
        context |= {
            "volunteer": volunteer,
            "suggestions": suggest_refugees(
                volunteer=volunteer, user=request.user, show_blocked=show_blocked
            ),
            "release_organisations": _release_choices(request.user, volunteer),
        }
    else:
        context["waiting"] = waiting_refugees(user=request.user).order_by("waiting_since", "pk")[:50]
    return render(request, "tandems/tandem_suggest.html", context)


@require_GET
@permission_required("tandems.change")
def tandem_batch_explain(request: HttpRequest) -> HttpResponse:
    """The explanation of one pair of the batch proposal (?refugee=&volunteer=), loaded when its row is
    opened: explaining every pair on the page would cost about a millisecond per pair on every view."""
    refugee_pk, volunteer_pk = _int_param(request, "refugee"), _int_param(request, "volunteer")
    if refugee_pk is None or volunteer_pk is None:
        raise Http404
    refugee = get_object_or_404(refugee_list_visible(user=request.user), pk=refugee_pk)
    require(user=request.user, perm="tandems.change", organisation=refugee.organisation)
    volunteer = get_object_or_404(candidate_volunteers(user=request.user), pk=volunteer_pk)
    suggestion = explain_pair(refugee=refugee, volunteer=volunteer, user=request.user)
    percent = round(suggestion.total * 100)
    return render(
        request,
        "tandems/_batch_explanation.html",
        {
            "criteria": suggestion.criteria,
            "risk": suggestion.risk,
            "percent": percent,
            "fit": batch_engine.fit_words(percent),
        },
    )


def _release_choices(user: User, volunteer: Volunteer) -> list[tuple[Organisation, bool]] | None:
    """For an FWZ volunteer, seen by an FWZ coordinator: the partners and whether released to each."""
    if volunteer.organisation.kind != OrganisationKind.FWZ or not has_perm(
        user=user, perm="tandems.change", organisation=volunteer.organisation
    ):
        return None
    released = set(
        VolunteerRelease.objects.filter(volunteer=volunteer).values_list("organisation_id", flat=True)
    )
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True).order_by("name")
    return [(org, org.pk in released) for org in partners]


@require_POST
@permission_required("tandems.change")
def tandem_propose_view(request: HttpRequest) -> HttpResponse:
    refugee = get_object_or_404(
        refugee_list_visible(user=request.user), pk=_int_param(request, "refugee") or 0
    )
    require(user=request.user, perm="tandems.change", organisation=refugee.organisation)
    volunteer = get_object_or_404(
        candidate_volunteers(user=request.user, organisation_ids=[refugee.organisation_id]),
        pk=_int_param(request, "volunteer") or 0,
    )
    try:
        tandem = services.tandem_propose(volunteer=volunteer, refugee=refugee, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{_suggest_url()}?refugee={refugee.pk}")
    messages.success(request, _("The tandem has been proposed."))
    return redirect(tandem)


@require_POST
@permission_required("tandems.change")
def volunteer_release(request: HttpRequest) -> HttpResponse:
    volunteer = get_object_or_404(
        volunteer_list_visible(user=request.user), pk=_int_param(request, "volunteer") or 0
    )
    require(user=request.user, perm="tandems.change", organisation=volunteer.organisation)
    organisation = get_object_or_404(
        Organisation, pk=_int_param(request, "organisation") or 0, kind=OrganisationKind.PARTNER
    )
    try:
        services.volunteer_release_set(
            volunteer=volunteer,
            organisation=organisation,
            released=request.POST.get("released") == "1",
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The release has been saved."))
    return redirect(f"{_suggest_url()}?volunteer={volunteer.pk}")


def _suggest_url() -> str:
    return reverse("tandems:tandem_suggest")


@require_http_methods(["GET", "POST"])
@permission_required("tandems.change")
def tandem_batch(request: HttpRequest) -> HttpResponse:
    """The latest batch proposal of the user (computed by a job, `tandem_batch_run`), shown without computing
    anything; the ticked pairs become proposed tandems once the coordinator has confirmed how many (nothing
    is ticked by default). htmx polls the progress of a run still going on."""
    run = batch_runs.batch_run_latest(user=request.user)
    if request.method == "POST":
        return _batch_confirm(request, run)
    if request.htmx:
        if run is not None and run.is_pending:
            response = render(
                request,
                "tandems/_batch_progress.html",
                {"run": run, "progress": batch_runs.estimated_progress(run)},
            )
        else:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # done (or gone): the whole page shows the result
        response["Vary"] = "HX-Request"
        return response
    context = {"run": run, "result": None, "stale": False}
    if run is not None and run.is_pending:
        context["progress"] = batch_runs.estimated_progress(run)
    elif run is not None and run.status == BatchRunStatus.DONE:
        context["result"] = batch_runs.stored_result(
            run=run, user=request.user, page_number=request.GET.get("page")
        )
        context["stale"] = batch_runs.batch_run_is_stale(run=run, user=request.user)
    response = render(request, "tandems/tandem_batch.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_POST
@permission_required("tandems.change")
def tandem_batch_run(request: HttpRequest) -> HttpResponse:
    """ "Vorschlag berechnen": queue the computation (a job); the batch page shows its progress."""
    _run, created = services.batch_run_start(
        user=request.user,
        scope=batch_runs.batch_scope(user=request.user),
        language=translation.get_language(),
    )
    if created:
        messages.success(request, _("The proposal is being computed; this page shows the progress."))
    else:
        messages.info(request, _("The proposal is already being computed."))
    return redirect("tandems:tandem_batch")


def _batch_confirm(request: HttpRequest, run: BatchRun | None) -> HttpResponse:
    """The ticked pairs of the latest run: first the page that says how many tandems will be proposed (and
    which ticked pairs are no longer possible and are left out), then, confirmed, the proposal itself."""
    if run is None or run.status != BatchRunStatus.DONE:
        messages.error(request, _("There is no computed proposal to choose from. Please compute one first."))
        return redirect("tandems:tandem_batch")
    form = BatchConfirmForm(request.POST, run=run, pair_keys=batch_runs.pair_keys(run))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("tandems:tandem_batch")
    check = batch_runs.pairs_check(pairs=form.cleaned_data["pair"], user=request.user)
    if not check.valid:
        messages.error(
            request, _("None of the ticked pairs is still possible. Please compute the proposal again.")
        )
        return redirect("tandems:tandem_batch")
    count = len(check.valid)
    if not form.cleaned_data["confirmed"] or form.cleaned_data["count"] != count:
        return render(
            request,
            "tandems/tandem_batch_confirm.html",
            {
                "run": run,
                "pairs": [(r, v, f"{r.pk}-{v.pk}") for r, v in check.valid],
                "invalid": check.invalid,
                "count": count,
                "changed": form.cleaned_data["confirmed"],
            },
        )
    valid_pairs = [(r.pk, v.pk) for r, v in check.valid]
    explained = batch_engine.explain_pairs(
        valid_pairs,
        refugees=load_refugees(Refugee.objects.filter(pk__in=[r for r, _v in valid_pairs])),
        volunteers=load_volunteers(Volunteer.objects.filter(pk__in=[v for _r, v in valid_pairs])),
        ctx=load_context(user=request.user),
    )
    try:
        created = services.tandems_batch_propose(pairs=check.valid, actor=request.user, suggestions=explained)
    except ValidationError as exc:
        messages.error(request, _("Nothing was proposed: %(reason)s") % {"reason": " ".join(exc.messages)})
        return redirect("tandems:tandem_batch")
    messages.success(
        request,
        ngettext("%(count)d tandem has been proposed.", "%(count)d tandems have been proposed.", len(created))
        % {"count": len(created)},
    )
    return redirect("tandems:tandem_list")


def _colleagues(user: User, tandem: Tandem | None = None) -> QuerySet[User]:
    """Staff a tandem can be given to: FWZ coordinators, and partner coordinators of the user's own
    organisation (of the tandem's organisation, when one is given)."""
    own_orgs = [tandem.organisation_id] if tandem else [m.organisation_id for m in memberships(user)]
    return (
        users_with(perm="tandems.change", organisations=own_orgs)
        .filter(is_active=True)
        .order_by("last_name", "first_name", "username")
    )


CASELOAD_PER_PAGE = 50


def _caseload(user: User, cadence: CheckInCadence | None = None) -> QuerySet[Tandem]:
    rows = with_support_flags(
        tandem_list_visible(user=user).filter(coordinator=user, status__in=OPEN_STATUSES), cadence=cadence
    )
    return rows.annotate(
        urgency=Case(
            When(is_overdue=True, then=Value(0)),
            When(is_at_risk=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "next_due_on", "pk")


@require_GET
@permission_required("tandems.view")
def caseload(request: HttpRequest) -> HttpResponse:
    """The user's open tandems, overdue first, a page at a time; the counts cover all of them."""
    cadence = cadence_active()  # read once: the flags and the page's sentence on the cadence
    caseload_rows = _caseload(request.user, cadence)
    counts = caseload_rows.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(is_overdue=True)),
        risk=Count("pk", filter=Q(is_at_risk=True)),
    )
    # Sort and cut the page on the tandems alone (their own columns hold everything the order needs), then
    # join the people, organisation and coordinator of those 50 only: joining all of a coordinator's open
    # tandems to four tables before sorting them cost 1.7 times as much at ten times the data.
    order = caseload_rows.select_related(None).values_list("pk", flat=True)
    per_page = page_size(request, CASELOAD_PER_PAGE)
    paginator = Paginator(order, per_page)
    paginator.count = counts["total"]  # known already: no second count query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = caseload_rows.filter(pk__in=page.object_list)
    form = HandoverForm(
        colleagues=_colleagues(request.user).exclude(pk=request.user.pk), tandems=caseload_rows
    )
    return render(
        request,
        "tandems/caseload.html",
        {
            "rows": page.object_list,
            "page_obj": page,
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "total_count": counts["total"],
            "form": form,
            "cadence": cadence,
            "overdue_count": counts["overdue"],
            "risk_count": counts["risk"],
            "can_change": has_perm(user=request.user, perm="tandems.change"),
        },
    )


@require_POST
@permission_required("tandems.change")
def caseload_handover(request: HttpRequest) -> HttpResponse:
    mine = _caseload(request.user)
    form = HandoverForm(
        request.POST, colleagues=_colleagues(request.user).exclude(pk=request.user.pk), tandems=mine
    )
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("tandems:caseload")
    chosen = list(mine) if form.cleaned_data["scope"] == "all" else list(form.cleaned_data["tandems"])
    target = form.cleaned_data["to_coordinator"]
    refused = [
        t for t in chosen if not has_perm(user=target, perm="tandems.change", organisation=t.organisation)
    ]
    if refused:
        messages.error(
            request,
            _("%(name)s may not work with tandems of %(organisation)s; nothing was handed over.")
            % {"name": target, "organisation": refused[0].organisation},
        )
        return redirect("tandems:caseload")
    if request.POST.get("confirm") != "1":
        # a bulk action says what it will do, with the count, before it does it
        return render(
            request,
            "tandems/caseload_handover_confirm.html",
            {"chosen": chosen, "target": target},
        )
    moved = services.tandems_hand_over(tandems=chosen, to_coordinator=target, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d tandem handed over to %(name)s.", "%(count)d tandems handed over to %(name)s.", moved
        )
        % {"count": moved, "name": target},
    )
    return redirect("tandems:caseload")
