"""The registry of personal data: one entry per model that holds personal data, keyed by model label.

For each model it says which fields are personal and of what category, on which legal basis they are
processed, how long they are kept (retention rules, whose periods admins edit as `core.RetentionRule`), which
related rows are anonymised along with a record, and what must happen before a record may be erased.

The registry is the source of the record of processing activities (`manage.py privacy_doc` writes
`docs/privacy.md`), of `personal_data_anonymise` (`core/services.py`), of the access report (Art. 15,
`core/disclosure.py`) and of `manage.py apply_retention`. `tests/core/test_privacy_registry.py` fails when a
model's `PERSONAL_FIELDS` and its entry here disagree.

`core` imports no domain app: entries name models and relations by label and lookup strings only.
"""

import calendar
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Consent, RetentionRule, RetentionUnit


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

# core imports no domain app, so it names tandems.models.OPEN_STATUSES itself; a test keeps the two equal
OPEN_TANDEM_STATUSES = ("proposed", "introduced", "active")


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


def _has_relation(model: type[models.Model], accessor: str) -> bool:
    return any(rel.get_accessor_name() == accessor for rel in model._meta.related_objects)


def _volunteer_left(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(status="left").filter(
        Q(left_on__lt=cutoff.date()) | Q(left_on__isnull=True, status_changed_at__lt=cutoff)
    )


def _refugee_closed(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    qs = qs.filter(status="closed", closed_at__lt=cutoff)
    if _has_relation(qs.model, "tandems"):
        tandem = qs.model._meta.get_field("tandems").related_model
        recent = tandem.objects.filter(refugee=OuterRef("pk")).filter(
            Q(status__in=OPEN_TANDEM_STATUSES) | Q(ended_on__gte=cutoff.date())
        )
        qs = qs.exclude(Exists(recent))
    return qs


def _tandem_ended(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(
        Q(status="ended", ended_on__lt=cutoff.date()) | Q(status="not_started", updated_at__lt=cutoff)
    )


def _session_held(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(ends_at__lt=cutoff)


def _consent_withdrawn(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    """Records that gave consent, have withdrawn every consent, the last one before `cutoff`."""
    withdrawn = (
        Consent.objects.filter(content_type=ContentType.objects.get_for_model(qs.model))
        .values("object_id")
        .annotate(active=Count("pk", filter=Q(withdrawn_at__isnull=True)), last=Max("withdrawn_at"))
        .filter(active=0, last__lt=cutoff)
        .values("object_id")
    )
    return qs.filter(pk__in=withdrawn)


def _consent_rule(app: str) -> Retention:
    return Retention(
        code=f"{app}-consent-withdrawn",
        amount=1,
        unit=RetentionUnit.MONTHS,
        description=_("after every consent of the person was withdrawn (Art. 17(1)(b) GDPR)"),
        expired=_consent_withdrawn,
    )


def _message_queued(qs: QuerySet, cutoff: datetime.datetime) -> QuerySet:
    return qs.filter(queued_at__lt=cutoff).exclude(to_address="", body="")


def _band_decade(obj: models.Model) -> int:
    # the year of birth is required on this row; its decade is kept for statistics by age group
    year = obj.birth_year or 1900
    return max(1900, year - year % 10)


def _deleted_username(obj: models.Model) -> str:
    return f"deleted-{obj.pk}"


# --- the registry --------------------------------------------------------------------------------------

F = PersonalField
B = Basis
C = Category

_ENTRIES = [
    Entry(
        label="volunteers.Volunteer",
        purpose=_("Volunteer register: recruiting, screening, training and matching mentors with refugees"),
        data_subjects=_("volunteers (mentors)"),
        is_subject=True,
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "last_name": F(C.IDENTITY, B.CONSENT),
            "email": F(C.CONTACT, B.CONSENT),
            "phone": F(C.CONTACT, B.CONSENT),
            "address": F(C.CONTACT, B.CONSENT),
            "birth_date": F(C.IDENTITY, B.CONSENT),
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "interests": F(C.PROFILE, B.CONSENT),
            "email_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
            "phone_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
            "name_key": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("for finding duplicates")),
        },
        retention=(
            Retention(
                code="volunteers-left",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the volunteer left the programme"),
                expired=_volunteer_left,
            ),
            _consent_rule("volunteers"),
        ),
        cascade=("status_changes", "interviews", "training_registrations", "tandems"),
        blockers=(
            Blocker(
                "tandems",
                {"status__in": OPEN_TANDEM_STATUSES},
                _("The volunteer is in an open tandem. End the tandem first."),
            ),
        ),
    ),
    Entry(
        label="volunteers.StatusChange",
        purpose=_("Timeline of a volunteer's steps through recruiting and screening"),
        data_subjects=_("volunteers (mentors)"),
        fields={"note": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="volunteers.Volunteer",
    ),
    Entry(
        label="volunteers.Interview",
        purpose=_("Intake interview with a volunteer: motivation and the limits they set"),
        data_subjects=_("volunteers (mentors)"),
        fields={
            "motivation": F(C.FREE_TEXT, B.CONSENT),
            "limits": F(C.FREE_TEXT, B.CONSENT),
        },
        anonymised_with="volunteers.Volunteer",
    ),
    Entry(
        label="refugees.Refugee",
        purpose=_("Referral and intake of refugees, waiting list and matching with a volunteer"),
        data_subjects=_("refugees and their households"),
        recipients=_(
            "FWZ coordinators; partner coordinators of the record's organisation; the referring office "
            "(state of its own referrals only)"
        ),
        is_subject=True,
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "last_name": F(C.IDENTITY, B.CONSENT),
            "phone": F(C.CONTACT, B.CONSENT),
            "email": F(C.CONTACT, B.CONSENT),
            "address": F(C.CONTACT, B.CONSENT),
            "birth_year": F(C.IDENTITY, B.CONSENT),
            "needs_text": F(C.FREE_TEXT, B.CONSENT),
            "preferences_text": F(C.PROFILE, B.CONSENT),
            "interests": F(C.PROFILE, B.CONSENT),
            "intake_notes": F(C.FREE_TEXT, B.CONSENT),
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "health_notes": F(C.SPECIAL, B.EXPLICIT_CONSENT, note=_("not shown in the history")),
            "residence_status": F(C.RESIDENCE, B.CONSENT),
            "close_note": F(C.FREE_TEXT, B.CONSENT),
        },
        retention=(
            Retention(
                code="refugees-closed",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the referral was closed and the last tandem ended"),
                expired=_refugee_closed,
            ),
            _consent_rule("refugees"),
        ),
        cascade=("members", "referral_notes", "tandems"),
        blockers=(
            Blocker(
                "tandems",
                {"status__in": OPEN_TANDEM_STATUSES},
                _("The person is in an open tandem. End the tandem first."),
            ),
        ),
    ),
    Entry(
        label="refugees.HouseholdMember",
        purpose=_("Household of a referred person (for matching with families and children)"),
        data_subjects=_("refugees and their households"),
        fields={
            "first_name": F(C.IDENTITY, B.CONSENT),
            "birth_year": F(
                C.IDENTITY, B.CONSENT, replace=_band_decade, note=_("kept as the decade of birth")
            ),
        },
        anonymised_with="refugees.Refugee",
    ),
    Entry(
        label="refugees.ReferralNote",
        purpose=_("Notes on a referral by the referring office or staff"),
        data_subjects=_("refugees and their households"),
        fields={"text": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="refugees.Refugee",
    ),
    Entry(
        label="tandems.Tandem",
        purpose=_("Tandems: who accompanies whom, support by the coordinators, closing conversation"),
        data_subjects=_("volunteers and refugees in a tandem"),
        fields={
            "notes": F(C.FREE_TEXT, B.CONSENT),
            "closing_notes": F(C.FREE_TEXT, B.CONSENT),
            "not_started_reason": F(C.FREE_TEXT, B.CONSENT),
        },
        retention=(
            Retention(
                code="tandems-ended",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the tandem ended or did not start"),
                expired=_tandem_ended,
            ),
        ),
        cascade=("checkins",),
    ),
    Entry(
        label="tandems.CheckIn",
        purpose=_("Check-ins and contacts with a tandem"),
        data_subjects=_("volunteers and refugees in a tandem"),
        fields={
            "topics": F(C.FREE_TEXT, B.CONSENT),
            "follow_up": F(C.FREE_TEXT, B.CONSENT),
        },
        anonymised_with="tandems.Tandem",
    ),
    Entry(
        label="trainings.Session",
        purpose=_("Training sessions and meetups: the trainer and organisational notes"),
        data_subjects=_("trainers"),
        recipients=_("FWZ coordinators and partner coordinators"),
        fields={
            "trainer": F(C.IDENTITY, B.LEGITIMATE_INTEREST),
            "notes": F(C.FREE_TEXT, B.LEGITIMATE_INTEREST),
        },
        retention=(
            Retention(
                code="trainings-session-held",
                amount=24,
                unit=RetentionUnit.MONTHS,
                description=_("after the session took place"),
                expired=_session_held,
            ),
        ),
    ),
    Entry(
        label="trainings.Registration",
        purpose=_("Registrations for and attendance of trainings (counted for the grant report)"),
        data_subjects=_("volunteers (mentors)"),
        fields={"note": F(C.FREE_TEXT, B.CONSENT)},
        anonymised_with="volunteers.Volunteer",
    ),
    Entry(
        label="core.User",
        purpose=_("Staff logins: who may work with the data, and who did what"),
        data_subjects=_("staff of the FWZ, the partners, the city, the steering group and the university"),
        recipients=_("administrators"),
        fields={
            "username": F(C.ACCOUNT, B.CONTRACT, replace=_deleted_username),
            "first_name": F(C.IDENTITY, B.CONTRACT),
            "last_name": F(C.IDENTITY, B.CONTRACT),
            "email": F(C.CONTACT, B.CONTRACT),
        },
    ),
    Entry(
        label="core.OutboxMessage",
        purpose=_("Outbox: the e-mails sent to volunteers, refugees and staff, and whether they arrived"),
        data_subjects=_("volunteers, refugees and staff who receive e-mails"),
        fields={
            "to_address": F(C.CONTACT, B.LEGITIMATE_INTEREST),
            "context": F(C.CONTACT, B.LEGITIMATE_INTEREST, note=_("the values the text was written from")),
            "attachments": F(C.CONTACT, B.LEGITIMATE_INTEREST),
            "subject": F(C.CONTACT, B.LEGITIMATE_INTEREST),
            "body": F(C.FREE_TEXT, B.LEGITIMATE_INTEREST),
            "error": F(C.TECHNICAL, B.LEGITIMATE_INTEREST, note=_("the mail server's answer")),
        },
        retention=(
            Retention(
                code="core-outbox-queued",
                amount=12,
                unit=RetentionUnit.MONTHS,
                description=_("after the e-mail was queued (the row stays, without address and text)"),
                expired=_message_queued,
            ),
        ),
    ),
    Entry(
        label="core.AuditEntry",
        purpose=_(
            "Audit trail: who changed, read or exported which record when (accountability, Art. 5(2) GDPR)"
        ),
        data_subjects=_("staff and the people whose records were changed"),
        recipients=_("administrators; coordinators on a record's page"),
        fields={
            "actor_repr": F(C.ACCOUNT, B.LEGAL_OBLIGATION),
            "object_repr": F(C.IDENTITY, B.LEGAL_OBLIGATION),
            "changes": F(C.LOG, B.LEGAL_OBLIGATION, note=_("old values are removed with the record")),
        },
        is_anonymisable=False,
    ),
    Entry(
        label="core.ErasureRecord",
        purpose=_(
            "Erasure records: which record was erased when and why (a code), so that an erasure is made again "
            "after restoring an older backup (Art. 17 GDPR)"
        ),
        data_subjects=_("volunteers, refugees and staff whose data were erased"),
        recipients=_("administrators"),
        fields={},
        is_anonymisable=False,
        legal_basis=Basis.LEGAL_OBLIGATION,
        erased_note=_(
            "never: the rows hold no personal data, only the record type, the id, the time and a reason code"
        ),
    ),
]

REGISTRY: dict[str, Entry] = {entry.label: entry for entry in _ENTRIES}


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
    return rule.retention.expired(qs, rule.cutoff).order_by("pk")


def blockers_for(obj: models.Model) -> list[str]:
    """Why this record cannot be erased now (empty when it can)."""
    entry = entry_for(obj)
    reasons = []
    for blocker in entry.blockers if entry else ():
        manager = getattr(obj, blocker.accessor, None)
        if manager is not None and manager.filter(**blocker.lookup).exists():
            reasons.append(str(blocker.message))
    return reasons
