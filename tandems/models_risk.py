"""The rules of the risk at match time (issue #20), as an admin weighs them: one row per rule of
`tandems.matching.risk.RISK_RULES` (seeded by migration 0013); the rules' logic is code."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RiskRule(models.Model):
    """How much one rule of the risk at match time counts (0 or inactive: not at all)."""

    code = models.CharField(_("rule"), max_length=40, unique=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="risk_rule_weight_not_negative")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        from tandems.matching.risk import RISK_LABELS

        return str(RISK_LABELS.get(self.code, self.code))

    def clean(self) -> None:
        from tandems.matching.risk import RISK_LABELS

        if self.code not in RISK_LABELS:
            raise ValidationError({"code": _("There is no rule with this code.")})
