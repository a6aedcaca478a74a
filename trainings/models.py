import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Deferrable, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrgScopedModel, ReferenceData, TimeStampedModel
from core.reversing import reverse_cached


class CourseKind(models.TextChoices):
    TRAINING = "training", _("training")
    MEETUP = "meetup", _("meetup")


class CourseType(ReferenceData):
    """A kind of training or meetup; the one marked required must be attended before a first tandem."""

    description = models.TextField(_("description"), blank=True)
    duration_hours = models.DecimalField(
        _("duration in hours"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    is_required = models.BooleanField(
        _("required before a first tandem"),
        default=False,
        help_text=_("Attending a session of this course makes a volunteer trained."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind, default=CourseKind.TRAINING)
    PERSONAL_FIELDS = ()

    class Meta(ReferenceData.Meta):
        verbose_name = _("course type")
        verbose_name_plural = _("course types")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CourseKind.values), name="course_type_kind_valid"),
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0),
                name="course_type_duration_positive",
                violation_error_message=_("The duration must be more than zero hours."),
            ),
        ]


class Session(OrgScopedModel):
    """One date of a course: a training session or a meetup."""

    course_type = models.ForeignKey(
        CourseType, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course type")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=20)
    notes = models.TextField(_("notes"), blank=True)
    # the trainer is named, and notes are free text that may name people
    # its personal fields are declared once, in trainings/privacy.py

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("The capacity must be at least one place."),
            ),
            models.CheckConstraint(
                condition=~Q(place="", online_url=""),
                name="session_has_place_or_link",
                violation_error_message=_("Give a place or an online link."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_type} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse_cached("trainings:session_detail", self.pk)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_begun(self) -> bool:
        """Attendance can be taken from the day of the session on."""
        return timezone.localdate(self.starts_at) <= timezone.localdate()


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("waiting list")


class Registration(TimeStampedModel):
    """A volunteer's place in a session, or on its waiting list; `attended` is the attendance."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus, default=RegistrationStatus.REGISTERED
    )
    waiting_position = models.PositiveIntegerField(_("position on the waiting list"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # when the reminder the day before was queued (trainings/tasks.py): never twice for one registration
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    # the row links a person to a date (who attended what is kept for the grant report); the note is
    # free text about the person and is blanked when the volunteer is anonymised
    # its personal fields are declared once, in trainings/privacy.py
    # the audit trail files its entries under the organisation of this link's record (core.audit)
    ORGANISATION_VIA = ("volunteer", "session")

    class Meta:
        ordering = ["session", "status", "waiting_position", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["volunteer", "attended"], name="registration_volunteer_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "volunteer"],
                name="registration_once_per_session",
                violation_error_message=_("This volunteer is already registered for this session."),
            ),
            # deferred, so that the waiting list can be renumbered in one UPDATE
            models.UniqueConstraint(
                fields=["session", "waiting_position"],
                name="registration_waiting_position_unique",
                deferrable=Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=RegistrationStatus.WAITING) & Q(waiting_position__isnull=False))
                | (Q(status=RegistrationStatus.REGISTERED) & Q(waiting_position__isnull=True)),
                name="registration_position_only_when_waiting",
            ),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status=RegistrationStatus.REGISTERED),
                name="registration_attended_only_registered",
                violation_error_message=_("Only registered participants can attend, not the waiting list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.session}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """A user's secret calendar link: calendar clients fetch the feed without logging in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)
    PERSONAL_FIELDS = ()
    AUDIT_REDACTED = ("token",)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(_("calendar link of %(user)s") % {"user": self.user})
