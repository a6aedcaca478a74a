from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import (
    CommitmentFrequency,
    CommitmentMonths,
    DayTime,
    Gender,
    GenderPreference,
    OrgScopedModel,
    Weekday,
    commitment_constraint,
    commitment_display,
)
from core.reversing import reverse_cached
from core.search import email_words, search_document


class VolunteerStatus(models.TextChoices):
    """The recruiting pipeline, in order; `paused` and `left` can follow any step."""

    REGISTERED = "registered", _("registered")
    EMAIL_CONFIRMED = "email_confirmed", _("e-mail confirmed")
    INTERVIEW_DONE = "interview_done", _("interview done")
    CLEARED = "cleared", _("cleared")
    TRAINED = "trained", _("trained")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    LEFT = "left", _("left")


# the steps in which a volunteer can be paired (tandems.matching.AVAILABLE_STATUSES; volunteer_matchable_idx)
MATCHABLE_STATUSES = (VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE)


class MigrationBackground(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNSPECIFIED = "unspecified", _("not specified")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("native speaker")
    FLUENT = "fluent", _("fluent")
    GOOD = "good", _("good")
    BASIC = "basic", _("basic")


class FamilyPreference(models.TextChoices):
    EITHER = "either", _("either")
    YES = "yes", _("families with children welcome")
    NO = "no", _("rather without children")


class Source(models.TextChoices):
    """How a volunteer heard of the programme (the campaign source)."""

    WEBSITE = "website", _("website")
    PRESS = "press", _("newspaper, radio")
    SOCIAL = "social", _("social media")
    FRIENDS = "friends", _("friends, family, colleagues")
    EVENT = "event", _("information event")
    PARTNER = "partner", _("partner organisation")
    POSTER = "poster", _("poster, flyer")
    OTHER = "other", _("other")


OPEN_PIPELINE = (
    VolunteerStatus.REGISTERED,
    VolunteerStatus.EMAIL_CONFIRMED,
    VolunteerStatus.INTERVIEW_DONE,
    VolunteerStatus.CLEARED,
    VolunteerStatus.TRAINED,
    VolunteerStatus.ACTIVE,
)


def volunteer_search_document() -> SearchVector:
    """What the volunteer lists search (core/search.py); `volunteer_search_idx` indexes this expression."""
    return search_document(
        names=("first_name", "last_name"), contact=(email_words("email"), "phone", "phone_key")
    )


def volunteer_name_document() -> SearchVector:
    """What the lists that search names only search; `volunteer_name_search_idx` indexes this expression."""
    return search_document(names=("first_name", "last_name"))


class Volunteer(OrgScopedModel):
    """A mentor (Pate/Patin) in the volunteer register. Volunteers do not log in."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, default=Gender.UNSPECIFIED)
    migration_background = models.CharField(
        _("migration background"),
        max_length=20,
        choices=MigrationBackground,
        default=MigrationBackground.UNSPECIFIED,
    )
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city district"),
    )
    available_weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday),
        default=list,
        blank=True,
        verbose_name=_("available on"),
    )
    available_times = ArrayField(
        models.CharField(max_length=12, choices=DayTime),
        default=list,
        blank=True,
        verbose_name=_("available at"),
    )
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), default=8)
    capacity = models.PositiveSmallIntegerField(
        _("tandems at once"),
        default=1,
        help_text=_("How many tandems this person can accompany at the same time."),
    )
    # what the volunteer can commit to (issue #20): optional, read by the matching's commitment criterion
    commitment_months = models.PositiveSmallIntegerField(
        _("can commit for"), choices=CommitmentMonths, null=True, blank=True
    )
    commitment_per_month = models.PositiveSmallIntegerField(
        _("can meet"), choices=CommitmentFrequency, null=True, blank=True
    )
    help_areas = models.ManyToManyField(
        "core.HelpArea", blank=True, related_name="+", verbose_name=_("areas of help offered")
    )
    pref_gender = models.CharField(
        _("would mentor"), max_length=10, choices=GenderPreference, default=GenderPreference.ANY
    )
    pref_families = models.CharField(
        _("families with children"), max_length=10, choices=FamilyPreference, default=FamilyPreference.EITHER
    )
    pref_age_min = models.PositiveSmallIntegerField(_("preferred age from"), null=True, blank=True)
    pref_age_max = models.PositiveSmallIntegerField(_("preferred age to"), null=True, blank=True)
    interests = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("interests")
    )
    source = models.CharField(_("heard of us through"), max_length=20, choices=Source, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # the language of every message to the volunteer and of the pages they open by link (set from the
    # sign-up's language; docs/languages.md)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.PARTICIPANT_LANGUAGES, default="de"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VolunteerStatus, default=VolunteerStatus.REGISTERED
    )
    status_changed_at = models.DateTimeField(_("status since"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    trained_on = models.DateField(
        _("trained on"), null=True, blank=True, help_text=_("Date of the required basic training.")
    )
    clearance_valid_until = models.DateField(
        _("police clearance valid until"),
        null=True,
        blank=True,
        help_text=_("Kept in step with the latest clearance seen; the document itself is never stored."),
    )
    # the valid-until date the volunteer was told about ("your police clearance expires on ..."): one notice
    # per clearance; a new clearance brings a new date and so a new notice (volunteers/tasks.py)
    clearance_notice_for = models.DateField(null=True, blank=True, editable=False)
    # normalised keys for duplicate detection, set by the services on every write
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    phone_key = models.CharField(max_length=40, blank=True, editable=False)
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    signed_up_at = models.DateTimeField(
        _("signed up at"),
        null=True,
        blank=True,
        help_text=_("Set for people who signed up themselves on the public form."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    paused_until = models.DateField(
        _("paused until"),
        null=True,
        blank=True,
        help_text=_("Set by the volunteer on the self-service pages: no new tandem before this date."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # the number of open tandems (proposed, introduced, active), kept by PostgreSQL triggers on every write of
    # a tandem or of this row (tandems/migrations/0011_volunteer_open_tandems.py): matching reads the free
    # places from the row instead of counting tandems; a value written by save() is replaced by the count
    open_tandems = models.PositiveSmallIntegerField(default=0, editable=False)

    # its personal fields are declared once, in volunteers/privacy.py

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [
            models.Index(fields=["status"], name="volunteer_status_idx"),
            models.Index(fields=["organisation", "status"], name="volunteer_org_status_idx"),
            # the list's default order (by name) and its count, over the volunteers not anonymised
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=Q(anonymised_at__isnull=True),
                name="volunteer_live_name_idx",
            ),
            models.Index(fields=["clearance_valid_until"], name="volunteer_clearance_idx"),
            # duplicate keys: the check of a new record and the page of probable duplicates (grouped by key)
            models.Index(
                fields=["email_key"],
                condition=Q(anonymised_at__isnull=True),
                name="volunteer_live_email_key_idx",
            ),
            models.Index(
                fields=["phone_key"],
                condition=Q(anonymised_at__isnull=True),
                name="volunteer_live_phone_key_idx",
            ),
            models.Index(
                fields=["name_key", "birth_date"],
                condition=Q(anonymised_at__isnull=True),
                name="volunteer_live_name_key_idx",
            ),
            models.Index(fields=["signed_up_at"], name="volunteer_signed_up_idx"),
            GinIndex(volunteer_search_document(), name="volunteer_search_idx"),
            GinIndex(volunteer_name_document(), name="volunteer_name_search_idx"),
            # a training session's quick registration: the longest waiting for the basic training (by sign-up)
            # and, for the other courses, the most recently trained
            models.Index(
                fields=["created_at", "id"],
                condition=Q(anonymised_at__isnull=True, trained_on__isnull=True),
                name="volunteer_untrained_idx",
            ),
            # the list of those waiting for the basic training, longest waiting first
            models.Index(
                Coalesce("status_changed_at", "created_at"),
                "id",
                condition=Q(anonymised_at__isnull=True, trained_on__isnull=True),
                name="volunteer_waiting_basic_idx",
            ),
            models.Index(
                fields=["-trained_on", "id"],
                condition=Q(anonymised_at__isnull=True, trained_on__isnull=False),
                name="volunteer_trained_idx",
            ),
            # the start page's "trained but never matched": counted from this index alone (with the tandems'
            # volunteer index), its first rows read in this order
            models.Index(
                fields=["trained_on", "id"],
                include=["organisation"],
                condition=Q(anonymised_at__isnull=True, trained_on__isnull=False)
                & ~Q(status__in=[VolunteerStatus.PAUSED, VolunteerStatus.LEFT]),
                name="volunteer_trained_free_idx",
            ),
            # matching: those who can take a tandem now (available, trained, a free place), in id order
            models.Index(
                fields=["id"],
                condition=Q(
                    anonymised_at__isnull=True,
                    status__in=MATCHABLE_STATUSES,
                    trained_on__isnull=False,
                    capacity__gt=F("open_tandems"),
                ),
                name="volunteer_matchable_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VolunteerStatus.values), name="volunteer_status_valid"
            ),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="volunteer_gender_valid"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=5), name="volunteer_capacity_1_to_5"
            ),
            commitment_constraint("commitment_months", CommitmentMonths, "volunteer_commitment_months_valid"),
            commitment_constraint(
                "commitment_per_month", CommitmentFrequency, "volunteer_commitment_per_month_valid"
            ),
            models.CheckConstraint(
                condition=Q(pref_age_min__isnull=True)
                | Q(pref_age_max__isnull=True)
                | Q(pref_age_max__gte=F("pref_age_min")),
                name="volunteer_age_range_ordered",
                violation_error_message=_("The age range must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(_("(anonymised)"))

    def get_absolute_url(self) -> str:
        return reverse_cached("volunteers:volunteer_detail", self.pk)

    @property
    def commitment_display(self) -> str:
        return commitment_display(self.commitment_months, self.commitment_per_month)

    @property
    def availability_display(self) -> str:
        days = ", ".join(str(Weekday(day).label) for day in sorted(self.available_weekdays))
        times = ", ".join(str(DayTime(time).label) for time in self.available_times)
        return "; ".join(part for part in (days, times) if part)


class VolunteerLanguage(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="languages", verbose_name=_("volunteer")
    )
    language = models.ForeignKey(
        "core.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel, default=LanguageLevel.GOOD)
    PERSONAL_FIELDS = ()
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("volunteer",)

    class Meta:
        verbose_name = _("language of a volunteer")
        verbose_name_plural = _("languages of volunteers")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "language"], name="volunteer_language_once"),
            models.CheckConstraint(
                condition=Q(level__in=LanguageLevel.values), name="volunteer_language_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class StatusChange(models.Model):
    """One step on a volunteer's timeline."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=20, choices=VolunteerStatus)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # its personal fields are declared once, in volunteers/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("volunteer",)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_at:%Y-%m-%d})"


class InterviewOutcome(models.TextChoices):
    SUITABLE = "suitable", _("suitable")
    SUITABLE_WITH_LIMITS = "limits", _("suitable with limits")
    NOT_SUITABLE = "not_suitable", _("not suitable")
    PENDING = "pending", _("decision pending")


class Interview(models.Model):
    """The intake interview (Erstgespräch) with a volunteer."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("volunteer")
    )
    held_on = models.DateField(_("held on"))
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=InterviewOutcome)
    motivation = models.TextField(_("motivation"), blank=True)
    limits = models.TextField(_("limits the volunteer set"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # its personal fields are declared once, in volunteers/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("volunteer",)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("intake interview")
        verbose_name_plural = _("intake interviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=InterviewOutcome.values), name="interview_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.get_outcome_display()}"


class PoliceClearance(models.Model):
    """An extended police clearance certificate (erweitertes Führungszeugnis) seen by a coordinator.

    Only the dates and who saw it are kept; the document is handed back and never stored."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="clearances", verbose_name=_("volunteer")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    seen_on = models.DateField(_("seen on"))
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("seen by")
    )
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    PERSONAL_FIELDS = ()
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("volunteer",)

    class Meta:
        ordering = ["-valid_until", "-pk"]
        verbose_name = _("police clearance")
        verbose_name_plural = _("police clearances")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("seen_on")),
                name="clearance_valid_after_seen",
                violation_error_message=_("The clearance must be valid beyond the day it was seen."),
            ),
        ]

    def __str__(self) -> str:
        return _("seen on %(seen)s, valid until %(until)s") % {
            "seen": f"{self.seen_on:%d.%m.%Y}",
            "until": f"{self.valid_until:%d.%m.%Y}",
        }


class BulkMessageState(models.TextChoices):
    QUEUEING = "queueing", _("being queued")
    QUEUED = "queued", _("queued")


class BulkMessage(models.Model):
    """One e-mail a coordinator writes to a filtered volunteer list; its copies are outbox messages.

    The recipients are fixed when the coordinator confirms (`recipient_ids`, the list's filter applied in
    their scope); a job then queues their messages in chunks (`volunteers.tasks.bulk_message_queue`),
    `queued_up_to` recording how far it got. The text keeps its placeholders; each person's copy (in the
    outbox, with the outbox's retention) has them filled in."""

    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    filter_query = models.TextField(_("filter"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    # the scope it was written in: a partner coordinator's organisation, empty for a coordinator of all
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recipient_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    matched = models.PositiveIntegerField(_("volunteers in the list"), default=0)
    no_address = models.PositiveIntegerField(_("without an e-mail address"), default=0)
    no_consent = models.PositiveIntegerField(_("without consent"), default=0)
    # recipients who could no longer be reached when their chunk was queued (consent withdrawn meanwhile)
    dropped = models.PositiveIntegerField(_("no longer reachable"), default=0)
    queued_up_to = models.PositiveIntegerField(default=0)
    state = models.CharField(
        _("state"), max_length=10, choices=BulkMessageState, default=BulkMessageState.QUEUEING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("all queued at"), null=True, blank=True)
    # the text goes to many people and names none of them; each person's copy is an outbox message
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk message")
        verbose_name_plural = _("bulk messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=BulkMessageState.values), name="bulk_message_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("volunteers:bulk_message_detail", kwargs={"pk": self.pk})

    @property
    def left_out(self) -> int:
        return self.no_address + self.no_consent + self.dropped


class ErasureDeclineReason(models.TextChoices):
    OPEN_TANDEM = "open_tandem", _("a tandem is still running")
    LEGAL_RETENTION = "legal_retention", _("a legal retention period still applies")
    TALK_FIRST = "talk_first", _("we need to talk to the volunteer first")


class ErasureRequest(models.Model):
    """A volunteer asked, on their self-service pages, that their data be erased: a request in the
    coordinators' queue on the start page (the erasure itself is the privacy page's, which checks what
    blocks it); open until the record is anonymised. Asking again is the same request."""

    volunteer = models.OneToOneField(
        Volunteer, on_delete=models.CASCADE, related_name="erasure_request", verbose_name=_("volunteer")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # a coordinator may decline it with one of the reasons below (the volunteer is told): it leaves the
    # queue; asking again opens it again
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=ErasureDeclineReason, blank=True
    )
    # no personal values: who asked is the volunteer's own record, the reason is one of a fixed list
    PERSONAL_FIELDS = ()
    DECLINE_REASONS = ErasureDeclineReason.choices  # what the start page offers
    ORGANISATION_VIA = ("volunteer",)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("request for erasure")
        verbose_name_plural = _("requests for erasure")
        constraints = [
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True, decline_reason="")
                | Q(declined_at__isnull=False, decline_reason__in=ErasureDeclineReason.values),
                name="erasurerequest_declined_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requested_at:%d.%m.%Y}" if self.requested_at else ""
