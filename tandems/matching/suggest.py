"""Suggestions: the best volunteers for a refugee, the best refugees for a volunteer, one pair explained."""

import numpy as np

from core.models import User
from refugees.models import Refugee
from tandems.matching.candidates import candidate_volunteers, load_refugees, prefiltered, waiting_refugees
from tandems.matching.context import load_context
from tandems.matching.data import Suggestion
from tandems.matching.explain import suggestion
from tandems.matching.pool import Pool
from tandems.matching.risk import assess
from tandems.matching.scoring import score_refugee
from volunteers.models import Volunteer


def suggest_volunteers(
    *, refugee: Refugee, user: User, limit: int = 10, show_blocked: bool = False
) -> list[Suggestion]:
    """The best volunteers for one refugee (and, when asked, the blocked ones with their reasons). The
    candidates are scored as columns; only the shown ones become objects."""
    ctx = load_context(user=user)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    queryset = candidate_volunteers(user=user, organisation_ids=[r.organisation_id])
    if not show_blocked:
        queryset = prefiltered(queryset, r, ctx.today)
    pool = Pool.load(queryset, ctx, refugee=r)
    if not len(pool):
        return []
    scores = score_refugee(r, pool)
    order = np.argsort(-scores.total, kind="stable")
    picked = order[scores.allowed[order]][:limit].tolist()
    if show_blocked:
        picked += order[~scores.allowed[order]][:limit].tolist()
    volunteers = pool.volunteers(picked)
    return with_risk([suggestion(r, v, scores, i, ctx) for i, v in zip(picked, volunteers, strict=True)], ctx)


def suggest_refugees(
    *, volunteer: Volunteer, user: User, limit: int = 10, show_blocked: bool = False
) -> list[Suggestion]:
    """The best waiting refugees for one volunteer."""
    ctx = load_context(user=user)
    pool = Pool.load(Volunteer.objects.filter(pk=volunteer.pk), ctx)
    refugees = load_refugees(waiting_refugees(user=user))
    scored = []
    for r in refugees:
        scores = score_refugee(r, pool)
        scored.append((float(scores.total[0]), bool(scores.allowed[0]), r, scores))
    scored.sort(key=lambda item: -item[0])
    picked = [s for s in scored if s[1]][:limit]
    if show_blocked:
        picked += [s for s in scored if not s[1]][:limit]
    v = pool.volunteers([0])[0] if len(pool) else None
    return with_risk([suggestion(r, v, scores, 0, ctx) for _total, _ok, r, scores in picked], ctx)


def explain_pair(*, refugee: Refugee, volunteer: Volunteer, user: User | None) -> Suggestion:
    """Score and explain one pair, as the service stores it with a proposed tandem."""
    ctx = load_context(user=user)
    r = load_refugees(Refugee.objects.filter(pk=refugee.pk))[0]
    pool = Pool.load(Volunteer.objects.filter(pk=volunteer.pk), ctx)
    return with_risk([suggestion(r, pool.volunteers([0])[0], score_refugee(r, pool), 0, ctx)], ctx)[0]


def with_risk(suggestions: list[Suggestion], ctx) -> list[Suggestion]:
    """The risk at match time of the suggestions shown (two queries, whatever their number)."""
    for s, risk in zip(
        suggestions, assess([(s.refugee, s.volunteer) for s in suggestions], ctx.today), strict=True
    ):
        s.risk = risk
    return suggestions
