"""Demo trainings: past and coming sessions of every course type, registrations, waiting lists and attendance.

Volunteers who are trained (or already in the trained/active steps) attended a past basic training; their
`trained_on` is set to that session's date, as `volunteer_trained_record` would have done. Volunteers still
waiting are registered for the coming basic trainings, longest waiting first, with waiting lists.
Idempotent: nothing happens when sessions exist.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from faker import Faker

from core.demo import copy_insert, count_for, is_city_scale
from core.models import Organisation, OrganisationKind
from trainings.models import CourseType, Registration, RegistrationStatus, Session
from volunteers.models import Volunteer, VolunteerStatus

PLACES = [
    "Freiwilligenzentrum Hannover, Karmarschstraße 30–32",
    "Kargah e.V., Zur Bettfedernfabrik 1",
    "Stadtteilzentrum Lister Turm, Walderseestraße 100",
    "Freizeitheim Linden, Windheimstraße 4",
    "Kulturtreff Hainholz, Voßstraße 36",
]
ONLINE = "https://meet.example.org/10000freunde"
BEFORE_TRAINED = (
    VolunteerStatus.REGISTERED,
    VolunteerStatus.EMAIL_CONFIRMED,
    VolunteerStatus.INTERVIEW_DONE,
    VolunteerStatus.CLEARED,
)


@dataclass
class _Plan:
    sessions: list[Session] = field(default_factory=list)
    # (index of the session in `sessions`, volunteer id, status, waiting position, attended)
    registrations: list[tuple[int, int, str, int | None, bool]] = field(default_factory=list)

    def add_session(self, session: Session) -> int:
        self.sessions.append(session)
        return len(self.sessions) - 1


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _slot(day: datetime.date) -> datetime.date:
    """Basic trainings run on the 1st and the 15th of each month (the nearest one before `day`)."""
    return day.replace(day=15 if day.day >= 15 else 1)


@transaction.atomic
def seed(*, size: str, stdout=None) -> None:
    if Session.objects.exists():
        if stdout:
            stdout.write("  trainings: sessions exist, nothing to do")
        return
    rng = random.Random(2026)
    fake = Faker("de_DE")
    fake.seed_instance(2026)
    types = {course.code: course for course in CourseType.objects.all()}
    basic = next(course for course in types.values() if course.is_required)
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    partners = list(Organisation.objects.filter(kind=OrganisationKind.PARTNER, is_active=True))
    today = timezone.localdate()
    capacity = 25 if is_city_scale(size) else 12
    trainers = [fake.name() for _ in range(12)]
    plan = _Plan()

    def new_session(course: CourseType, day: datetime.date, hour: int, organisation: Organisation) -> int:
        online = rng.random() < 0.15 and not course.is_required
        start = _at(day, hour)
        return plan.add_session(
            Session(
                organisation=organisation,
                course_type=course,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=float(course.duration_hours)),
                place="" if online else rng.choice(PLACES),
                online_url=ONLINE if online else "",
                trainer=rng.choice(trainers),
                capacity=capacity,
            )
        )

    volunteers = list(
        Volunteer.objects.filter(anonymised_at__isnull=True).values(
            "pk", "organisation_id", "status", "trained_on", "created_at"
        )
    )
    trained_steps = {VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE}

    # 1. past basic trainings: everybody trained attended one, on their trained_on date
    slots: dict[datetime.date, list[int]] = defaultdict(list)
    filled: dict[int, int] = defaultdict(int)
    trained_on: dict[int, datetime.date] = {}
    for row in volunteers:
        day = row["trained_on"]
        if day is None and row["status"] in trained_steps:
            day = min(timezone.localdate(row["created_at"]) + datetime.timedelta(days=30), today)
        if day is None:
            continue
        slot = min(_slot(day), today - datetime.timedelta(days=1))
        sessions_at = slots[slot]
        if not sessions_at or filled[sessions_at[-1]] >= capacity:
            organisation = fwz if len(sessions_at) % 2 == 0 or not partners else rng.choice(partners)
            sessions_at.append(new_session(basic, slot, 9, organisation))
        index = sessions_at[-1]
        filled[index] += 1
        plan.registrations.append((index, row["pk"], RegistrationStatus.REGISTERED, None, True))
        trained_on[row["pk"]] = slot

    # 2. volunteers still waiting: some did not come to a past basic training, the others are registered
    # for the coming ones, longest waiting first, beyond the capacity on the waiting list
    waiting = sorted(
        (
            row
            for row in volunteers
            if row["pk"] not in trained_on
            and row["status"] not in {VolunteerStatus.LEFT, VolunteerStatus.PAUSED}
        ),
        key=lambda row: row["created_at"],
    )
    coming_count = count_for(size, small=3, city=12)
    coming = [
        new_session(basic, today + datetime.timedelta(days=7 * (week + 1)), 9 if week % 2 else 17, fwz)
        for week in range(coming_count)
    ]
    per_session = capacity + 5
    for number, row in enumerate(waiting[: coming_count * per_session]):
        index = coming[number // per_session]
        place = number % per_session
        if place < capacity:
            plan.registrations.append((index, row["pk"], RegistrationStatus.REGISTERED, None, False))
        else:
            plan.registrations.append(
                (index, row["pk"], RegistrationStatus.WAITING, place - capacity + 1, False)
            )
    # those still waiting, and some who paused or left before their training, did not come to a past one
    gone = [
        row
        for row in volunteers
        if row["pk"] not in trained_on and row["status"] in {VolunteerStatus.LEFT, VolunteerStatus.PAUSED}
    ]
    no_shows = [row for row in [*waiting[coming_count * per_session :], *gone] if rng.random() < 0.8]
    past_slots = sorted(slots) or [today - datetime.timedelta(days=14)]
    for row in no_shows:
        created = timezone.localdate(row["created_at"])
        candidates = [slot for slot in past_slots if slot >= created] or [past_slots[-1]]
        slot = candidates[0]
        if not slots[slot] or filled[slots[slot][-1]] >= capacity:
            slots[slot].append(new_session(basic, slot, 9, fwz))
        index = slots[slot][-1]
        filled[index] += 1
        plan.registrations.append((index, row["pk"], RegistrationStatus.REGISTERED, None, False))

    # 3. modules and meetups: monthly in the past, twice in the coming two months
    trained_ids = sorted(trained_on)
    months = 24 if is_city_scale(size) else 6
    others = [course for course in types.values() if not course.is_required]
    for course in others:
        dates = [today - datetime.timedelta(days=30 * m + rng.randint(0, 20)) for m in range(1, months + 1)]
        dates += [today + datetime.timedelta(days=d) for d in (rng.randint(5, 25), rng.randint(35, 55))]
        for day in dates:
            organisation = fwz if course.kind == "training" or not partners else rng.choice([fwz, *partners])
            index = new_session(course, day, 18, organisation)
            eligible = [pk for pk in trained_ids if trained_on[pk] < day]
            wanted = min(len(eligible), capacity + (3 if day > today else 0))
            for place, pk in enumerate(rng.sample(eligible, wanted)):
                if place < capacity:
                    attended = day < today and rng.random() < 0.8
                    plan.registrations.append((index, pk, RegistrationStatus.REGISTERED, None, attended))
                else:
                    plan.registrations.append(
                        (index, pk, RegistrationStatus.WAITING, place - capacity + 1, False)
                    )

    created = copy_insert(Session, plan.sessions)
    rows = [
        Registration(
            session_id=created[index].pk,
            volunteer_id=pk,
            status=status,
            waiting_position=position,
            attended=attended,
        )
        for index, pk, status, position, attended in plan.registrations
    ]
    copy_insert(Registration, rows)
    # the bulk equivalent of volunteer_trained_record: trained_on is the date of the basic training attended
    # (one UPDATE per date: a few dozen, where a bulk_update built a CASE over every volunteer)
    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    for pk, day in trained_on.items():
        by_day[day].append(pk)
    for day, pks in by_day.items():
        Volunteer.objects.filter(pk__in=pks).update(trained_on=day)
    Volunteer.objects.filter(pk__in=list(trained_on), status__in=BEFORE_TRAINED).update(
        status=VolunteerStatus.TRAINED, status_changed_at=timezone.now()
    )
    if stdout:
        stdout.write(f"  trainings: {len(created)} sessions, {len(rows)} registrations")
