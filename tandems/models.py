from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import OrgScopedModel, TimeStampedModel
from core.reversing import reverse_cached


class TandemStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    INTRODUCED = "introduced", _("introduced")
    ACTIVE = "active", _("active")
    # closing (issue #20): the exit conversations are being held; still holds its places
    CLOSING = "closing", _("closing")
    ENDED = "ended", _("ended")
    NOT_STARTED = "not_started", _("not started")


# a tandem in one of these states holds a place of the volunteer and the refugee's one open tandem
OPEN_STATUSES = (TandemStatus.PROPOSED, TandemStatus.INTRODUCED, TandemStatus.ACTIVE, TandemStatus.CLOSING)
# from which states each step of the lifecycle is possible: the services refuse the step in any other, and
# the actions a page offers (tandems.selectors.tandem_actions) are read from the same table
STEP_FROM: dict[str, tuple[str, ...]] = {
    "introduce": (TandemStatus.PROPOSED,),
    "start": (TandemStatus.INTRODUCED,),
    "log_contact": (TandemStatus.INTRODUCED, TandemStatus.ACTIVE, TandemStatus.CLOSING),
    # closing: exit conversations with each side, then the end; a direct end from "active" is kept for a
    # tandem that broke off, and it then needs the reason why no exit conversation was held (services)
    "start_closing": (TandemStatus.ACTIVE,),
    "closing": (TandemStatus.CLOSING,),
    "end": (TandemStatus.ACTIVE, TandemStatus.CLOSING),
    "not_started": (TandemStatus.PROPOSED, TandemStatus.INTRODUCED),
    # the agreement is printed and sent from the introduction on
    "agreement": (TandemStatus.INTRODUCED, TandemStatus.ACTIVE),
}


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("once a week")
    FORTNIGHTLY = "fortnightly", _("every two weeks")
    MONTHLY = "monthly", _("once a month")
    AS_NEEDED = "as_needed", _("as needed")


class Mood(models.TextChoices):
    GREEN = "green", _("going well")
    YELLOW = "yellow", _("some difficulties")
    RED = "red", _("serious problems")


class Tandem(OrgScopedModel):
    """A volunteer and a refugee (household) paired by a coordinator. Kept after it ends: reports count it."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="tandems", verbose_name=_("volunteer")
    )
    refugee = models.ForeignKey(
        "refugees.Refugee", on_delete=models.PROTECT, related_name="tandems", verbose_name=_("refugee")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible coordinator"),
    )
    status = models.CharField(_("status"), max_length=20, choices=TandemStatus, default=TandemStatus.PROPOSED)
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.ForeignKey(
        "core.EndReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("end reason"),
    )
    not_started_reason = models.CharField(_("reason it did not start"), max_length=300, blank=True)
    closing_notes = models.TextField(_("closing conversation"), blank=True)
    volunteer_wants_new = models.BooleanField(_("volunteer wants a new tandem"), null=True, blank=True)
    refugee_needs_new = models.BooleanField(_("refugee still needs a tandem"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # what the pair agreed at the introduction (the printable agreement): choices, no free text
    planned_frequency = models.CharField(
        _("planned meetings"), max_length=20, choices=MeetingFrequency, blank=True, default=""
    )
    planned_activities = models.ManyToManyField(
        "core.HelpArea", blank=True, related_name="+", verbose_name=_("planned activities")
    )
    # why the pair was made: the score per criterion, the weights in force and who decided
    match_explanation = models.JSONField(_("match explanation"), default=dict, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # A summary of the check-ins, kept by database triggers (migration 0004) on every write of a check-in,
    # whatever writes it (services, admin, bulk_create, raw SQL); never written by Python: a trigger on this
    # table fills them in again on every save. `selectors.with_support_flags` derives the flags from them.
    last_contact_on = models.DateField(_("Last contact"), null=True, blank=True, editable=False)
    latest_mood = models.CharField(
        _("latest mood"), max_length=10, choices=Mood, blank=True, default="", editable=False
    )
    previous_mood = models.CharField(
        _("previous mood"), max_length=10, choices=Mood, blank=True, default="", editable=False
    )
    next_due_on = models.DateField(_("Next check-in"), null=True, blank=True, editable=False)

    # the tandem links two people; its own free texts are personal
    # its personal fields are declared once, in tandems/privacy.py

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")
        indexes = [
            models.Index(fields=["status"], name="tandem_status_idx"),
            models.Index(fields=["coordinator", "status"], name="tandem_coordinator_idx"),
            models.Index(fields=["volunteer", "status"], name="tandem_volunteer_idx"),
            # the list's default order (newest proposal first) and its count, over the tandems not anonymised
            models.Index(
                fields=["proposed_on", "id"],
                condition=Q(anonymised_at__isnull=True),
                name="tandem_live_proposed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TandemStatus.values), name="tandem_status_valid"),
            models.UniqueConstraint(
                fields=["refugee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_tandem_per_refugee",
                violation_error_message=_("This person already has an open tandem."),
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("proposed_on")),
                name="tandem_starts_after_proposal",
                violation_error_message=_("A tandem cannot start before it was proposed."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="tandem_ends_after_start",
                violation_error_message=_("A tandem cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[TandemStatus.ACTIVE, TandemStatus.CLOSING, TandemStatus.ENDED])
                | Q(started_on__isnull=False),
                name="tandem_active_has_start",
                violation_error_message=_("An active or ended tandem needs a start date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TandemStatus.ENDED) | Q(ended_on__isnull=False, end_reason__isnull=False),
                name="tandem_ended_has_date_and_reason",
                violation_error_message=_("An ended tandem needs an end date and a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TandemStatus.NOT_STARTED) | ~Q(not_started_reason=""),
                name="tandem_not_started_has_reason",
                violation_error_message=_("Please give the reason why the tandem did not start."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(volunteer)s with %(refugee)s") % {"volunteer": self.volunteer, "refugee": self.refugee}

    def get_absolute_url(self) -> str:
        return reverse_cached("tandems:tandem_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def accepts_contacts(self) -> bool:
        """Contacts (check-ins) are logged in these states only (STEP_FROM, which checkin_log checks)."""
        return self.status in STEP_FROM["log_contact"]

    @property
    def risk_reasons(self) -> list[str]:
        """Why the tandem is flagged: the stored moods and the flags annotated by
        `selectors.with_support_flags`."""
        reasons = []
        latest, previous = self.latest_mood, self.previous_mood
        if latest == Mood.RED:
            reasons.append(_("the last check-in was red"))
        elif latest == Mood.YELLOW and previous == Mood.YELLOW:
            reasons.append(_("two yellow check-ins in a row"))
        if getattr(self, "is_overdue", False):
            reasons.append(_("check-in overdue"))
        if getattr(self, "is_silent", False):
            reasons.append(_("no contact for too long"))
        if getattr(self, "is_survey_low", False):
            reasons.append(_("low score in the relationship survey"))
        return reasons


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    MEETING = "meeting", _("meeting in person")
    EMAIL = "email", _("e-mail")
    MESSENGER = "messenger", _("messenger")
    VIDEO = "video", _("video call")
    LINK = "link", _("check-in by link")


class CheckInBy(models.TextChoices):
    STAFF = "staff", _("by staff")
    VOLUNTEER = "volunteer", _("by the volunteer")
    HOUSEHOLD = "household", _("by the household")


class Met(models.TextChoices):
    YES = "yes", _("met since last time")
    NO = "no", _("did not meet")
    STOPPED = "stopped", _("we stopped")


class ContactWith(models.TextChoices):
    VOLUNTEER = "volunteer", _("the volunteer")
    REFUGEE = "refugee", _("the refugee")
    BOTH = "both", _("both")


class CheckIn(TimeStampedModel):
    """A planned check-in (held_on empty until it happens) or a logged contact with the tandem.

    Each active tandem keeps exactly one open planned check-in: when it is held the next one is planned
    from the cadence, so "overdue" and "next due" are one indexed lookup."""

    tandem = models.ForeignKey(
        Tandem, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("tandem")
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    held_on = models.DateField(_("date"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, blank=True)
    contact_with = models.CharField(_("with whom"), max_length=20, choices=ContactWith, blank=True)
    mood = models.CharField(_("how it is going"), max_length=10, choices=Mood, blank=True)
    topics = models.TextField(_("topics"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # who answered: staff log contacts; the volunteer and the household answer by their personal link
    # database defaults too: a writer that names neither column (raw SQL, an old script) logs a staff contact
    by = models.CharField(
        _("answered"), max_length=10, choices=CheckInBy, default=CheckInBy.STAFF, db_default=CheckInBy.STAFF
    )
    met = models.CharField(_("met since last time"), max_length=10, choices=Met, blank=True, db_default="")
    areas = models.ManyToManyField(
        "core.HelpArea", blank=True, related_name="+", verbose_name=_("what we did")
    )
    # the link the answer came through: one answer per link (a check-in answered twice counts once)
    link = models.ForeignKey(
        "core.ParticipantLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # its personal fields are declared once, in tandems/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        ordering = ["-held_on", "-planned_on", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            models.Index(fields=["tandem", "held_on"], name="checkin_tandem_held_idx"),
            models.Index(fields=["tandem", "planned_on"], name="checkin_tandem_planned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_on__isnull=False) | Q(held_on__isnull=False),
                name="checkin_planned_or_held",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | (~Q(channel="") & ~Q(mood="") & ~Q(contact_with="")),
                name="checkin_held_is_complete",
                violation_error_message=_("A held check-in needs a channel, with whom and how it is going."),
            ),
            models.CheckConstraint(condition=Q(mood__in=[*Mood.values, ""]), name="checkin_mood_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=[*Channel.values, ""]), name="checkin_channel_valid"
            ),
            models.CheckConstraint(condition=Q(by__in=CheckInBy.values), name="checkin_by_valid"),
            models.CheckConstraint(condition=Q(met__in=[*Met.values, ""]), name="checkin_met_valid"),
            models.UniqueConstraint(
                fields=["link"], condition=Q(link__isnull=False), name="one_checkin_per_link"
            ),
            models.UniqueConstraint(
                fields=["tandem"],
                condition=Q(held_on__isnull=True),
                name="one_open_planned_checkin_per_tandem",
            ),
        ]

    def __str__(self) -> str:
        when = self.held_on or self.planned_on
        return f"{when:%d.%m.%Y}" if when else ""


class HelpRequest(TimeStampedModel):
    """ "I need help", pressed on a participant's check-in page: first on the responsible coordinator's start
    page until they mark it handled. It holds no words of the person, only who asked and when."""

    tandem = models.ForeignKey(
        Tandem, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("tandem")
    )
    by = models.CharField(_("asked"), max_length=10, choices=CheckInBy)
    link = models.ForeignKey(
        "core.ParticipantLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    PERSONAL_FIELDS = ()
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        indexes = [models.Index(fields=["tandem", "handled_at"], name="helprequest_tandem_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(by__in=[CheckInBy.VOLUNTEER, CheckInBy.HOUSEHOLD]), name="helprequest_by_valid"
            ),
            # pressing the button again before anyone handled it is one request, not a second alarm
            models.UniqueConstraint(
                fields=["tandem", "by"], condition=Q(handled_at__isnull=True), name="one_open_help_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_by_display()} {self.created_at:%d.%m.%Y %H:%M}" if self.created_at else ""


class _CriterionKeys:
    """`MatchingWeights.CRITERIA`: the keys of `tandems.matching.registry.CRITERIA`, each the name of a weight
    field below (read when first asked: the registry imports the models)."""

    def __get__(self, instance: object, owner: type) -> tuple[str, ...]:
        from tandems.matching.registry import CRITERION_KEYS

        return CRITERION_KEYS


class MatchingWeights(models.Model):
    """How much each soft criterion counts (0 = not at all). Exactly one row is active."""

    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("active"), default=False)
    language = models.DecimalField(_("shared language"), max_digits=4, decimal_places=2, default=3)
    needs = models.DecimalField(_("needs covered"), max_digits=4, decimal_places=2, default=2)
    distance = models.DecimalField(_("distance"), max_digits=4, decimal_places=2, default=2)
    availability = models.DecimalField(_("availability"), max_digits=4, decimal_places=2, default=1)
    interests = models.DecimalField(_("shared interests"), max_digits=4, decimal_places=2, default=1)
    age = models.DecimalField(_("age preference"), max_digits=4, decimal_places=2, default=1)
    family = models.DecimalField(_("families and children"), max_digits=4, decimal_places=2, default=1)
    waiting = models.DecimalField(_("time waited"), max_digits=4, decimal_places=2, default=1.5)
    commitment = models.DecimalField(_("commitment"), max_digits=4, decimal_places=2, default=2)
    max_distance_km = models.PositiveSmallIntegerField(_("distance that scores zero (km)"), default=15)
    waiting_full_days = models.PositiveSmallIntegerField(_("days of waiting that score fully"), default=180)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    PERSONAL_FIELDS = ()

    # the weight fields, one per criterion of the matching registry, in its order
    CRITERIA = _CriterionKeys()

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_matching_weights",
                violation_error_message=_("Only one set of weights can be active."),
            ),
            models.CheckConstraint(
                condition=Q(language__gte=0)
                & Q(needs__gte=0)
                & Q(distance__gte=0)
                & Q(availability__gte=0)
                & Q(interests__gte=0)
                & Q(age__gte=0)
                & Q(family__gte=0)
                & Q(waiting__gte=0)
                & Q(commitment__gte=0),
                name="matching_weights_not_negative",
            ),
            models.CheckConstraint(condition=Q(max_distance_km__gte=1), name="matching_distance_positive"),
            models.CheckConstraint(condition=Q(waiting_full_days__gte=1), name="matching_waiting_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.CRITERIA}


class CheckInCadence(models.Model):
    """When check-ins are due: first after `first_after_days`, then every `early_interval_days` until
    `early_period_days` after the start, then every `later_interval_days`. Exactly one row is active. The
    defaults follow MENTOR (5th edition): at least monthly in the first 12 months, then quarterly."""

    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("active"), default=False)
    first_after_days = models.PositiveSmallIntegerField(_("first check-in after (days)"), default=14)
    early_interval_days = models.PositiveSmallIntegerField(_("then every (days)"), default=30)
    early_period_days = models.PositiveSmallIntegerField(_("for the first (days)"), default=365)
    later_interval_days = models.PositiveSmallIntegerField(_("afterwards every (days)"), default=91)
    no_contact_days = models.PositiveSmallIntegerField(_("flag after days without contact"), default=42)
    PERSONAL_FIELDS = ()

    class Meta:
        verbose_name = _("check-in cadence")
        verbose_name_plural = _("check-in cadences")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_checkin_cadence",
                violation_error_message=_("Only one cadence can be active."),
            ),
            models.CheckConstraint(
                condition=Q(first_after_days__gte=1)
                & Q(early_interval_days__gte=1)
                & Q(later_interval_days__gte=1)
                & Q(no_contact_days__gte=1),
                name="checkin_cadence_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VolunteerRelease(TimeStampedModel):
    """The FWZ releases one of its volunteers to a partner organisation: that partner's coordinators then
    see the volunteer in their suggestions (the volunteers app stays untouched)."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="releases", verbose_name=_("volunteer")
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("released to")
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    PERSONAL_FIELDS = ()

    class Meta:
        verbose_name = _("release of a volunteer to a partner")
        verbose_name_plural = _("releases of volunteers to partners")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "organisation"], name="volunteer_release_once"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.organisation}"


class BatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BatchRun(models.Model):
    """One computation of the batch proposal, done by a job (`tandems.tasks.batch_run_compute`) and kept so
    that the page shows it without computing again. `scope` names the organisations the run covers ("all" for
    those who pair in every organisation, else their ids). The result holds ids, scores and reasons only: the
    page reads the names through the selectors, so an anonymised or no longer visible person is left out.
    Only the latest run of a user and scope is kept (`tandems.services.batch_run_start`)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("started by")
    )
    scope = models.CharField(_("scope"), max_length=200)
    language = models.CharField(_("language"), max_length=10, default="de")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchRunStatus, default=BatchRunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    PERSONAL_FIELDS = ()  # ids and scores only; the names are read when the page is shown

    class Meta:
        verbose_name = _("batch proposal run")
        verbose_name_plural = _("batch proposal runs")
        indexes = [models.Index(fields=["created_by", "scope", "-created_at"], name="batch_run_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchRunStatus.values), name="batch_run_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="batch_run_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.created_by} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in (BatchRunStatus.QUEUED, BatchRunStatus.RUNNING)


class AgreementText(TimeStampedModel):
    """The programme's ground rules printed on every tandem agreement, edited by admins. Each version is
    kept; the agreement prints the newest one."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    ground_rules = models.TextField(
        _("ground rules"), help_text=_("German; one rule per line. Printed on every tandem agreement.")
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("agreement text")
        verbose_name_plural = _("agreement texts")

    def __str__(self) -> str:
        return f"{self.version}"


class HoursLog(TimeStampedModel):
    """Hours a volunteer spent with their tandem on one day, logged by the volunteer on the self-service
    pages (tandems/views_selfservice.py); they add up on the activity certificate."""

    tandem = models.ForeignKey(
        Tandem, on_delete=models.CASCADE, related_name="hours_logs", verbose_name=_("tandem")
    )
    spent_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    note = models.CharField(_("what you did"), max_length=200, blank=True)
    # its personal fields are declared once, in tandems/privacy.py
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("hours with the tandem")
        verbose_name_plural = _("hours with the tandem")
        indexes = [models.Index(fields=["tandem", "spent_on"], name="hourslog_tandem_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="hourslog_hours_in_a_day",
                violation_error_message=_("Enter between 0.5 and 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on:%d.%m.%Y} {self.hours} h" if self.spent_on else ""


# models kept in modules of their own (issue #20), imported here so Django finds them: the rules of the risk at
# match time, weighed by an admin; the relationship-quality survey; the structured closure
from tandems.models_closure import (  # noqa: E402, F401
    HOUSEHOLD_WISHES,
    VOLUNTEER_WISHES,
    ClosingSide,
    ContactWish,
    ExitChannel,
    ExitConversation,
    IntegrationOutcome,
    NoConversationReason,
    TandemClosure,
)
from tandems.models_risk import RiskRule  # noqa: E402, F401
from tandems.models_survey import SurveyAnswer, SurveyItem, SurveyResponse  # noqa: E402, F401
