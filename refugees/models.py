from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import (
    CommitmentFrequency,
    CommitmentMonths,
    DayTime,
    Gender,
    GenderPreference,
    OrgScopedModel,
    ReferenceData,
    Weekday,
    commitment_constraint,
    commitment_display,
)
from core.reversing import reverse_cached
from core.search import email_words, phone_digits, search_document

# consent to the programme is a `core.Consent` row for the refugee with this purpose
CONSENT_PURPOSE = "refugee_programme"
# the version of the printed/online consent form currently handed out (data protection officer, 2026)
CONSENT_FORM_VERSION = "2026-01"


class RefugeeStatus(models.TextChoices):
    REFERRED = "referred", _("referred")
    INTAKE_DONE = "intake_done", _("intake done")
    WAITING = "waiting", _("waiting for a tandem")
    IN_TANDEM = "in_tandem", _("in a tandem")
    CLOSED = "closed", _("closed")


# an intake interview can be recorded (or corrected) in these states: before the person is in a tandem
INTAKE_STATUSES = (RefugeeStatus.REFERRED, RefugeeStatus.INTAKE_DONE, RefugeeStatus.WAITING)


class GermanLevel(models.TextChoices):
    A0 = "A0", _("A0 (no German yet)")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class CloseReason(models.TextChoices):
    NO_LONGER_NEEDED = "not_needed", _("no longer needs a tandem")
    MOVED = "moved", _("moved away")
    UNREACHABLE = "unreachable", _("cannot be reached")
    DECLINED = "declined", _("declined")
    OTHER = "other", _("other")


class ResidenceStatus(ReferenceData):
    """Aufenthaltsstatus (Aufenthaltserlaubnis, Gestattung, Duldung, ...): an admin-editable list."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")


def refugee_search_document() -> SearchVector:
    """What the refugee lists search (core/search.py); `refugee_search_idx` indexes this expression."""
    return search_document(
        names=("first_name", "last_name"), contact=(email_words("email"), "phone", phone_digits("phone"))
    )


def refugee_name_document() -> SearchVector:
    """What the lists that search names only search; `refugee_name_search_idx` indexes this expression."""
    return search_document(names=("first_name", "last_name"))


class Refugee(OrgScopedModel):
    """One referral of a person or a household (the main person's data, the household in `members`)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, default=Gender.UNSPECIFIED)
    languages = models.ManyToManyField(
        "core.Language", blank=True, related_name="+", verbose_name=_("languages")
    )
    german_level = models.CharField(
        _("German level"), max_length=2, choices=GermanLevel, default=GermanLevel.A0
    )
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city district"),
    )
    needs = models.ManyToManyField(
        "core.HelpArea", blank=True, related_name="+", verbose_name=_("help wanted with")
    )
    needs_text = models.TextField(_("needs in their own words"), blank=True)
    pref_volunteer_gender = models.CharField(
        _("volunteer's gender"), max_length=10, choices=GenderPreference, default=GenderPreference.ANY
    )
    preferences_text = models.TextField(_("other preferences"), blank=True)
    interests = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("interests")
    )
    # the household's week, the same grid as the volunteers' (matching scores the overlap)
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
    # what the household expects of a tandem (issue #20): optional, read by the matching's commitment criterion
    expected_months = models.PositiveSmallIntegerField(
        _("tandem expected for"), choices=CommitmentMonths, null=True, blank=True
    )
    expected_per_month = models.PositiveSmallIntegerField(
        _("meetings expected"), choices=CommitmentFrequency, null=True, blank=True
    )
    residence_status = models.ForeignKey(
        ResidenceStatus,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residence status"),
    )
    arrived_on = models.DateField(_("arrived in Germany on"), null=True, blank=True)
    # the household, kept in step with `members` by the services (for filters and matching)
    adults_count = models.PositiveSmallIntegerField(_("adults"), default=1)
    children_count = models.PositiveSmallIntegerField(_("children"), default=0)
    youngest_birth_year = models.PositiveSmallIntegerField(_("youngest member born"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible coordinator"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    referring_organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referring organisation"),
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    intake_on = models.DateField(_("intake on"), null=True, blank=True)
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intake held by"),
    )
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True)
    intake_notes = models.TextField(_("notes from the intake interview"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    health_notes = models.TextField(_("notes on health and family"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RefugeeStatus, default=RefugeeStatus.REFERRED
    )
    status_changed_at = models.DateTimeField(_("status since"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason, blank=True)
    close_note = models.TextField(_("note on closing"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    # its personal fields are declared once, in refugees/privacy.py
    SENSITIVE_FIELDS = ("residence_status", "health_notes")
    AUDIT_REDACTED = ("health_notes",)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("refugee")
        verbose_name_plural = _("refugees")
        indexes = [
            models.Index(fields=["status", "waiting_since"], name="refugee_status_waiting_idx"),
            models.Index(fields=["organisation", "status"], name="refugee_org_status_idx"),
            models.Index(fields=["referred_by"], name="refugee_referred_by_idx"),
            models.Index(fields=["last_name", "first_name"], name="refugee_name_idx"),
            # the list's default order (newest referral first) and its count, over the refugees not anonymised
            models.Index(
                fields=["referred_at", "id"],
                condition=Q(anonymised_at__isnull=True),
                name="refugee_live_referred_idx",
            ),
            # the waiting list: its order (longest waiting first), its count and the median waiting time
            models.Index(
                fields=["waiting_since", "last_name", "id"],
                condition=Q(
                    status=RefugeeStatus.WAITING, anonymised_at__isnull=True, waiting_since__isnull=False
                ),
                name="refugee_waiting_idx",
            ),
            GinIndex(refugee_search_document(), name="refugee_search_idx"),
            GinIndex(refugee_name_document(), name="refugee_name_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RefugeeStatus.values), name="refugee_status_valid"),
            commitment_constraint("expected_months", CommitmentMonths, "refugee_expected_months_valid"),
            commitment_constraint(
                "expected_per_month", CommitmentFrequency, "refugee_expected_per_month_valid"
            ),
            models.CheckConstraint(
                condition=Q(german_level__in=GermanLevel.values), name="refugee_german_level_valid"
            ),
            models.CheckConstraint(condition=Q(adults_count__gte=1), name="refugee_household_has_an_adult"),
            models.CheckConstraint(
                condition=~Q(status=RefugeeStatus.CLOSED) | Q(closed_at__isnull=False),
                name="refugee_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(close_reason="") | Q(close_reason__in=CloseReason.values),
                name="refugee_close_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(_("(anonymised)"))

    def get_absolute_url(self) -> str:
        return reverse_cached("refugees:refugee_detail", self.pk)

    @property
    def expectation_display(self) -> str:
        return commitment_display(self.expected_months, self.expected_per_month)

    @property
    def availability_display(self) -> str:
        """The household's week as the page shows it: "Monday, Wednesday; afternoons" (empty: none)."""
        days = ", ".join(str(Weekday(day).label) for day in sorted(self.available_weekdays))
        times = ", ".join(str(DayTime(time).label) for time in self.available_times)
        return "; ".join(part for part in (days, times) if part)

    @property
    def waiting_days(self) -> int | None:
        """Days since intake while waiting; computed, never stored."""
        if self.status != RefugeeStatus.WAITING or self.waiting_since is None:
            return None
        return (timezone.localdate() - self.waiting_since).days

    @property
    def household_size(self) -> int:
        return self.adults_count + self.children_count

    @property
    def has_minors(self) -> bool:
        return (
            self.youngest_birth_year is not None and timezone.localdate().year - self.youngest_birth_year < 18
        )


class MemberRole(models.TextChoices):
    ADULT = "adult", _("adult")
    CHILD = "child", _("child")


class HouseholdMember(models.Model):
    """Another person of the household (the main person is the `Refugee` row itself)."""

    refugee = models.ForeignKey(
        Refugee, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, default=Gender.UNSPECIFIED)
    # its personal fields are declared once, in refugees/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("refugee",)

    class Meta:
        ordering = ["birth_year", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MemberRole.values), name="member_role_valid"),
            models.CheckConstraint(condition=Q(birth_year__gte=1900), name="member_birth_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.birth_year})"


class ReferralNote(models.Model):
    """A note on a referral, by the referrer or by staff."""

    refugee = models.ForeignKey(
        Refugee, on_delete=models.CASCADE, related_name="referral_notes", verbose_name=_("refugee")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    # its personal fields are declared once, in refugees/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("refugee",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note on a referral")
        verbose_name_plural = _("notes on referrals")

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} {self.author}"
