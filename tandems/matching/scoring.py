"""Scoring one refugee against every volunteer of a pool: each criterion of the registry, then each rule."""

import numpy as np

from tandems.matching import registry
from tandems.matching.data import RefugeeData, Scores
from tandems.matching.pool import Pool


def score_refugee(refugee: RefugeeData, pool: Pool, *, keep_parts: bool = True) -> Scores:
    """Totals 0..1 (the weighted average of the criteria's scores) and the hard rules as masks."""
    ctx, n = pool.ctx, len(pool)
    parts = {criterion.key: criterion.score(refugee, pool, ctx) for criterion in registry.CRITERIA}
    weight_sum = sum(ctx.weights.values()) or 1.0
    total = np.zeros(n, dtype=np.float32)
    for key, value in parts.items():
        weight = ctx.weights.get(key, 0.0)
        if weight:
            total = total + weight * value
    total = total / weight_sum
    blocks = {rule.key: rule.mask(refugee, pool, ctx) for rule in registry.RULES}
    allowed = ~np.logical_or.reduce(list(blocks.values())) if n else np.zeros(0, dtype=bool)
    full_parts = {}
    if keep_parts:
        full_parts = {k: np.broadcast_to(np.asarray(v, dtype=np.float32), (n,)) for k, v in parts.items()}
    return Scores(total=total, allowed=allowed, parts=full_parts, blocks=blocks)
