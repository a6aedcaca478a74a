"""Scoring one refugee against every volunteer of a pool: each criterion of the registry, then each rule."""

import numpy as np

from tandems.matching import registry
from tandems.matching.data import RefugeeData, Scores
from tandems.matching.pool import Pool


def score_refugee(refugee: RefugeeData, pool: Pool, *, keep_parts: bool = True) -> Scores:
    """Totals 0..1 (the weighted average of the criteria's scores) and the hard rules as masks."""
    ctx, n = pool.ctx, len(pool)
    parts = {criterion.key: criterion.score(refugee, pool, ctx) for criterion in registry.CRITERIA}
    counted = _counted(refugee, pool)
    # the weights of the criteria that count for every volunteer, summed in the weights' order, plus per
    # volunteer those that count only where something is stated: without that, the totals are as before
    weight_sum = sum(w for k, w in ctx.weights.items() if k not in counted) + np.zeros(n, dtype=np.float32)
    total = np.zeros(n, dtype=np.float32)
    for key, value in parts.items():
        weight = ctx.weights.get(key, 0.0)
        if not weight:
            continue
        if key in counted:
            if counted[key].any():
                total = total + np.where(counted[key], pool.weighted(value, weight), 0.0).astype(np.float32)
                weight_sum = weight_sum + np.where(counted[key], weight, 0.0).astype(np.float32)
        else:
            total = total + pool.weighted(value, weight)
    total = (total / np.where(weight_sum > 0, weight_sum, 1.0)).astype(np.float32)
    blocks = {rule.key: rule.mask(refugee, pool, ctx) for rule in registry.RULES}
    masks = list(blocks.values())
    if n and all(pool.is_kept(mask) for mask in masks):
        # masks kept by the pool (the rules depend on a few fields of the household): their union once
        allowed = pool.cached(("allowed", *map(id, masks)), lambda: ~np.logical_or.reduce(masks))
    else:
        allowed = ~np.logical_or.reduce(masks) if n else np.zeros(0, dtype=bool)
    full_parts = {}
    if keep_parts:
        full_parts = {k: np.broadcast_to(np.asarray(v, dtype=np.float32), (n,)) for k, v in parts.items()}
    return Scores(total=total, allowed=allowed, parts=full_parts, blocks=blocks, counted=counted)


def _counted(refugee: RefugeeData, pool: Pool) -> dict[str, np.ndarray]:
    """The criteria that count only for some volunteers, as boolean columns (docs/tandems.md)."""
    counted = {}
    for criterion in registry.CRITERIA:
        mask = criterion.counts(refugee, pool, pool.ctx)
        if mask is not None:
            counted[criterion.key] = np.broadcast_to(np.asarray(mask, dtype=bool), (len(pool),))
    return counted
