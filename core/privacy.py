"""The registry of personal data: one entry per model that holds personal data, keyed by model label.

For each model it says which fields are personal and of what category, on which legal basis they are
processed, how long they are kept (retention rules, whose periods admins edit as `core.RetentionRule`), which
related rows are anonymised along with a record, and what must happen before a record may be erased.

This module is the mechanism only. Each app declares the entries of its own models in `<app>/privacy.py`
and registers them from its `AppConfig.ready()` (core's own in `core/privacy_entries.py`), as pretix
collects the shredders of its plugins:

    register(Entry(label="tandems.CheckIn", fields={"topics": PersonalField(...)}, ...))

An app that adds rows to another app's record extends that entry instead of the owner naming it: tandems
adds the tandems to a volunteer's erasure, and the open tandem that blocks it (`extend`), and keeps a
closed referral whose tandem ended recently (`retention_keep_register`).

The registry is the source of the record of processing activities (`manage.py privacy_doc` writes
`docs/privacy.md`), of `personal_data_anonymise` (`core/services.py`), of the access report (Art. 15,
`core/disclosure.py`) and of `manage.py apply_retention`. The personal fields are declared once, in the
entry: `register` derives the model's `PERSONAL_FIELDS` from it, and the system check in `core/checks.py`
fails for a model that has neither an entry nor `PERSONAL_FIELDS = ()` (no personal data).
"""

import calendar
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import CHANNEL_CONSENT_PREFIX, Consent, RetentionRule, RetentionUnit


class Category:
    """What kind of personal data a field holds."""

    IDENTITY = "identity"
    CONTACT = "contact"
    SPECIAL = "special"
    RESIDENCE = "residence"
    FREE_TEXT = "free_text"
    PROFILE = "profile"
    TECHNICAL = "technical"
    ACCOUNT = "account"
    LOG = "log"

    LABELS: dict[str, Promise] = {
        IDENTITY: _("identity (name, date or year of birth)"),
        CONTACT: _("contact details"),
        SPECIAL: _("special category (health, Art. 9 GDPR)"),
        RESIDENCE: _("residence status (sensitive)"),
        FREE_TEXT: _("free text (notes)"),
        PROFILE: _("profile (interests, preferences)"),
        TECHNICAL: _("technical (derived keys)"),
        ACCOUNT: _("staff account"),
        LOG: _("audit trail"),
    }
    # fields of these categories are restricted: reading them is logged (`sensitive_view_logged`)
    RESTRICTED = frozenset({SPECIAL, RESIDENCE})


class Basis:
    """Legal bases of the GDPR, as cited in the record of processing activities."""

    CONSENT = "Art. 6(1)(a)"
    CONTRACT = "Art. 6(1)(b)"
    LEGAL_OBLIGATION = "Art. 6(1)(c)"
    PUBLIC_TASK = "Art. 6(1)(e)"
    LEGITIMATE_INTEREST = "Art. 6(1)(f)"
    EXPLICIT_CONSENT = "Art. 9(2)(a)"

    LABELS: dict[str, Promise] = {
        CONSENT: _("consent"),
        CONTRACT: _("agreement with the person"),
        LEGAL_OBLIGATION: _("legal obligation"),
        PUBLIC_TASK: _("task in the public interest"),
        LEGITIMATE_INTEREST: _("legitimate interest"),
        EXPLICIT_CONSENT: _("explicit consent to special categories"),
    }


@dataclass(frozen=True)
class PersonalField:
    category: str
    basis: str
    # the value the field gets on anonymisation; None means "blank for its type" (see `blank_value`)
    replace: Callable[[models.Model], Any] | None = None
    note: Promise | str = ""


@dataclass(frozen=True)
class Retention:
    """A retention rule: records for which `expired(queryset, cutoff)` holds lose their personal data.

    `code`, `amount` and `unit` are the defaults seeded into `core.RetentionRule`; the row's values win."""

    code: str
    amount: int
    unit: str
    description: Promise
    expired: Callable[[QuerySet, datetime.datetime], QuerySet]


@dataclass(frozen=True)
class Blocker:
    """A record with related rows matching `lookup` under `accessor` cannot be erased yet."""

    accessor: str
    lookup: dict[str, Any]
    message: Promise


@dataclass(frozen=True)
class Entry:
    label: str
    purpose: Promise
    data_subjects: Promise
    fields: dict[str, PersonalField]
    recipients: Promise = _("FWZ coordinators; partner coordinators of the record's organisation")
    # a data subject model: access requests and erasure are made for its records
    is_subject: bool = False
    retention: tuple[Retention, ...] = ()
    # rows anonymised together with this one (related managers, followed recursively)
    cascade: tuple[str, ...] = ()
    # the record whose erasure also erases these rows, when they have no rule of their own
    anonymised_with: str = ""
    blockers: tuple[Blocker, ...] = ()
    # False for the audit trail itself: it is scrubbed with each record, never anonymised on its own
    is_anonymisable: bool = True
    # for an entry without personal fields (kept on purpose): its legal basis and what happens to its rows
    legal_basis: str = ""
    erased_note: Promise | str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    @property
    def restricted_fields(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.fields.items() if spec.category in Category.RESTRICTED)

    @property
    def bases(self) -> list[str]:
        return sorted({spec.basis for spec in self.fields.values()} | ({self.legal_basis} - {""}))


# --- retention rules -------------------------------------------------------------------------------------


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def period_text(*, amount: int, unit: str) -> str:
    if unit == RetentionUnit.DAYS:
        return ngettext("%(count)d day", "%(count)d days", amount) % {"count": amount}
    return ngettext("%(count)d month", "%(count)d months", amount) % {"count": amount}


def cutoff_for(*, amount: int, unit: str, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    if unit == RetentionUnit.DAYS:
        return now - datetime.timedelta(days=amount)
    return months_before(now, amount)


def _consent_withdrawn(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    """Records that gave consent, have withdrawn every consent, the last one before `cutoff`."""
    withdrawn = (
        Consent.objects.filter(content_type=ContentType.objects.get_for_model(qs.model))
        # a consent to be contacted by e-mail or text message keeps no record once the programme's are gone
        .exclude(purpose__startswith=CHANNEL_CONSENT_PREFIX)
        .values("object_id")
        .annotate(active=Count("pk", filter=Q(withdrawn_at__isnull=True)), last=Max("withdrawn_at"))
        .filter(active=0, last__lt=cutoff)
        .values("object_id")
    )
    return qs.filter(pk__in=withdrawn)


def consent_rule(app: str) -> Retention:
    """The rule every data subject model has: its records are erased a month after the last consent went."""
    return Retention(
        code=f"{app}-consent-withdrawn",
        amount=1,
        unit=RetentionUnit.MONTHS,
        description=_("after every consent of the person was withdrawn (Art. 17(1)(b) GDPR)"),
        expired=_consent_withdrawn,
    )


# --- the registry --------------------------------------------------------------------------------------

REGISTRY: dict[str, Entry] = {}  # label -> the entry with what other apps added to it
_OWN: dict[str, Entry] = {}  # label -> the entry as its app registered it
# label -> what other apps add to the entry (`extend`); kept for an entry not registered yet
_EXTENSIONS: dict[str, list[tuple[tuple[str, ...], tuple[Blocker, ...]]]] = {}
# by retention code: records the rule would erase but another app still needs (`retention_keep_register`)
_KEEPS: dict[str, list[Callable[[QuerySet, datetime.datetime], QuerySet]]] = {}


class DerivedFields(tuple):
    """A model's `PERSONAL_FIELDS` as `register` derives it from the entry (not declared on the model)."""


def _build(label: str) -> None:
    entry = _OWN[label]
    for cascade, blockers in _EXTENSIONS.get(label, ()):
        entry = replace(
            entry,
            cascade=entry.cascade + tuple(name for name in cascade if name not in entry.cascade),
            blockers=entry.blockers + tuple(blocker for blocker in blockers if blocker not in entry.blockers),
        )
    REGISTRY[label] = entry


def register(entry: Entry) -> None:
    """Register the entry of one model (from its app's `AppConfig.ready()`) and derive the model's
    `PERSONAL_FIELDS` from it. The personal fields are declared once: a model that declares them itself,
    or a label registered twice with another entry, is an error."""
    if entry.label in _OWN and _OWN[entry.label] != entry:
        raise ImproperlyConfigured(f"privacy entry for {entry.label!r} registered twice")
    model = apps.get_model(entry.label)
    declared = model.__dict__.get("PERSONAL_FIELDS")
    if declared is not None and not isinstance(declared, DerivedFields):
        raise ImproperlyConfigured(
            f"{entry.label} declares PERSONAL_FIELDS itself: its personal fields are declared once, "
            "in its privacy entry"
        )
    _OWN[entry.label] = entry
    _build(entry.label)
    model.PERSONAL_FIELDS = DerivedFields(entry.fields)


def extend(label: str, *, cascade: Iterable[str] = (), blockers: Iterable[Blocker] = ()) -> None:
    """What an app adds to another app's entry: related rows (its accessors on that model) that are
    anonymised along with the record, in the order the apps are installed, and conditions under which
    the record cannot be erased yet."""
    extension = (tuple(cascade), tuple(blockers))
    if extension not in _EXTENSIONS.setdefault(label, []):
        _EXTENSIONS[label].append(extension)
    if label in _OWN:
        _build(label)


def retention_keep_register(code: str, keep: Callable[[QuerySet, datetime.datetime], QuerySet]) -> None:
    """`keep(records, cutoff)` returns `records` without those the retention rule `code` must not erase yet
    because of the app's own rows (a referral closed long ago whose tandem ended only last month)."""
    if keep not in _KEEPS.setdefault(code, []):
        _KEEPS[code].append(keep)


def unmatched_extensions() -> list[str]:
    """What apps added to an entry or a retention rule that nobody registered (a misspelt label or code)."""
    codes = {retention.code for entry in REGISTRY.values() for retention in entry.retention}
    return [f"entry {label!r}" for label in _EXTENSIONS if label not in _OWN] + [
        f"retention rule {code!r}" for code in _KEEPS if code not in codes
    ]


def retention_expired(retention: Retention, qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    """The records of `qs` the rule says are kept long enough, less those another app still keeps."""
    qs = retention.expired(qs, cutoff)
    for keep in _KEEPS.get(retention.code, ()):
        qs = keep(qs, cutoff)
    return qs


def entry_for(model_or_obj: type[models.Model] | models.Model) -> Entry | None:
    return REGISTRY.get(model_or_obj._meta.label)


def installed_entries() -> Iterator[Entry]:
    """The entries whose model exists in this installation."""
    for entry in REGISTRY.values():
        app_label, model_name = entry.label.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            continue
        yield entry


def subject_entry(*, app_label: str, model_name: str) -> Entry | None:
    """The entry of a data subject model named in a URL (`volunteers`, `volunteer`), or None."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    entry = entry_for(model)
    return entry if entry is not None and entry.is_subject else None


def blank_value(model_field: models.Field) -> Any:
    """What an anonymised field holds: [] for arrays, {} for JSON, None where NULL is allowed, else ''."""
    from django.contrib.postgres.fields import ArrayField

    if isinstance(model_field, ArrayField):
        return []
    if isinstance(model_field, models.JSONField):
        return {}
    if model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"{model_field} can be neither NULL nor blank: give the registry a `replace`")


def filled_q(entry: Entry) -> Q:
    """Rows whose personal fields are not all blank yet (for models without `anonymised_at`)."""
    model = entry.model
    condition = Q()
    for name, spec in entry.fields.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many or spec.replace is not None:
            continue
        blank = blank_value(model_field)
        condition |= Q(**{f"{name}__isnull": False}) if blank is None else ~Q(**{name: blank})
    return condition


@dataclass
class RuleInForce:
    retention: Retention
    entry: Entry
    amount: int
    unit: str
    is_active: bool
    cutoff: datetime.datetime = field(default_factory=timezone.now)

    @property
    def period(self) -> str:
        return period_text(amount=self.amount, unit=self.unit)


def rules_in_force(*, now: datetime.datetime | None = None) -> list[RuleInForce]:
    """Every retention rule of the registry with the period an admin set (the default where no row)."""
    rows = {rule.code: rule for rule in RetentionRule.objects.all()}
    found = []
    for entry in installed_entries():
        for retention in entry.retention:
            row = rows.get(retention.code)
            amount = row.amount if row else retention.amount
            unit = row.unit if row else retention.unit
            found.append(
                RuleInForce(
                    retention=retention,
                    entry=entry,
                    amount=amount,
                    unit=unit,
                    is_active=row.is_active if row else True,
                    cutoff=cutoff_for(amount=amount, unit=unit, now=now),
                )
            )
    return found


def expired_records(rule: RuleInForce) -> QuerySet:
    """The records this rule says have been kept long enough and still hold personal data."""
    model = rule.entry.model
    qs = model._default_manager.all()
    if any(f.name == "anonymised_at" for f in model._meta.concrete_fields):
        qs = qs.filter(anonymised_at__isnull=True)
    else:
        qs = qs.filter(filled_q(rule.entry))
    return retention_expired(rule.retention, qs, rule.cutoff).order_by("pk")


def blockers_for(obj: models.Model) -> list[str]:
    """Why this record cannot be erased now (empty when it can)."""
    entry = entry_for(obj)
    reasons = []
    for blocker in entry.blockers if entry else ():
        manager = getattr(obj, blocker.accessor, None)
        if manager is not None and manager.filter(**blocker.lookup).exists():
            reasons.append(str(blocker.message))
    return reasons
