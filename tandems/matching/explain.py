"""Why a pair scores as it does, and why it is blocked: each criterion and rule of the registry in words."""

from tandems.matching import registry
from tandems.matching.data import Context, Criterion, RefugeeData, Scores, Suggestion, VolunteerData


def explain(
    refugee: RefugeeData, volunteer: VolunteerData, scores: Scores, i: int, ctx: Context
) -> list[Criterion]:
    """The per-criterion scores of one pair (row `i` of `scores`) in words a coordinator understands."""
    return [
        Criterion(
            key=criterion.key,
            label=str(criterion.label),
            score=float(scores.parts[criterion.key][i]),
            weight=_weight(criterion.key, scores, i, ctx),
            text=criterion.explain(refugee, volunteer, ctx),
        )
        for criterion in registry.CRITERIA
    ]


def _weight(key: str, scores: Scores, i: int, ctx: Context) -> float:
    """The weight the criterion had in this pair's total: 0 where it does not count (nothing stated)."""
    counted = scores.counted.get(key)
    if counted is not None and not counted[i]:
        return 0.0
    return ctx.weights.get(key, 0.0)


def block_reasons(
    refugee: RefugeeData, volunteer: VolunteerData, scores: Scores, i: int, ctx: Context
) -> list[str]:
    """Why a pair is not allowed, one German sentence per broken hard rule."""
    return [rule.reason(refugee, volunteer, ctx) for rule in registry.RULES if scores.blocks[rule.key][i]]


def suggestion(
    refugee: RefugeeData, volunteer: VolunteerData, scores: Scores, i: int, ctx: Context
) -> Suggestion:
    """Row `i` of `scores` as a shown suggestion: the total, the explanation and the reasons it is blocked."""
    return Suggestion(
        refugee=refugee,
        volunteer=volunteer,
        total=float(scores.total[i]),
        criteria=explain(refugee, volunteer, scores, i, ctx),
        blocked=block_reasons(refugee, volunteer, scores, i, ctx),
    )
