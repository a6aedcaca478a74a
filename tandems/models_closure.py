"""A structured closure (issue #20): the exit conversations with each side, the wishes about further contact,
the decision about a new tandem with its cool-off date, and the integration outcomes reached.

Imported at the end of tandems/models.py, so the app's models stay one module to Django."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ReferenceData, TimeStampedModel
from refugees.models import GermanLevel


class IntegrationOutcome(ReferenceData):
    """What a tandem reached for the household, ticked at the end (admin-editable; migration 0012 seeds the
    defaults of the federal programme's evaluation). `code` names the column of the evaluation export."""

    PERSONAL_FIELDS = ()

    class Meta(ReferenceData.Meta):
        verbose_name = _("integration outcome")
        verbose_name_plural = _("integration outcomes")


class ClosingSide(models.TextChoices):
    VOLUNTEER = "volunteer", _("with the volunteer")
    HOUSEHOLD = "household", _("with the household")


class ContactWish(models.TextChoices):
    """The wish of one side about further contact; the last two are each for one side only."""

    NONE = "none", _("no further contact")
    PRIVATE = "private", _("would like to stay in touch privately")
    NEW_TANDEM = "new_tandem", _("would like a new tandem")
    OTHER_VOLUNTEER = "other_volunteer", _("would like another volunteer")


VOLUNTEER_WISHES = (ContactWish.NONE, ContactWish.PRIVATE, ContactWish.NEW_TANDEM)
HOUSEHOLD_WISHES = (ContactWish.NONE, ContactWish.PRIVATE, ContactWish.OTHER_VOLUNTEER)


class ExitChannel(models.TextChoices):
    MEETING = "meeting", _("meeting in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video call")
    EMAIL = "email", _("e-mail")
    MESSENGER = "messenger", _("messenger")


class NoConversationReason(models.TextChoices):
    UNREACHABLE = "unreachable", _("could not be reached")
    MOVED = "moved", _("moved away")
    DECLINED = "declined", _("declined a conversation")


class TandemClosure(TimeStampedModel):
    """How a tandem was closed: one row per tandem, made when closing starts (or at a direct end)."""

    tandem = models.OneToOneField(
        "tandems.Tandem", on_delete=models.CASCADE, related_name="closure", verbose_name=_("tandem")
    )
    started_on = models.DateField(_("closing started on"))
    volunteer_wish = models.CharField(
        _("wish of the volunteer"), max_length=20, choices=ContactWish, blank=True, default=""
    )
    household_wish = models.CharField(
        _("wish of the household"), max_length=20, choices=ContactWish, blank=True, default=""
    )
    no_conversation_reason = models.CharField(
        _("why no exit conversation"), max_length=20, choices=NoConversationReason, blank=True, default=""
    )
    # the decision about a new tandem: the volunteer is not suggested before this date (matching rule)
    cooloff_until = models.DateField(_("not suggested again before"), null=True, blank=True)
    german_level_start = models.CharField(
        _("German level at the start"), max_length=2, choices=GermanLevel, blank=True, default=""
    )
    german_level_end = models.CharField(
        _("German level at the end"), max_length=2, choices=GermanLevel, blank=True, default=""
    )
    outcomes = models.ManyToManyField(
        IntegrationOutcome, blank=True, related_name="+", verbose_name=_("integration outcomes")
    )
    no_outcome = models.BooleanField(_("none of these outcomes"), default=False)
    PERSONAL_FIELDS = ()  # choices and dates only
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        verbose_name = _("closure of a tandem")
        verbose_name_plural = _("closures of tandems")
        indexes = [
            models.Index(
                fields=["cooloff_until"], condition=Q(cooloff_until__isnull=False), name="closure_cooloff_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer_wish__in=[*VOLUNTEER_WISHES, ""]), name="closure_volunteer_wish_valid"
            ),
            models.CheckConstraint(
                condition=Q(household_wish__in=[*HOUSEHOLD_WISHES, ""]), name="closure_household_wish_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on:%d.%m.%Y}" if self.started_on else ""


class ExitConversation(TimeStampedModel):
    """The exit conversation with one side of a closing tandem: when, how, what was said."""

    tandem = models.ForeignKey(
        "tandems.Tandem",
        on_delete=models.CASCADE,
        related_name="exit_conversations",
        verbose_name=_("tandem"),
    )
    side = models.CharField(_("with whom"), max_length=10, choices=ClosingSide)
    held_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ExitChannel)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # its personal fields are declared once, in tandems/privacy.py
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("exit conversation")
        verbose_name_plural = _("exit conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=ClosingSide.values), name="exit_conversation_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=ExitChannel.values), name="exit_conversation_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.get_side_display()}" if self.held_on else ""
