"""Shared language: the best level among the languages both speak; German by the refugee's German level."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import GERMAN_LEVEL_SCORE, LEVEL_SCORE, Context, RefugeeData, VolunteerData


class SharedLanguage(SoftCriterion):
    key = "language"
    label = gettext_lazy("Shared language")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        return pool.cached(
            (self.key, refugee.languages, refugee.german_level), lambda: self._best(refugee, pool, ctx)
        )

    @staticmethod
    def _best(refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        language = pool.zeros
        for lang_id in refugee.languages:
            if lang_id == ctx.german_id:
                continue
            column = pool.language_column(lang_id)
            if column is not None:
                language = np.maximum(language, column)
        german_factor = GERMAN_LEVEL_SCORE.get(refugee.german_level, 0.0)
        if german_factor:
            language = np.maximum(language, pool.german * german_factor)
        return language.copy() if language is pool.zeros else language

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        level_names = {
            "native": _("native speaker"),
            "fluent": _("fluent"),
            "good": _("good"),
            "basic": _("basic"),
        }
        shared = [
            (LEVEL_SCORE.get(volunteer.languages[lang], 0), lang)
            for lang in refugee.languages
            if lang in volunteer.languages and lang != ctx.german_id
        ]
        bits = [
            _("speaks %(language)s (%(level)s)")
            % {
                "language": ctx.language_names.get(lang, "?"),
                "level": level_names.get(volunteer.languages[lang], ""),
            }
            for _score, lang in sorted(shared, reverse=True)
        ]
        german_factor = GERMAN_LEVEL_SCORE.get(refugee.german_level, 0.0)
        if german_factor and ctx.german_id in volunteer.languages:
            if german_factor >= 1:
                bits.append(_("German works (German level %(level)s)") % {"level": refugee.german_level})
            else:
                bits.append(_("partly in German (German level %(level)s)") % {"level": refugee.german_level})
        return "; ".join(bits) if bits else _("no shared language")
