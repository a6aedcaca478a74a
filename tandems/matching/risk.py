"""The risk at match time (issue #20): transparent rules, each one small object, weighed by an admin.

Each rule says in words why a pair might end early (`reason`, None where it does not apply). The weights of
the rules that apply add up to points, and the points to a level (low, medium, high). It is a hint beside a
suggestion, never a decision: the coordinator decides (DSGVO Art. 22). It is computed only for the pairs that
are shown or proposed, in two queries whatever their number (the admin's weights, and what the rules need
of the volunteers beyond the pool: hours a month, an earlier tandem, a recent training or meetup).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandems.matching.data import RefugeeData, VolunteerData

SHORT_MONTHS = 3  # a plan of this many months or fewer is short, whatever the household expects
FEW_HOURS = 4  # hours a month
RECENT_DAYS = 182  # "in the last 6 months"
SMALL_CHILD_YEARS = 6  # a child under this age
SEVERAL_NEEDS = 3
MEDIUM_FROM = 2.0  # points
HIGH_FROM = 3.5


@dataclass(frozen=True)
class VolunteerFacts:
    """What the rules need of one volunteer beyond the pool's columns."""

    hours_per_month: int
    had_tandem: bool  # a tandem of theirs has started before
    trained_recently: bool  # attended a training or meetup in the last RECENT_DAYS days


class RiskCheck:
    """One rule: `code` (its row in tandems.RiskRule), a `label` for the admin, `default_weight`."""

    code: str
    label: Promise
    default_weight: float = 1.0

    def reason(
        self, refugee: RefugeeData, volunteer: VolunteerData, facts: VolunteerFacts, today: datetime.date
    ) -> str | None:
        """The rule's words for this pair where it applies, otherwise None."""
        raise NotImplementedError


class ShortCommitment(RiskCheck):
    code = "commitment"
    label = gettext_lazy("Short or mismatched commitment")
    default_weight = 2.0

    def reason(self, refugee, volunteer, facts, today):
        planned, expected = volunteer.commitment_months, refugee.expected_months
        if planned and expected and planned < expected:
            return _("plans %(planned)d months, %(expected)d expected") % {
                "planned": planned,
                "expected": expected,
            }
        if planned and planned <= SHORT_MONTHS:
            return _("plans only %(planned)d months") % {"planned": planned}
        meets, wanted = volunteer.commitment_per_month, refugee.expected_per_month
        if meets and wanted and meets < wanted:
            return _("can meet %(planned)d times a month, %(expected)d expected") % {
                "planned": meets,
                "expected": wanted,
            }
        return None


class NearCapacity(RiskCheck):
    code = "capacity"
    label = gettext_lazy("Volunteer already in a tandem or with few hours a month")

    def reason(self, refugee, volunteer, facts, today):
        words = []
        if volunteer.open_count:
            words.append(
                ngettext(
                    "already in %(n)d open tandem", "already in %(n)d open tandems", volunteer.open_count
                )
                % {"n": volunteer.open_count}
            )
        if facts.hours_per_month <= FEW_HOURS:
            words.append(_("only %(hours)d hours a month") % {"hours": facts.hours_per_month})
        return ", ".join(words) or None


class NoRecentTraining(RiskCheck):
    code = "training"
    label = gettext_lazy("No training or meetup attended in the last 6 months")

    def reason(self, refugee, volunteer, facts, today):
        return None if facts.trained_recently else _("no training or meetup attended in the last 6 months")


class DemandingHousehold(RiskCheck):
    code = "household"
    label = gettext_lazy("Household with several needs and small children")
    default_weight = 1.5

    def reason(self, refugee, volunteer, facts, today):
        young = (
            refugee.children_count > 0
            and refugee.youngest_birth_year is not None
            and today.year - refugee.youngest_birth_year < SMALL_CHILD_YEARS
        )
        if young and len(refugee.needs) >= SEVERAL_NEEDS:
            return _("household with %(needs)d needs and a child under %(age)d") % {
                "needs": len(refugee.needs),
                "age": SMALL_CHILD_YEARS,
            }
        return None


class FirstTandem(RiskCheck):
    code = "first_tandem"
    label = gettext_lazy("The volunteer's first tandem")

    def reason(self, refugee, volunteer, facts, today):
        return None if facts.had_tandem else _("the volunteer's first tandem")


RISK_RULES: tuple[RiskCheck, ...] = (
    ShortCommitment(),
    NearCapacity(),
    NoRecentTraining(),
    DemandingHousehold(),
    FirstTandem(),
)
RISK_LABELS = {rule.code: rule.label for rule in RISK_RULES}
LEVEL_LABELS = {"low": gettext_lazy("low"), "medium": gettext_lazy("medium"), "high": gettext_lazy("high")}


@dataclass
class Risk:
    """One pair's risk at match time: the level, the points and the reasons (code, words, weight)."""

    level: str
    points: float
    reasons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def texts(self) -> list[str]:
        return [reason["text"] for reason in self.reasons]

    def as_record(self) -> dict[str, Any]:
        return {"level": self.level, "points": self.points, "reasons": list(self.reasons)}

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> "Risk | None":
        """The risk stored with a tandem (None for a tandem proposed before the risk was stored)."""
        if not record or record.get("level") not in LEVEL_LABELS:
            return None
        return cls(level=record["level"], points=record.get("points", 0), reasons=record.get("reasons", []))


def level_of(points: float) -> str:
    return "high" if points >= HIGH_FROM else "medium" if points >= MEDIUM_FROM else "low"


def rule_weights() -> dict[str, float]:
    """The admin's weights (0 for an inactive rule; a rule without a row counts with its default)."""
    from tandems.models import RiskRule

    rows = {
        code: (weight, active)
        for code, weight, active in RiskRule.objects.values_list("code", "weight", "is_active")
    }
    weights = {}
    for rule in RISK_RULES:
        weight, active = rows.get(rule.code, (rule.default_weight, True))
        weights[rule.code] = float(weight) if active else 0.0
    return weights


def volunteer_facts(pks: Sequence[int], today: datetime.date) -> dict[int, VolunteerFacts]:
    """One query for all the given volunteers."""
    from tandems.models import Tandem
    from trainings.models import Registration
    from volunteers.models import Volunteer

    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=RECENT_DAYS), datetime.time())
    )
    rows = (
        Volunteer.objects.filter(pk__in=list(pks))
        .annotate(
            had=Exists(Tandem.objects.filter(volunteer=OuterRef("pk"), started_on__isnull=False)),
            recent=Exists(
                Registration.objects.filter(
                    volunteer=OuterRef("pk"), attended=True, session__starts_at__gte=since
                )
            ),
        )
        .values_list("pk", "hours_per_month", "had", "recent")
    )
    return {pk: VolunteerFacts(hours, had, recent) for pk, hours, had, recent in rows}


def assess(pairs: Sequence[tuple[RefugeeData, VolunteerData]], today: datetime.date) -> list[Risk]:
    """The risk of each pair, in order."""
    if not pairs:
        return []
    weights = rule_weights()
    facts = volunteer_facts({v.pk for _r, v in pairs}, today)
    result = []
    for refugee, volunteer in pairs:
        known = facts.get(volunteer.pk) or VolunteerFacts(0, False, False)
        reasons = []
        for rule in RISK_RULES:
            weight = weights.get(rule.code, 0.0)
            text = rule.reason(refugee, volunteer, known, today) if weight else None
            if text:
                reasons.append({"code": rule.code, "text": text, "weight": weight})
        points = round(sum(reason["weight"] for reason in reasons), 2)
        result.append(Risk(level=level_of(points), points=points, reasons=reasons))
    return result
