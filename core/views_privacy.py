"""Data protection requests, for coordinators: access report (Art. 15), erasure (Art. 17), consent withdrawal.

Each record is fetched through its app's selector (`<app>.selectors.<model>_list_visible`), so a record
outside the user's scope answers 404; the action then needs `core.privacy` (403 otherwise)."""

import importlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import export_record
from core.disclosure import personal_data_collect
from core.forms import ErasureForm
from core.models import Consent, User
from core.permissions import require
from core.privacy import Category, Entry, blockers_for, entry_for, rules_in_force, subject_entry
from core.services import consent_subject, consent_withdraw, personal_data_anonymise

PERM = "core.privacy"


def visible_records(*, entry: Entry, user: User) -> QuerySet:
    """The records of `entry` that `user` may see: the app's selector when it has one."""
    model = entry.model
    try:
        selectors = importlib.import_module(f"{model._meta.app_label}.selectors")
    except ModuleNotFoundError:
        selectors = None
    selector = getattr(selectors, f"{model._meta.model_name}_list_visible", None)
    if selector is not None:
        return selector(user=user)
    raise Http404  # a data subject model without a selector cannot be scoped: refuse rather than guess


def _subject_or_404(request: HttpRequest, app_label: str, model: str, pk: int) -> tuple[Entry, models.Model]:
    entry = subject_entry(app_label=app_label, model_name=model)
    if entry is None:
        raise Http404
    obj = get_object_or_404(visible_records(entry=entry, user=request.user), pk=pk)
    require(user=request.user, perm=PERM, organisation=getattr(obj, "organisation", None))
    return entry, obj


def _url_kwargs(obj: models.Model) -> dict:
    return {"app_label": obj._meta.app_label, "model": obj._meta.model_name, "pk": obj.pk}


@require_http_methods(["GET"])
def privacy_access(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    entry, obj = _subject_or_404(request, app_label, model, pk)
    disclosure = personal_data_collect(obj=obj)
    as_json = request.GET.get("format") == "json"
    # an access report is an export of the person's data: recorded on the person, after collecting
    export_record(
        actor=request.user,
        export="access-report",
        fmt="json" if as_json else "html",
        rows=disclosure.row_count,
        obj=obj,
    )
    if as_json:
        response = HttpResponse(disclosure.json_text(), content_type="application/json; charset=utf-8")
        filename = f"auskunft-{obj._meta.app_label}-{obj._meta.model_name}-{obj.pk}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "core/privacy_access.html",
        {
            "obj": obj,
            "entry": entry,
            "disclosure": disclosure,
            "kwargs": _url_kwargs(obj),
            "rules": [
                rule for rule in rules_in_force() if rule.entry.label == entry.label and rule.is_active
            ],
        },
    )


def _done_url(obj: models.Model) -> str:
    try:
        return reverse(f"{obj._meta.app_label}:{obj._meta.model_name}_list")
    except NoReverseMatch:
        return reverse("core:home")


@require_http_methods(["GET", "POST"])
def privacy_erase(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    entry, obj = _subject_or_404(request, app_label, model, pk)
    form = ErasureForm(request.POST or None)
    blockers = blockers_for(obj)
    if request.method == "POST" and form.is_valid() and not blockers:
        name = str(obj)
        try:
            personal_data_anonymise(
                obj=obj, actor=request.user, reason=form.cleaned_data["reason"] or "Art. 17"
            )
        except ValidationError as exc:
            blockers = exc.messages
        else:
            messages.success(
                request,
                _(
                    "The personal data of %(name)s were erased. The record is kept without them for the statistics."
                )
                % {"name": name},
            )
            return redirect(_done_url(obj))
    related = []
    for accessor in entry.cascade:
        manager = getattr(obj, accessor, None)
        if manager is not None:
            related.append((manager.model._meta.verbose_name_plural, manager.count()))
    fields = [
        (obj._meta.get_field(name).verbose_name, Category.LABELS[spec.category])
        for name, spec in entry.fields.items()
    ]
    return render(
        request,
        "core/privacy_erase.html",
        {
            "obj": obj,
            "entry": entry,
            "form": form,
            "blockers": blockers,
            "related": related,
            "fields": fields,
            "kwargs": _url_kwargs(obj),
        },
    )


@require_POST
def privacy_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(Consent.objects.select_related("content_type"), pk=pk)
    subject = consent_subject(consent)
    entry = entry_for(subject) if subject is not None else None
    if entry is None or not entry.is_subject:
        raise Http404
    obj = get_object_or_404(visible_records(entry=entry, user=request.user), pk=subject.pk)
    require(user=request.user, perm=PERM, organisation=getattr(obj, "organisation", None))
    consent = consent_withdraw(consent=consent, actor=request.user)
    if request.htmx:
        return render(request, "core/_consent_row.html", {"consent": consent})
    messages.success(request, _("The withdrawal of the consent was recorded."))
    return redirect(reverse("core:privacy_access", kwargs=_url_kwargs(obj)))
