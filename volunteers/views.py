import io

from django.contrib import messages
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import audit_entries_for
from core.history import history_present
from core.lists import Column, ListSpec, filtered, list_response
from core.models import CHANNEL_CONSENT_PREFIX, Organisation
from core.outbox import channel_states, message_reach, message_reachable
from core.permissions import (
    acts_in_all_organisations,
    has_perm,
    organisations_with,
    permission_required,
    require,
)
from core.templatetags.lists import query_without_empty
from core.views import channel_consent_post
from volunteers import importing
from volunteers.filters import CLEARANCE_WARNING_DAYS, InboxFilter, VolunteerFilter, clearance_expiring_until
from volunteers.forms import (
    AnonymiseForm,
    BulkMessageForm,
    ClearanceForm,
    ErasureDeclineForm,
    ImportMappingForm,
    ImportUploadForm,
    InterviewForm,
    LanguageFormSet,
    MergeForm,
    StatusChangeForm,
    StatusNoteForm,
    VolunteerForm,
    language_initial,
    language_rows,
)
from volunteers.models import (
    BulkMessageState,
    Interview,
    StatusChange,
    Volunteer,
)
from volunteers.selectors import (
    bulk_message_list_visible,
    bulk_message_progress,
    duplicate_groups_load,
    erasure_requests_open,
    volunteer_clearances,
    volunteer_duplicate_groups,
    volunteer_export_rows,
    volunteer_inbox_visible,
    volunteer_interviews,
    volunteer_list_for_table,
    volunteer_list_visible,
    volunteer_organisations_for,
    volunteer_timeline,
)
from volunteers.services import (
    bulk_message_create,
    bulk_message_fill,
    clearance_record,
    erasure_request_decline,
    interview_record,
    interview_update,
    status_change_note_update,
    volunteer_anonymise,
    volunteer_consents,
    volunteer_create,
    volunteer_import,
    volunteer_merge,
    volunteer_status_change,
    volunteer_update,
)

VOLUNTEER_LIST = ListSpec(
    filterset=VolunteerFilter,
    sorts={
        "name": ("last_name", "first_name"),
        "organisation": ("organisation__short_name", "last_name"),
        "district": ("district__sort_order", "last_name"),
        "status": ("status", "last_name"),
        "clearance": ("clearance_valid_until", "last_name"),
        "created": ("created_at",),
    },
    default_sort="name",
    # the export reads plain rows with labels (volunteer_export_rows), not model instances
    columns=[
        Column(_("ID"), lambda v: v["pk"]),
        Column(_("First name"), lambda v: v["first_name"]),
        Column(_("Last name"), lambda v: v["last_name"]),
        Column(_("E-mail"), lambda v: v["email"]),
        Column(_("Phone"), lambda v: v["phone"]),
        Column(_("Date of birth"), lambda v: v["birth_date"]),
        Column(_("Gender"), lambda v: v["gender"]),
        Column(_("Migration background"), lambda v: v["migration_background"]),
        Column(_("Organisation"), lambda v: v["organisation__short_name"]),
        Column(_("City district"), lambda v: v["district"]),
        Column(_("Status"), lambda v: v["status"]),
        Column(_("Languages"), lambda v: v["languages"]),
        Column(_("Areas of help"), lambda v: v["help_areas"]),
        Column(_("Hours per month"), lambda v: v["hours_per_month"]),
        Column(_("Tandems at once"), lambda v: v["capacity"]),
        Column(_("Trained on"), lambda v: v["trained_on"]),
        Column(_("Police clearance valid until"), lambda v: v["clearance_valid_until"]),
        Column(_("Heard of us through"), lambda v: v["source"]),
        Column(_("Registered on"), lambda v: v["created_at"]),
    ],
    export_name="ehrenamtliche",
    export_rows=volunteer_export_rows,
)

INBOX_LIST = ListSpec(
    filterset=InboxFilter,
    sorts={"signed_up": ("signed_up_at",), "name": ("last_name", "first_name")},
    default_sort="-signed_up",
    columns=[
        Column(_("ID"), lambda v: v.pk),
        Column(_("First name"), lambda v: v.first_name),
        Column(_("Last name"), lambda v: v.last_name),
        Column(_("E-mail"), lambda v: v.email),
        Column(_("Signed up at"), lambda v: v.signed_up_at),
        Column(_("E-mail confirmed at"), lambda v: v.email_confirmed_at),
        Column(_("Possible duplicate of"), lambda v: v.possible_duplicate_of_id or ""),
    ],
    export_name="anmeldungen",
)


@require_http_methods(["GET"])
@permission_required("volunteers.view")
def volunteer_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=volunteer_list_for_table(user=request.user),
        spec=VOLUNTEER_LIST,
        template="volunteers/volunteer_list.html",
        fragment="volunteers/_volunteer_table.html",
        context={
            "today": timezone.localdate(),
            "expiring_until": clearance_expiring_until(),
            "warning_days": CLEARANCE_WARNING_DAYS,
            "can_change": has_perm(user=request.user, perm="volunteers.change"),
            "can_import": has_perm(user=request.user, perm="volunteers.import"),
            "list_message_url": "volunteers:bulk_message_create"
            if has_perm(user=request.user, perm="volunteers.message")
            else "",
        },
    )


@require_http_methods(["GET"])
@permission_required("volunteers.view")
def volunteer_inbox(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=volunteer_inbox_visible(user=request.user).select_related("possible_duplicate_of"),
        spec=INBOX_LIST,
        template="volunteers/volunteer_inbox.html",
        fragment="volunteers/_inbox_table.html",
        context={"can_change": has_perm(user=request.user, perm="volunteers.change")},
    )


@require_http_methods(["GET"])
@permission_required("volunteers.view")
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.view", organisation=volunteer.organisation)
    can_change = has_perm(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    duplicate = None
    if volunteer.possible_duplicate_of_id:
        duplicate = (
            volunteer_list_visible(user=request.user).filter(pk=volunteer.possible_duplicate_of_id).first()
        )
    today = timezone.localdate()
    # every consent once: the programme's are listed, the channels' feed the channel section
    consents = list(volunteer_consents(volunteer=volunteer).select_related("recorded_by"))
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "languages": volunteer.languages.select_related("language"),
            "help_areas": volunteer.help_areas.all(),
            "timeline": volunteer_timeline(volunteer=volunteer),
            "interviews": volunteer_interviews(volunteer=volunteer),
            "clearances": volunteer_clearances(volunteer=volunteer),
            "consents": [row for row in consents if not row.purpose.startswith(CHANNEL_CONSENT_PREFIX)],
            "channels": channel_states(volunteer, consents=consents),
            "channel_url": reverse("volunteers:volunteer_channel_consent", args=[volunteer.pk])
            if can_change
            else "",
            "history": history_present(audit_entries_for(volunteer)[:50])
            if has_perm(user=request.user, perm="core.view_history")
            else None,
            "status_form": StatusChangeForm(initial={"status": volunteer.status}),
            "can_change": can_change,
            "duplicate": duplicate,
            "today": today,
            "expiring_until": clearance_expiring_until(),
        },
    )


@require_POST
@permission_required("volunteers.change")
def volunteer_channel_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or withdraw the volunteer's consent to be contacted by e-mail or text message."""
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    return channel_consent_post(request, volunteer)


@require_POST
@permission_required("core.privacy")
def erasure_request_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a volunteer's request for erasure (start page): another organisation's or an unknown
    request 404, without `core.privacy` 403; without a reason a message and no change."""
    erasure_request = get_object_or_404(erasure_requests_open(user=request.user, mine=False), pk=pk)
    form = ErasureDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("core:home")
    result = erasure_request_decline(
        erasure_request=erasure_request, reason=form.cleaned_data["reason"], actor=request.user
    )
    messages.success(request, _("The request for erasure has been declined; nothing was erased."))
    if result is not None and not result.is_queued:
        messages.warning(request, result.notice)
    return redirect("core:home")


def _volunteer_form_page(request: HttpRequest, volunteer: Volunteer | None) -> HttpResponse:
    instance = volunteer or Volunteer()
    form = VolunteerForm(request.POST or None, instance=instance, user=request.user)
    formset = LanguageFormSet(
        request.POST or None,
        prefix="languages",
        initial=language_initial(volunteer) if volunteer else None,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in VolunteerForm.Meta.fields}
        organisation = data.pop("organisation")
        require(user=request.user, perm="volunteers.change", organisation=organisation)
        try:
            if volunteer is None:
                volunteer = volunteer_create(
                    organisation=organisation,
                    data=data,
                    actor=request.user,
                    languages=language_rows(formset),
                    consent_channel=form.cleaned_data["consent_channel"],
                    consent_version=form.cleaned_data["consent_version"],
                )
                messages.success(request, _("The volunteer was added to the register."))
            else:
                data["organisation"] = organisation
                volunteer = volunteer_update(
                    volunteer=volunteer, data=data, actor=request.user, languages=language_rows(formset)
                )
                messages.success(request, _("Changes saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_form.html",
        {"form": form, "formset": formset, "volunteer": volunteer},
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def volunteer_create_view(request: HttpRequest) -> HttpResponse:
    return _volunteer_form_page(request, None)


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    return _volunteer_form_page(request, volunteer)


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def volunteer_status(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    form = StatusChangeForm(request.POST or None, initial={"status": volunteer.status})
    if request.method == "POST" and form.is_valid():
        volunteer_status_change(
            volunteer=volunteer,
            status=form.cleaned_data["status"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Status changed."))
        return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {"form": form, "volunteer": volunteer, "heading": _("Change status"), "submit": _("Change status")},
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def status_change_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    step = get_object_or_404(StatusChange, pk=step_pk, volunteer=volunteer)
    form = StatusNoteForm(request.POST or None, initial={"note": step.note})
    if request.method == "POST" and form.is_valid():
        status_change_note_update(status_change=step, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {
            "form": form,
            "volunteer": volunteer,
            "heading": _("Note on the step “%(status)s”") % {"status": step.get_status_display()},
            "submit": _("Save"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def interview_create(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    form = InterviewForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        interview_record(volunteer=volunteer, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("The intake interview was recorded."))
        return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {
            "form": form,
            "volunteer": volunteer,
            "heading": _("Record the intake interview"),
            "submit": _("Save interview"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def interview_edit(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    interview = get_object_or_404(Interview, pk=interview_pk, volunteer=volunteer)
    form = InterviewForm(request.POST or None, instance=interview, user=request.user)
    if request.method == "POST" and form.is_valid():
        interview_update(interview=interview, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {
            "form": form,
            "volunteer": volunteer,
            "heading": _("Edit the intake interview"),
            "submit": _("Save interview"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def clearance_create(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    form = ClearanceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            clearance_record(volunteer=volunteer, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The police clearance was recorded."))
            return redirect(volunteer)
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {
            "form": form,
            "volunteer": volunteer,
            "heading": _("Record a police clearance"),
            "intro": _(
                "Record only that you have seen the extended police clearance certificate. "
                "Do not copy or keep the document: hand it back."
            ),
            "submit": _("Save clearance"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def volunteer_anonymise_view(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_object_or_404(volunteer_list_visible(user=request.user), pk=pk)
    require(user=request.user, perm="volunteers.change", organisation=volunteer.organisation)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer_anonymise(volunteer=volunteer, actor=request.user)
        messages.success(request, _("The personal data were removed."))
        return redirect("volunteers:volunteer_list")
    return render(
        request,
        "volunteers/volunteer_subform.html",
        {
            "form": form,
            "volunteer": volunteer,
            "heading": _("Anonymise"),
            "intro": _(
                "Name, contact details, date of birth, notes, interview texts and timeline notes are "
                "removed for good. Status, district, gender and dates stay for the statistics."
            ),
            "submit": _("Anonymise"),
            "danger": True,
        },
    )


@require_http_methods(["GET"])
@permission_required("volunteers.change")
def volunteer_duplicates(request: HttpRequest) -> HttpResponse:
    groups = volunteer_duplicate_groups(user=request.user)
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    duplicate_groups_load(page.object_list, user=request.user)
    return render(
        request, "volunteers/volunteer_duplicates.html", {"page_obj": page, "groups": page.object_list}
    )


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.change")
def volunteer_merge_view(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    visible = volunteer_list_visible(user=request.user)
    keep = get_object_or_404(visible, pk=pk)
    other = get_object_or_404(visible, pk=other_pk)
    if keep.pk == other.pk:
        messages.error(request, gettext("A record cannot be merged with itself."))
        return redirect("volunteers:volunteer_duplicates")
    require(user=request.user, perm="volunteers.change", organisation=keep.organisation)
    require(user=request.user, perm="volunteers.change", organisation=other.organisation)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer_merge(keep=keep, other=other, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Record %(other)s was merged into this one.") % {"other": f"#{other.pk}"}
            )
            return redirect(keep)
    rows = [
        (Volunteer._meta.get_field(name).verbose_name, getattr(keep, name), getattr(other, name))
        for name in ("first_name", "last_name", "email", "phone", "birth_date", "address", "district")
    ]
    return render(
        request,
        "volunteers/volunteer_merge.html",
        {"form": form, "keep": keep, "other": other, "rows": rows},
    )


SESSION_KEY = "volunteers_import"


class ImportUploadHandler(FileUploadHandler):
    """Takes the uploaded file into memory up to importing.MAX_BYTES and skips (reads and drops) the rest: an
    upload of any size costs at most MAX_BYTES of memory and nothing on disk."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer: io.BytesIO | None = None

    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        if field_name != "file":
            raise SkipFile
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > importing.MAX_BYTES:
            self.too_large = True
            self.buffer = None
            raise SkipFile
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


@csrf_exempt  # the body must be read through ImportUploadHandler first; the CSRF check follows, below
@require_http_methods(["GET", "POST"])
@permission_required("volunteers.import")
def volunteer_import_upload(request: HttpRequest) -> HttpResponse:
    handler = ImportUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        request.POST  # noqa: B018 - parses the body now, through the handler
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        # the form fields besides the file exceed DATA_UPLOAD_MAX_MEMORY_SIZE (or the field count): nothing
        # is read or kept, the empty form is shown again with a German message
        messages.error(
            request,
            _("The request is too large. Please upload a file of at most 2 MB, without anything else."),
        )
        form = ImportUploadForm(user=request.user)
        return render(request, "volunteers/volunteer_import_upload.html", {"form": form}, status=413)
    return _volunteer_import_upload(request, too_large=handler.too_large)


@csrf_protect
def _volunteer_import_upload(request: HttpRequest, *, too_large: bool) -> HttpResponse:
    posted = request.method == "POST"  # bound even when the only field sent, the file, was skipped
    form = ImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    if too_large:
        form.fields["file"].required = False  # skipped by the handler: the message below says why
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        organisation = form.cleaned_data["organisation"]
        require(user=request.user, perm="volunteers.import", organisation=organisation)
        try:
            if too_large or upload.size > importing.MAX_BYTES:
                raise importing.ImportFileError(
                    gettext("The file is larger than 2 MB. Please split it into smaller files.")
                )
            headers, rows = importing.read_table(name=upload.name, data=upload.read())
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            # kept in the session (the database-backed one) until imported or replaced, never on disk
            request.session[SESSION_KEY] = {
                "name": upload.name[:100],
                "organisation": organisation.pk,
                "headers": headers,
                "rows": rows,
            }
            return redirect("volunteers:volunteer_import_map")
    return render(request, "volunteers/volunteer_import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.import")
def volunteer_import_map(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, _("Please upload a file first."))
        return redirect("volunteers:volunteer_import_upload")
    organisation = get_object_or_404(
        volunteer_organisations_for(user=request.user, perm="volunteers.import"), pk=stored["organisation"]
    )
    require(user=request.user, perm="volunteers.import", organisation=organisation)
    headers, rows = stored["headers"], stored["rows"]
    form = ImportMappingForm(
        request.POST or None,
        headers=headers,
        targets=importing.target_choices(),
        initial=importing.guess_mapping(headers),
    )
    results = None
    if request.method == "POST" and form.is_valid():
        results = importing.check_rows(
            headers=headers, rows=rows, mapping=form.mapping(), organisation=organisation, user=request.user
        )
        failed = [r for r in results if not r.ok]
        if "import" in request.POST and not failed:
            try:
                created = volunteer_import(
                    organisation=organisation,
                    rows=[{"data": r.data, "languages": r.languages} for r in results],
                    actor=request.user,
                    source_name=stored["name"],
                )
            except ValidationError as exc:
                form.add_error(
                    None, gettext("Nothing was imported: %(error)s") % {"error": "; ".join(exc.messages)}
                )
            else:
                del request.session[SESSION_KEY]
                messages.success(
                    request,
                    _("%(count)s volunteers were imported into %(organisation)s.")
                    % {"count": len(created), "organisation": organisation},
                )
                return redirect(f"{reverse('volunteers:volunteer_list')}?organisation={organisation.pk}")
        elif "import" in request.POST:
            form.add_error(None, gettext("Nothing was imported: please correct the rows with errors first."))
    return render(
        request,
        "volunteers/volunteer_import_map.html",
        {
            "form": form,
            "stored": stored,
            "organisation": organisation,
            "results": results,
            "failed": [r for r in results if not r.ok] if results is not None else [],
            "preview": rows[:5],
            "headers": headers,
        },
    )


@require_POST
@permission_required("volunteers.import")
def volunteer_import_cancel(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("The uploaded file was discarded."))
    return redirect("volunteers:volunteer_import_upload")


def _bulk_scope(user) -> Organisation | None:
    """The organisation a bulk message is written in: none for a coordinator of every organisation."""
    if acts_in_all_organisations(user=user, perm="volunteers.message"):
        return None
    own = list(organisations_with(user=user, perm="volunteers.message")[:2])
    return own[0] if len(own) == 1 else None


def _filter_summary(filterset) -> list[tuple[str, str]]:
    """The filter in force, as label and value, for the page that acts on the filtered list."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    shown = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = filterset.form.fields[name]
        if value is True:
            text = gettext("yes")
        elif isinstance(value, str) and getattr(field, "choices", None):
            text = str(dict(field.choices).get(value, value))
        else:
            text = str(value)
        shown.append((str(field.label), text))
    return shown


@require_http_methods(["GET", "POST"])
@permission_required("volunteers.message")
def bulk_message_create_view(request: HttpRequest) -> HttpResponse:
    """Write a message to the volunteer list as filtered (the query string), preview it for one person,
    confirm with the count, send. Nothing is stored before the confirmation."""
    people_in_scope = volunteer_list_visible(user=request.user, perm="volunteers.message")
    filterset, people, _sort = filtered(request, people_in_scope, VOLUNTEER_LIST)
    reach = message_reach(people)
    query = query_without_empty(request.GET).removeprefix("?")
    form = BulkMessageForm(request.POST or None)
    action = request.POST.get("action", "")
    step, preview = "write", None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if reach.total == 0:
            form.add_error(None, _("The filter matches no volunteers: nothing was sent."))
        elif reach.reached == 0:
            form.add_error(
                None,
                _("None of the volunteers in the list can receive an e-mail (no address or no consent)."),
            )
        elif action == "send" and data["expected"] == reach.reached:
            try:
                bulk = bulk_message_create(
                    people=people,
                    subject=data["subject"],
                    text=data["text"],
                    filter_query=query,
                    organisation=_bulk_scope(request.user),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message to %(count)s volunteer is being queued.",
                        "The message to %(count)s volunteers is being queued.",
                        bulk.recipient_count,
                    )
                    % {"count": bulk.recipient_count},
                )
                return redirect(bulk)
        elif action != "edit":
            if action == "send":  # the list changed between the confirmation and the click
                messages.warning(
                    request, _("The list has changed since the preview. Please check the numbers again.")
                )
            step = "confirm"
            first = (
                message_reachable(people)
                .select_related(None)
                .order_by("last_name", "first_name", "pk")
                .first()
            )
            subject, text = bulk_message_fill(subject=data["subject"], text=data["text"], volunteer=first)
            preview = {"volunteer": first, "subject": subject, "text": text}
    return render(
        request,
        "volunteers/bulk_message_form.html",
        {
            "form": form,
            "filter": filterset,
            "filter_summary": _filter_summary(filterset),
            "reach": reach,
            "query": f"?{query}" if query else "",
            "step": step,
            "preview": preview,
            "confirm_question": ngettext(
                "Send to %(count)s volunteer?", "Send to %(count)s volunteers?", reach.reached
            )
            % {"count": reach.reached},
            "confirm_left_out": ngettext(
                "%(count)s without consent or address will be left out.",
                "%(count)s without consent or address will be left out.",
                reach.left_out,
            )
            % {"count": reach.left_out},
        },
    )


@require_http_methods(["GET"])
@permission_required("volunteers.message")
def bulk_message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a bulk message; an htmx request (polling while it is under way) gets the figures."""
    bulk = get_object_or_404(bulk_message_list_visible(user=request.user), pk=pk)
    progress = bulk_message_progress(bulk=bulk)
    is_done = bulk.state == BulkMessageState.QUEUED and progress["waiting"] == 0
    return render(
        request,
        "volunteers/_bulk_message_progress.html" if request.htmx else "volunteers/bulk_message_detail.html",
        {"bulk": bulk, "progress": progress, "is_done": is_done},
    )
