"""Referral, intake, waiting list and the referrers' own view. Thin views: selector (404), require (403),
form, service, render or redirect."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import REDACTED, audit_entries_for
from core.history import HistoryEntry, history_present
from core.languages import participant_language, participant_render
from core.legal import legal_text_bidi, legal_text_current
from core.lists import Column, ListSpec, filtered, list_response
from core.models import LegalTextKind, Organisation, OrganisationKind, User
from core.outbox import channel_states
from core.permissions import acts_in_all_organisations, has_perm, memberships, require
from core.services import sensitive_view_logged
from core.views import channel_consent_post
from refugees import services
from refugees.filters import ReferralFilter, RefugeeFilter, WaitingFilter
from refugees.forms import (
    CloseForm,
    ConsentForm,
    HouseholdFormSet,
    IntakeForm,
    ReferralNoteForm,
    RefugeeForm,
)
from refugees.models import CONSENT_PURPOSE, INTAKE_STATUSES, Refugee, RefugeeStatus
from refugees.selectors import (
    referral_list_visible,
    referral_note_list_visible,
    referral_notes_for,
    refugee_actions,
    refugee_consents,
    refugee_consents_every,
    refugee_list_visible,
    waiting_figures,
)
from refugees.services import (
    household_apply,
    referral_note_create,
    referral_note_delete,
    referral_note_update,
    refugee_anonymise,
    refugee_close,
    refugee_consent_withdraw,
    refugee_intake_record,
    refugee_update,
)


def _joined(items) -> str:
    return ", ".join(str(item) for item in items)


# The export never holds the sensitive fields (residence status, health) nor free-text notes.
EXPORT_COLUMNS = [
    Column(_("ID"), lambda r: r.pk),
    Column(_("last name"), lambda r: r.last_name),
    Column(_("first name"), lambda r: r.first_name),
    Column(_("gender"), lambda r: r.get_gender_display()),
    Column(_("year of birth"), lambda r: r.birth_year),
    Column(_("phone"), lambda r: r.phone),
    Column(_("e-mail"), lambda r: r.email),
    Column(_("city district"), lambda r: r.district),
    Column(_("languages"), lambda r: _joined(r.languages.all())),
    Column(_("German level"), lambda r: r.german_level),
    Column(_("adults"), lambda r: r.adults_count),
    Column(_("children"), lambda r: r.children_count),
    Column(_("help wanted with"), lambda r: _joined(r.needs.all())),
    Column(_("volunteer's gender"), lambda r: r.get_pref_volunteer_gender_display()),
    Column(_("status"), lambda r: r.get_status_display()),
    Column(_("organisation"), lambda r: r.organisation),
    Column(_("responsible coordinator"), lambda r: r.coordinator or ""),
    Column(_("referred at"), lambda r: r.referred_at),
    Column(_("referring organisation"), lambda r: r.referring_organisation or ""),
    Column(_("intake on"), lambda r: r.intake_on),
    Column(_("waiting since"), lambda r: r.waiting_since),
    Column(_("days waiting"), lambda r: r.waiting_days),
]

SORTS = {
    "name": ("last_name", "first_name"),
    "status": ("status", "last_name"),
    "district": ("district__sort_order", "last_name"),
    "german": ("german_level", "last_name"),
    "organisation": ("organisation__short_name", "last_name"),
    "referred": ("referred_at",),
    "waiting": ("waiting_since", "last_name"),
}

LIST_SPEC = ListSpec(
    filterset=RefugeeFilter,
    sorts=SORTS,
    default_sort="-referred",
    columns=EXPORT_COLUMNS,
    export_name="gefluechtete",
)
WAITING_SPEC = ListSpec(
    filterset=WaitingFilter,
    sorts=SORTS,
    default_sort="waiting",  # the longest waiting first
    columns=EXPORT_COLUMNS,
    export_name="warteliste",
)
REFERRAL_SPEC = ListSpec(
    filterset=ReferralFilter,
    sorts={"name": ("last_name", "first_name"), "status": ("status",), "referred": ("referred_at",)},
    default_sort="-referred",
)


def _staff_rows(user: User):
    return (
        refugee_list_visible(user=user)
        .select_related("coordinator", "referring_organisation")
        .prefetch_related("languages", "needs")
    )


@require_GET
def refugee_list(request: HttpRequest) -> HttpResponse:
    require(user=request.user, perm="refugees.view")
    return list_response(
        request,
        queryset=_staff_rows(request.user),
        spec=LIST_SPEC,
        template="refugees/refugee_list.html",
        fragment="refugees/_refugee_table.html",
    )


@require_GET
def refugee_waiting_list(request: HttpRequest) -> HttpResponse:
    """Everybody waiting for a tandem, the longest waiting first, with the median waiting time."""
    require(user=request.user, perm="refugees.view")
    queryset = _staff_rows(request.user).filter(status=RefugeeStatus.WAITING, waiting_since__isnull=False)
    context: dict[str, Any] = {"can_suggest": has_perm(user=request.user, perm="tandems.change")}
    if request.GET.get("format") not in {"csv", "xlsx"}:
        _filter, rows, _sort = filtered(request, queryset, WAITING_SPEC)
        # the page's count comes with the median (one query for both)
        context["row_count"], context["median_days"] = waiting_figures(queryset=rows)
    return list_response(
        request,
        queryset=queryset,
        spec=WAITING_SPEC,
        template="refugees/refugee_waiting_list.html",
        fragment="refugees/_waiting_table.html",
        context=context,
        count=context.get("row_count"),
    )


def _referral_organisation(user: User, chosen: Organisation | None) -> Organisation:
    """Where a new referral goes: a coordinator's choice, a partner's own organisation, else the FWZ."""
    if chosen is not None:
        return chosen
    if not acts_in_all_organisations(user=user, perm="refugees.change"):
        for membership in memberships(user):
            if has_perm(user=user, perm="refugees.change", organisation=membership.organisation):
                return membership.organisation
    return Organisation.objects.get(kind=OrganisationKind.FWZ)


def _is_staff(user: User) -> bool:
    return has_perm(user=user, perm="refugees.view")


@require_http_methods(["GET", "POST"])
def refugee_create(request: HttpRequest) -> HttpResponse:
    """The referral form: for referrers, coordinators and partner coordinators."""
    require(user=request.user, perm="refugees.refer")
    data = request.POST if request.method == "POST" else None
    form = RefugeeForm(data, user=request.user, referral=True)
    household = HouseholdFormSet(data, instance=Refugee(), prefix="members")
    consent = ConsentForm(data, prefix="consent")
    if request.method == "POST" and form.is_valid() and household.is_valid() and consent.is_valid():
        cleaned = dict(form.cleaned_data)
        organisation = _referral_organisation(request.user, cleaned.pop("organisation", None))
        try:
            refugee = services.refugee_create(
                actor=request.user,
                organisation=organisation,
                data=cleaned,
                members=household.members(),
                consent=consent.service_kwargs(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Thank you: the referral of %(name)s has been recorded.") % {"name": refugee}
            )
            if _is_staff(request.user):
                return redirect(refugee)
            return redirect("refugees:referral_detail", pk=refugee.pk)
    return render(
        request,
        "refugees/refugee_create.html",
        {"form": form, "household": household, "consent": consent},
    )


@require_GET
def consent_text(request: HttpRequest) -> HttpResponse:
    """The referral consent in the household's language (?lang=), to read out or print and hand over, in
    the participant frame (right to left in Arabic and Farsi). An outdated translation is never shown: the
    current German text is (core.legal.legal_text_current), as the referral form offers it."""
    require(user=request.user, perm="refugees.refer")
    language = participant_language(request)
    text = legal_text_current(kind=LegalTextKind.REFERRAL_CONSENT, language=language)
    return participant_render(
        request,
        "refugees/consent_text.html",
        {"text": text, "text_bidi": legal_text_bidi(text)},
        language=language,
    )


def _history(refugee: Refugee, user: User) -> list[HistoryEntry]:
    """The record's history; residence status values stay hidden from those who may not see them."""
    if not has_perm(user=user, perm="core.view_history", organisation=refugee.organisation):
        return []
    # reads of restricted fields are for the data protection log (admin), not the record's change history
    entries = list(audit_entries_for(refugee).exclude(action="core.sensitive.viewed")[:100])
    if not has_perm(user=user, perm="refugees.view_sensitive"):
        for entry in entries:
            entry.changes = {
                name: ([REDACTED, REDACTED] if name in Refugee.SENSITIVE_FIELDS else values)
                for name, values in entry.changes.items()
            }
    return history_present(entries)


def _staff_refugee(request: HttpRequest, pk: int) -> Refugee:
    require(user=request.user, perm="refugees.view")
    return get_object_or_404(
        refugee_list_visible(user=request.user).select_related(
            "coordinator", "intake_by", "referred_by", "referring_organisation", "residence_status"
        ),
        pk=pk,
    )


def _detail_context(
    request: HttpRequest, refugee: Refugee, note_form: ReferralNoteForm | None = None
) -> dict:
    user = request.user
    consents = list(refugee_consents_every(refugee=refugee))
    return {
        "refugee": refugee,
        "members": list(refugee.members.all()),
        "consents": [row for row in consents if row.purpose == CONSENT_PURPOSE],
        "channels": channel_states(refugee, consents=consents),
        "channel_url": reverse("refugees:refugee_channel_consent", args=[refugee.pk])
        if has_perm(user=user, perm="refugees.change", organisation=refugee.organisation)
        else "",
        "notes": list(referral_notes_for(refugee=refugee)),
        "note_form": note_form or ReferralNoteForm(),
        "history": _history(refugee, user),
        "can_see_sensitive": has_perm(user=user, perm="refugees.view_sensitive"),
        "can_change": has_perm(user=user, perm="refugees.change", organisation=refugee.organisation),
        "actions": refugee_actions(refugee=refugee, user=user),
        "can_write_notes": _may_write_notes(user, refugee),
    }


@require_GET
def refugee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refugee = _staff_refugee(request, pk)
    context = _detail_context(request, refugee)
    if context["can_see_sensitive"]:
        # reads of special-category data are logged, whoever reads them (DSGVO Art. 9)
        shown = [name for name in Refugee.SENSITIVE_FIELDS if getattr(refugee, name)]
        sensitive_view_logged(user=request.user, obj=refugee, fields=shown)
    return render(request, "refugees/refugee_detail.html", context)


def _household_rows(household) -> list:
    rows = []
    for member_form in household.forms:
        if not member_form.has_changed() and not member_form.instance.pk:
            continue
        delete = bool(member_form.cleaned_data.get("DELETE"))
        data = {
            k: v
            for k, v in member_form.cleaned_data.items()
            if k in {"role", "first_name", "birth_year", "gender"}
        }
        rows.append((member_form.instance if member_form.instance.pk else None, data, delete))
    return rows


@require_http_methods(["GET", "POST"])
def refugee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    data = request.POST if request.method == "POST" else None
    form = RefugeeForm(data, instance=refugee, user=request.user)
    household = HouseholdFormSet(data, instance=refugee, prefix="members")
    if request.method == "POST" and form.is_valid() and household.is_valid():
        try:
            with transaction.atomic():
                refugee = refugee_update(refugee=refugee, actor=request.user, data=form.cleaned_data)
                household_apply(refugee=refugee, actor=request.user, rows=_household_rows(household))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(refugee)
    return render(
        request, "refugees/refugee_edit.html", {"form": form, "household": household, "refugee": refugee}
    )


@require_http_methods(["GET", "POST"])
def refugee_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """The intake interview; afterwards the person waits for a tandem."""
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    if refugee.status not in INTAKE_STATUSES:
        messages.error(request, _("An intake can only be recorded before the person is in a tandem."))
        return redirect(refugee)
    form = IntakeForm(request.POST or None, instance=refugee, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            refugee = refugee_intake_record(refugee=refugee, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The intake has been recorded: %(name)s is now on the waiting list.") % {"name": refugee},
            )
            return redirect(refugee)
    return render(request, "refugees/refugee_intake.html", {"form": form, "refugee": refugee})


@require_http_methods(["GET", "POST"])
def refugee_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    if refugee.status == RefugeeStatus.CLOSED:
        messages.error(request, _("This referral is already closed."))
        return redirect(refugee)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            refugee_close(
                refugee=refugee,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The referral has been closed."))
            return redirect(refugee)
    return render(request, "refugees/refugee_close.html", {"form": form, "refugee": refugee})


@require_POST
def refugee_anonymise_view(request: HttpRequest, pk: int) -> HttpResponse:
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    try:
        refugee_anonymise(refugee=refugee, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(refugee)
    messages.success(request, _("The personal data of this referral have been removed."))
    return redirect("refugees:refugee_list")


@require_POST
def refugee_consent_withdraw_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    consent = get_object_or_404(refugee_consents(refugee=refugee), pk=consent_pk)
    refugee_consent_withdraw(consent=consent, refugee=refugee, actor=request.user)
    messages.success(request, _("The withdrawal of consent has been recorded."))
    return redirect(refugee)


@require_POST
def refugee_channel_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or withdraw the household's consent to be contacted by e-mail or text message."""
    refugee = _staff_refugee(request, pk)
    require(user=request.user, perm="refugees.change", organisation=refugee.organisation)
    return channel_consent_post(request, refugee)


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """A referrer's own referrals and how far each has come."""
    require(user=request.user, perm="refugees.view_own")
    return list_response(
        request,
        queryset=referral_list_visible(user=request.user),
        spec=REFERRAL_SPEC,
        template="refugees/referral_list.html",
        fragment="refugees/_referral_table.html",
    )


def _own_referral(request: HttpRequest, pk: int) -> Refugee:
    require(user=request.user, perm="refugees.view_own")
    return get_object_or_404(referral_list_visible(user=request.user), pk=pk)


def _referral_context(refugee: Refugee, note_form: ReferralNoteForm | None = None) -> dict:
    return {
        "refugee": refugee,
        "members": list(refugee.members.all()),
        "notes": list(referral_notes_for(refugee=refugee)),
        "note_form": note_form or ReferralNoteForm(),
    }


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What a referrer may know of their referral: its state, since when, and whom to ask."""
    refugee = _own_referral(request, pk)
    return render(request, "refugees/referral_detail.html", _referral_context(refugee))


def _may_write_notes(user: User, refugee: Refugee) -> bool:
    return has_perm(user=user, perm="refugees.change", organisation=refugee.organisation) or (
        refugee.referred_by_id == user.pk and has_perm(user=user, perm="refugees.view_own")
    )


@require_POST
def referral_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A note on a referral, by its referrer or by staff."""
    if not (_is_staff(request.user) or has_perm(user=request.user, perm="refugees.view_own")):
        raise PermissionDenied
    refugee = get_object_or_404(refugee_list_visible(user=request.user), pk=pk)
    if not _may_write_notes(request.user, refugee):
        raise PermissionDenied
    form = ReferralNoteForm(request.POST)
    if form.is_valid():
        referral_note_create(refugee=refugee, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been saved."))
        return redirect(_detail_url(request.user, refugee))
    if _is_staff(request.user):
        return render(request, "refugees/refugee_detail.html", _detail_context(request, refugee, form))
    return render(request, "refugees/referral_detail.html", _referral_context(refugee, form))


def _detail_url(user: User, refugee: Refugee) -> str:
    if _is_staff(user):
        return refugee.get_absolute_url()
    return reverse("refugees:referral_detail", args=[refugee.pk])


def _own_note(request: HttpRequest, pk: int):
    if not (_is_staff(request.user) or has_perm(user=request.user, perm="refugees.view_own")):
        raise PermissionDenied
    note = get_object_or_404(referral_note_list_visible(user=request.user), pk=pk)
    if note.author_id != request.user.pk:
        raise PermissionDenied  # a note is changed or removed only by whoever wrote it
    return note


@require_http_methods(["GET", "POST"])
def referral_note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    form = ReferralNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        referral_note_update(note=note, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been saved."))
        return redirect(_detail_url(request.user, note.refugee))
    return render(request, "refugees/referral_note_edit.html", {"form": form, "note": note})


@require_POST
def referral_note_remove(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    refugee = note.refugee
    referral_note_delete(note=note, actor=request.user)
    messages.success(request, _("The note has been deleted."))
    return redirect(_detail_url(request.user, refugee))
