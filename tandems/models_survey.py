"""The relationship-quality survey (issue #20): statements an admin edits, and each side's answers by link at
about 1, 3, 6 and 12 months of a running tandem (tandems/survey.py, docs/participants.md § Survey)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

# the months of a running tandem at which each side is asked (a "wave")
SURVEY_WAVES = (1, 3, 6, 12)
SURVEY_SIDES = ("volunteer", "household")  # the values of CheckInBy for the two sides
# a side whose newest mean score is at or below this flags the tandem at risk: 2.5 is below the scale's
# middle ("partly true", 3), i.e. on average the side does not agree with the statements
LOW_SCORE = Decimal("2.5")


class SurveyRespondent(models.TextChoices):
    VOLUNTEER = "volunteer", _("the volunteer")
    HOUSEHOLD = "household", _("the household")
    BOTH = "both", _("both sides")


class SurveyItem(TimeStampedModel):
    """One statement of the survey, answered on a five-point agreement scale (1 = strongly disagree,
    5 = strongly agree). `texts` holds the statement per participant language code ({"de": ..., "en": ...,
    "ar": ..., "de-ls": ...}); a language without a text shows the German one."""

    order = models.PositiveSmallIntegerField(_("order"), default=10)
    is_active = models.BooleanField(_("active"), default=True)
    respondent = models.CharField(
        _("asked of"), max_length=10, choices=SurveyRespondent, default=SurveyRespondent.BOTH
    )
    texts = models.JSONField(
        _("statement per language"),
        default=dict,
        help_text=_(
            'The statement per language code, e.g. {"de": "Wir verstehen uns gut", "en": "We get on well", '
            '"ar": "…"}. German ("de") is required; a language without a text shows the German one.'
        ),
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("survey statement")
        verbose_name_plural = _("survey statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent__in=SurveyRespondent.values), name="surveyitem_respondent_valid"
            ),
            models.CheckConstraint(condition=Q(texts__has_key="de"), name="surveyitem_has_german"),
        ]

    def __str__(self) -> str:
        return self.text("de")

    def text(self, language: str) -> str:
        """The statement in `language`, else in German."""
        texts = self.texts if isinstance(self.texts, dict) else {}
        return str(texts.get(language) or texts.get(settings.LANGUAGE_CODE) or "")

    def asks(self, side: str) -> bool:
        return self.respondent in (SurveyRespondent.BOTH, side)


class SurveyResponse(TimeStampedModel):
    """One side's answer to one wave of the survey: the mean of its items (1–5) is `score`. One row per
    tandem, wave and side, so a wave answered twice counts once."""

    tandem = models.ForeignKey(
        "tandems.Tandem", on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("tandem")
    )
    wave = models.PositiveSmallIntegerField(_("month of the tandem"))
    side = models.CharField(_("answered"), max_length=10)
    answered_on = models.DateField(_("answered on"))
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=2, null=True, blank=True)
    # the side's newest wave: the at-risk rule reads only this one (tandems.selectors.with_support_flags)
    is_latest = models.BooleanField(_("newest answer of this side"), default=True)
    link = models.ForeignKey(
        "core.ParticipantLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # no name, no free text: a rating like a check-in's mood (tandems/privacy.py says why)
    PERSONAL_FIELDS = ()
    ORGANISATION_VIA = ("tandem",)

    class Meta:
        ordering = ["tandem", "wave", "side"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [
            models.Index(fields=["tandem"], condition=Q(is_latest=True), name="surveyresponse_latest_idx"),
            models.Index(fields=["answered_on"], name="surveyresponse_answered_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(wave__in=SURVEY_WAVES), name="surveyresponse_wave_valid"),
            models.CheckConstraint(condition=Q(side__in=SURVEY_SIDES), name="surveyresponse_side_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="surveyresponse_score_1_5",
            ),
            models.UniqueConstraint(fields=["tandem", "wave", "side"], name="one_survey_answer_per_wave"),
            models.UniqueConstraint(
                fields=["tandem", "side"], condition=Q(is_latest=True), name="one_latest_survey_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} {self.side} {self.score}"


class SurveyAnswer(models.Model):
    """The value (1–5) one side gave one statement in one wave."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("survey answer")
    )
    item = models.ForeignKey(
        SurveyItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("survey statement")
    )
    value = models.PositiveSmallIntegerField(_("agreement (1–5)"), null=True, blank=True)
    PERSONAL_FIELDS = ()  # a value 1-5 (tandems/privacy.py)

    class Meta:
        verbose_name = _("answer to a statement")
        verbose_name_plural = _("answers to statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5), name="surveyanswer_value_1_5"
            ),
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"
