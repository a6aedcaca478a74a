"""Small known data for exact figures (the period is the year 2026), and a bulk builder for query counts.

Known data, year 2026:
- volunteers recruited: 9 (6 female/migration yes/gEMiDe/Mitte, 3 male/no/FWZ/Linden-Limmer), and 1 diverse
  FWZ volunteer registered in 2025; interviewed 8 (one of them twice), police clearance seen 5, trained 6;
- tandems formed 6 (Jan 2, Feb 3, Mar 1), all with a female gEMiDe volunteer; 2 of them ended (moved after
  151 days, lack of time after 155 days); 1 tandem of a male FWZ volunteer started in 2025 and is still
  active, so 5 are active; every refugee of these tandems waited 20 days;
- 7 refugees waiting today, for 10, 20, ... 70 days (median 40): 4 at gEMiDe, 3 at the FWZ;
- 2 sessions of the basic training run by the FWZ: 3 hours with the 6 female volunteers, 2 hours with 2 of
  the male volunteers: 2 sessions, 5 hours, 8 attendances, 8 participants, 22 participant hours.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from core.models import EndReason, Gender, Organisation
from refugees.models import Refugee, RefugeeStatus
from tandems.models import Tandem, TandemStatus
from tests.factories.core import UserFactory, district
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import CourseType, Registration, Session
from volunteers.models import Interview, MigrationBackground, PoliceClearance, Volunteer

D = datetime.date


def aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def volunteer(org: Organisation, *, gender: str, migration: str, district_code: str | None, created: D, **kw):
    row = VolunteerFactory(
        organisation=org,
        gender=gender,
        migration_background=migration,
        district=district(district_code) if district_code else None,
        **kw,
    )
    Volunteer.objects.filter(pk=row.pk).update(created_at=aware(created, 10))
    return row


def tandem(volunteer_row, refugee_row, *, started: D, ended: D | None = None, reason: str | None = None):
    return Tandem.objects.create(
        organisation=volunteer_row.organisation,
        volunteer=volunteer_row,
        refugee=refugee_row,
        status=TandemStatus.ENDED if ended else TandemStatus.ACTIVE,
        proposed_on=started - datetime.timedelta(days=7),
        introduced_on=started - datetime.timedelta(days=3),
        started_on=started,
        ended_on=ended,
        end_reason=EndReason.objects.get(code=reason) if reason else None,
    )


def build_known(*, org: Organisation, fwz: Organisation, today: D) -> SimpleNamespace:
    staff = UserFactory()
    women = [
        volunteer(
            org,
            gender=Gender.FEMALE,
            migration=MigrationBackground.YES,
            district_code="mitte",
            created=D(2026, 3, 10),
        )
        for _ in range(6)
    ]
    men = [
        volunteer(
            fwz,
            gender=Gender.MALE,
            migration=MigrationBackground.NO,
            district_code="linden-limmer",
            created=D(2026, 3, 10),
        )
        for _ in range(3)
    ]
    earlier = volunteer(
        fwz,
        gender=Gender.DIVERSE,
        migration=MigrationBackground.UNSPECIFIED,
        district_code=None,
        created=D(2025, 6, 1),
    )
    for index, row in enumerate([*women, *men[:2]]):
        Interview.objects.create(
            volunteer=row, held_on=D(2026, 2, 1 + index), held_by=staff, outcome="suitable"
        )
    Interview.objects.create(volunteer=women[0], held_on=D(2026, 5, 1), held_by=staff, outcome="suitable")
    for row in women[:5]:
        PoliceClearance.objects.create(
            volunteer=row, seen_on=D(2026, 3, 1), valid_until=D(2031, 3, 1), seen_by=staff
        )
    Volunteer.objects.filter(pk__in=[v.pk for v in women]).update(trained_on=D(2026, 4, 1))

    starts = [D(2026, 1, 15), D(2026, 1, 15), D(2026, 2, 10), D(2026, 2, 10), D(2026, 2, 10), D(2026, 3, 5)]
    tandems = []
    for index, (row, started) in enumerate(zip(women, starts, strict=True)):
        refugee = RefugeeFactory(
            organisation=org,
            gender=Gender.FEMALE,
            district=district("mitte"),
            status=RefugeeStatus.IN_TANDEM,
            waiting_since=started - datetime.timedelta(days=20),
        )
        ended = {0: (D(2026, 6, 15), "moved"), 2: (D(2026, 7, 15), "no-time")}.get(index)
        tandems.append(
            tandem(
                row,
                refugee,
                started=started,
                ended=ended[0] if ended else None,
                reason=ended[1] if ended else None,
            )
        )
    old_refugee = RefugeeFactory(
        organisation=fwz, status=RefugeeStatus.IN_TANDEM, waiting_since=D(2025, 4, 1)
    )
    tandems.append(tandem(men[0], old_refugee, started=D(2025, 5, 1)))

    waiting = []
    for index in range(7):
        waiting.append(
            RefugeeFactory(
                organisation=org if index < 4 else fwz,
                gender=Gender.MALE if index % 2 else Gender.FEMALE,
                district=district("nord"),
                status=RefugeeStatus.WAITING,
                waiting_since=today - datetime.timedelta(days=10 * (index + 1)),
            )
        )

    basic = CourseType.objects.filter(is_required=True).first()
    first = Session.objects.create(
        organisation=fwz,
        course_type=basic,
        starts_at=aware(D(2026, 3, 20), 9),
        ends_at=aware(D(2026, 3, 20), 12),
        place="FWZ",
    )
    second = Session.objects.create(
        organisation=fwz,
        course_type=basic,
        starts_at=aware(D(2026, 5, 5), 17),
        ends_at=aware(D(2026, 5, 5), 19),
        place="FWZ",
    )
    for row in women:
        Registration.objects.create(session=first, volunteer=row, attended=True)
    for row in men[:2]:
        Registration.objects.create(session=second, volunteer=row, attended=True)
    return SimpleNamespace(
        women=women,
        men=men,
        earlier=earlier,
        tandems=tandems,
        waiting=waiting,
        sessions=[first, second],
        basic=basic,
    )


def build_bulk(*, org: Organisation, fwz: Organisation, size: int, today: D, year: int = 2026) -> None:
    """`size` volunteers, refugees and tandems spread over organisations, districts and the months of `year`."""
    districts = ["mitte", "nord", "linden-limmer", "ricklingen"]
    genders = [Gender.FEMALE, Gender.MALE, Gender.DIVERSE]
    reasons = list(EndReason.objects.all())
    basic = CourseType.objects.filter(is_required=True).first()
    session = Session.objects.create(
        organisation=fwz,
        course_type=basic,
        starts_at=aware(D(2026, 2, 2), 9),
        ends_at=aware(D(2026, 2, 2), 12),
        place="FWZ",
    )
    for index in range(size):
        owner = org if index % 2 else fwz
        row = volunteer(
            owner,
            gender=genders[index % 3],
            migration=MigrationBackground.YES if index % 4 else MigrationBackground.NO,
            district_code=districts[index % 4],
            created=D(year, 1 + index % 10, 3),
            trained_on=D(year, 1 + index % 10, 5),
        )
        started = D(year, 1 + index % 10, 10)
        refugee = RefugeeFactory(
            organisation=owner,
            district=district(districts[(index + 1) % 4]),
            status=RefugeeStatus.IN_TANDEM,
            waiting_since=started - datetime.timedelta(days=5 + index),
        )
        if index % 3 == 0:
            tandem(
                row,
                refugee,
                started=started,
                ended=started + datetime.timedelta(days=30),
                reason=reasons[index % len(reasons)].code,
            )
        else:
            tandem(row, refugee, started=started)
        RefugeeFactory(
            organisation=owner,
            district=district(districts[index % 4]),
            status=RefugeeStatus.WAITING,
            waiting_since=today - datetime.timedelta(days=1 + index),
        )
        Registration.objects.create(session=session, volunteer=row, attended=True)


def refugee_count() -> int:
    return Refugee.objects.count()
