"""The hard rules, one object each: a pair that breaks one is not suggested (or shown blocked with the reason).

A rule answers for every volunteer of a pool at once (`mask`: True where it blocks), says why in words for
one pair (`reason`), names itself in a few words for the batch's summary (`words`), and, where the database
can check it cheaply, narrows the candidates in SQL before anything is loaded (`prefilter`). The prefilter is
only a cheaper way to leave out whom `mask` would block: `mask` still decides on what is loaded.
"""

import datetime

import numpy as np
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.models import GenderPreference
from tandems.matching.data import AVAILABLE_STATUSES, Context, RefugeeData, VolunteerData
from tandems.matching.pool import GENDER_CODE, PREF_CODE, Pool
from volunteers.models import Volunteer, VolunteerStatus

GENDER_WORDS = {
    GenderPreference.FEMALE: gettext_noop("women only"),
    GenderPreference.MALE: gettext_noop("men only"),
}


class HardRule:
    key: str
    words: str  # gettext_noop: translated where it is shown

    def mask(self, refugee: RefugeeData, pool: Pool, ctx: Context) -> np.ndarray:
        raise NotImplementedError

    def reason(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        raise NotImplementedError

    def prefilter(
        self, queryset: QuerySet[Volunteer], refugee: RefugeeData, today: datetime.date
    ) -> QuerySet[Volunteer]:
        return queryset

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"


class Scope(HardRule):
    """Same organisation, or an FWZ volunteer (for a partner coordinator: one released to the partner)."""

    key = "scope"
    words = gettext_noop("not released for this organisation")

    def mask(self, refugee, pool, ctx):
        return pool.cached(
            (self.key, refugee.organisation_id), lambda: ~pool.scope_ok(refugee.organisation_id)
        )

    def reason(self, refugee, volunteer, ctx):
        return _("belongs to %(organisation)s and is not released for %(other)s") % {
            "organisation": ctx.organisation_names.get(volunteer.organisation_id, "?"),
            "other": ctx.organisation_names.get(refugee.organisation_id, "?"),
        }


class Unavailable(HardRule):
    key = "unavailable"
    words = gettext_noop("not available")

    def mask(self, refugee, pool, ctx):
        return pool.cached((self.key,), lambda: ~pool.available)

    def reason(self, refugee, volunteer, ctx):
        return _("not available (status: %(status)s)") % {"status": VolunteerStatus(volunteer.status).label}

    def prefilter(self, queryset, refugee, today):
        return queryset.filter(status__in=AVAILABLE_STATUSES)


class NoCapacity(HardRule):
    key = "no_capacity"
    words = gettext_noop("no free place")

    def mask(self, refugee, pool, ctx):
        return pool.cached((self.key,), lambda: pool.free <= 0)

    def reason(self, refugee, volunteer, ctx):
        return _("no free place (%(taken)d of %(capacity)d taken)") % {
            "taken": volunteer.open_count,
            "capacity": volunteer.capacity,
        }

    def prefilter(self, queryset, refugee, today):
        # the condition of volunteer_matchable_idx, on the count kept on the row
        return queryset.filter(capacity__gt=F("open_tandems"))


class Untrained(HardRule):
    key = "untrained"
    words = gettext_noop("basic training not done yet")

    def mask(self, refugee, pool, ctx):
        return pool.cached((self.key,), lambda: ~pool.trained)

    def reason(self, refugee, volunteer, ctx):
        return _("basic training not done yet")

    def prefilter(self, queryset, refugee, today):
        return queryset.filter(trained_on__isnull=False)


class Clearance(HardRule):
    """A valid police clearance where the household has minors."""

    key = "clearance"
    words = gettext_noop("no valid police clearance, and the household has minors")

    def mask(self, refugee, pool, ctx):
        if refugee.has_minors(ctx.today):
            return pool.cached((self.key, True), lambda: ~pool.cleared)
        return pool.cached((self.key, False), lambda: np.zeros(len(pool), dtype=bool))

    def reason(self, refugee, volunteer, ctx):
        return _("no valid police clearance, and the household has minors")

    def prefilter(self, queryset, refugee, today):
        if refugee.has_minors(today):
            return queryset.filter(clearance_valid_until__gte=today)
        return queryset


class VolunteerGender(HardRule):
    """The volunteer's wish about whom they mentor ("women only", "men only")."""

    key = "volunteer_gender"
    words = gettext_noop("gender preference of the volunteer")

    def mask(self, refugee, pool, ctx):
        code = GENDER_CODE.get(refugee.gender, 0)
        return pool.cached((self.key, code), lambda: (pool.pref_gender != 0) & (pool.pref_gender != code))

    def reason(self, refugee, volunteer, ctx):
        return _("would mentor %(preference)s") % {"preference": _gender_words(volunteer.pref_gender)}

    def prefilter(self, queryset, refugee, today):
        return queryset.filter(Q(pref_gender=GenderPreference.ANY) | Q(pref_gender=refugee.gender))


class RefugeeGender(HardRule):
    """The household's wish about the volunteer's gender."""

    key = "refugee_gender"
    words = gettext_noop("gender preference of the household")

    def mask(self, refugee, pool, ctx):
        wish = PREF_CODE.get(refugee.pref_volunteer_gender, 0)
        return pool.cached(
            (self.key, wish), lambda: (pool.gender != wish) if wish else np.zeros(len(pool), dtype=bool)
        )

    def reason(self, refugee, volunteer, ctx):
        return _("the household wishes a volunteer: %(preference)s") % {
            "preference": _gender_words(refugee.pref_volunteer_gender)
        }

    def prefilter(self, queryset, refugee, today):
        if refugee.pref_volunteer_gender != GenderPreference.ANY:
            return queryset.filter(gender=refugee.pref_volunteer_gender)
        return queryset


class CoolOff(HardRule):
    """The decision at the end of a volunteer's last tandem: not suggested again before a date (issue #20,
    `tandems.TandemClosure.cooloff_until`). Read once per pool: the volunteers whose cool-off runs."""

    key = "cooloff"
    words = gettext_noop("cool-off after the last tandem")

    @staticmethod
    def _until(pks, today: datetime.date) -> dict[int, datetime.date]:
        from tandems.models import TandemClosure

        rows = TandemClosure.objects.filter(cooloff_until__gt=today)
        if pks is not None:
            rows = rows.filter(tandem__volunteer_id__in=pks)
        until: dict[int, datetime.date] = {}
        for volunteer_id, date in rows.values_list("tandem__volunteer_id", "cooloff_until"):
            until[volunteer_id] = max(date, until.get(volunteer_id, date))
        return until

    def mask(self, refugee, pool, ctx):
        def cooling() -> np.ndarray:
            until = self._until(None, ctx.today)
            return np.isin(pool.columns.pk, np.fromiter(until, dtype=np.int64, count=len(until)))

        return pool.cached((self.key,), cooling)

    def reason(self, refugee, volunteer, ctx):
        until = self._until([volunteer.pk], ctx.today).get(volunteer.pk)
        return _("not to be suggested again before %(date)s, after the last tandem") % {
            "date": until.strftime("%d.%m.%Y") if until else "?"
        }

    def prefilter(self, queryset, refugee, today):
        from tandems.models import TandemClosure

        cooling = TandemClosure.objects.filter(tandem__volunteer_id=OuterRef("pk"), cooloff_until__gt=today)
        return queryset.filter(~Exists(cooling))


def _gender_words(preference: str) -> str:
    words = GENDER_WORDS.get(preference)
    return _(words) if words else ""
