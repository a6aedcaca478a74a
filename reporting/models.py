"""Reference data for the grant report: annual targets, funding sources, budget lines, the funding plan and
the expenses booked against it. None of these rows holds personal data."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ReferenceData, TimeStampedModel

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class AnnualTarget(TimeStampedModel):
    """How many tandems the programme means to form in a calendar year (the council paper: 200 in 2017,
    500 in 2018)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    tandems_formed = models.PositiveIntegerField(_("tandems to form"))
    volunteers_trained = models.PositiveIntegerField(_("volunteers to train"), null=True, blank=True)
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="annual_target_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.tandems_formed}"


class FundingKind(models.TextChoices):
    CITY = "city", _("city budget")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class FundingSource(ReferenceData):
    """Who pays: the city's Produkt 11137 and the foundations named in the council paper."""

    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind, default=FundingKind.FOUNDATION)

    class Meta(ReferenceData.Meta):
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FundingKind.values), name="funding_source_kind_valid"
            ),
        ]


class BudgetLine(ReferenceData):
    """What the money is for: personnel, the public campaign, trainings, material, ..."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")


class FundingPlan(TimeStampedModel):
    """The amount granted (or planned) by one source for one budget line in one year."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="plans", verbose_name=_("funding source")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="plans", verbose_name=_("budget line")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("planned amount (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["year", "source__sort_order", "budget_line__sort_order"]
        verbose_name = _("funding plan")
        verbose_name_plural = _("funding plans")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "budget_line", "year"],
                name="funding_plan_once_per_line_and_year",
                violation_error_message=_("This source already has a plan for this budget line and year."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_plan_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source} – {self.budget_line}: {self.amount} €"


class Expense(TimeStampedModel):
    """Money spent: booked against a source and a budget line; its year is the year of `spent_on`."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("funding source")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    spent_on = models.DateField(_("spent on"))
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(
        _("what for"),
        max_length=200,
        help_text=_("For example: invoice number and supplier. No names of volunteers or refugees."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["spent_on"], name="expense_spent_on_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on:%d.%m.%Y} {self.source} – {self.budget_line}: {self.amount} €"
