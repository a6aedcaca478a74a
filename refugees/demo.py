"""Demo referrals for `manage.py seed_demo`: every status, households with children, several referrers.

Referrals come from the demo `referrer` (Integrationsmanagement) and the demo `coordinator`, and from
partner organisations without a login (referred by phone or e-mail). Rows are written with COPY
(`core.demo.copy_insert`), so the city size (5,000 referrals) loads in seconds. Idempotent: nothing happens once the target count
of referrals exists.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from faker import Faker

from core.demo import DemoHistory, backdating, copy_insert, copy_rows, count_for
from core.models import (
    Consent,
    ConsentChannel,
    DayTime,
    District,
    Gender,
    HelpArea,
    Language,
    Organisation,
    User,
)
from core.outbox import CONSENT_PURPOSE_EMAIL, CONSENT_PURPOSE_SMS
from core.services import CHANNEL_CONSENT_VERSION
from refugees.models import (
    CONSENT_FORM_VERSION,
    CONSENT_PURPOSE,
    CloseReason,
    GermanLevel,
    HouseholdMember,
    MemberRole,
    ReferralNote,
    Refugee,
    RefugeeStatus,
    ResidenceStatus,
)

SIZES = {"small": 150, "city": 5000}


@dataclass(frozen=True)
class Origin:
    languages: tuple[str, ...]
    first_female: tuple[str, ...]
    first_male: tuple[str, ...]
    last: tuple[str, ...]


ORIGINS = [
    Origin(
        ("ar",),
        ("Fatima", "Aisha", "Layla", "Mariam", "Noor", "Samira", "Rania", "Huda", "Amal", "Yasmin"),
        ("Ahmad", "Mohammad", "Omar", "Hassan", "Yusuf", "Karim", "Tarek", "Khaled", "Samer", "Bilal"),
        ("Haddad", "Khalil", "Nasser", "Al-Hassan", "Ibrahim", "Mahmoud", "Mustafa", "Saleh", "Darwish"),
    ),
    Origin(
        ("fa", "prs"),
        ("Parisa", "Shirin", "Zahra", "Maryam", "Nasrin", "Fereshteh", "Soraya", "Leila"),
        ("Reza", "Farid", "Ali", "Hamid", "Mehdi", "Jawad", "Nasir", "Sohrab"),
        ("Rahimi", "Ahmadi", "Hosseini", "Karimi", "Sultani", "Mohammadi", "Azizi", "Noori"),
    ),
    Origin(
        ("uk", "ru"),
        ("Olena", "Iryna", "Oksana", "Natalia", "Yulia", "Kateryna", "Svitlana"),
        ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola", "Vitalii"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko"),
    ),
    Origin(
        ("ti", "am"),
        ("Selam", "Helen", "Senait", "Meron", "Saba"),
        ("Dawit", "Amanuel", "Yonas", "Tesfay", "Berhane"),
        ("Tesfaye", "Gebremedhin", "Haile", "Kidane", "Tekle"),
    ),
    Origin(
        ("kmr", "ar"),
        ("Hevin", "Rojin", "Berivan", "Dilan", "Jiyan"),
        ("Baran", "Azad", "Rezan", "Serhat", "Dilshad"),
        ("Ali", "Hussein", "Murad", "Osman", "Khalaf"),
    ),
    Origin(
        ("so", "en"),
        ("Hodan", "Amina", "Faadumo", "Sahra"),
        ("Abdi", "Mahad", "Liban", "Farah"),
        ("Abdi", "Warsame", "Jama", "Hirsi"),
    ),
]

# (status, share): most referrals wait or are in a tandem, some are new, few are closed
STATUS_SHARES = [
    (RefugeeStatus.REFERRED, 0.14),
    (RefugeeStatus.INTAKE_DONE, 0.04),
    (RefugeeStatus.WAITING, 0.42),
    (RefugeeStatus.IN_TANDEM, 0.28),
    (RefugeeStatus.CLOSED, 0.12),
]
NEEDS_TEXTS = [
    "Wir suchen Hilfe beim Ausfüllen von Formularen.",
    "Die Kinder brauchen einen Kitaplatz.",
    "Ich möchte besser Deutsch sprechen.",
    "Ich suche ein Praktikum im Handwerk.",
    "Wir möchten Hannover kennenlernen.",
    "",
]
PREFERENCES_TEXTS = ["Am liebsten nachmittags.", "Gern eine Familie mit Kindern.", "Treffen in der Nähe.", ""]
INTERESTS = ["Fußball", "Kochen", "Musik", "Schwimmen", "Garten", "Lesen", "Radfahren", "Nähen", "Schach"]
NOTES = [
    "Bitte vor dem Anruf eine SMS schicken.",
    "Termin beim Jobcenter steht an.",
    "Familie ist umgezogen, neue Anschrift folgt.",
    "Dolmetscherin über Caritas möglich.",
]


def _status_for(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for status, share in STATUS_SHARES:
        total += share
        if roll < total:
            return status
    return RefugeeStatus.WAITING


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
    )


def _history(history: DemoHistory, row: Refugee) -> None:
    """What the services would have written: the referral, the intake and the steps after it."""
    history.add(
        row,
        "refugees.refugee.created",
        row.referred_at,
        actor=row.referred_by,
        changes={
            "first_name": [None, row.first_name],
            "last_name": [None, row.last_name],
            "organisation": [None, str(row.organisation)],
            "district": [None, str(row.district)],
            "german_level": [None, row.german_level],
            "coordinator": [None, str(row.coordinator) if row.coordinator else None],
        },
    )
    if row.intake_on is None:
        return
    intake_at = timezone.make_aware(datetime.datetime.combine(row.intake_on, datetime.time(10, 0)))
    staff = row.intake_by
    history.add(
        row,
        "refugees.refugee.changed",
        intake_at,
        actor=staff,
        changes={
            "intake_on": [None, row.intake_on.isoformat()],
            "intake_by": [None, str(staff) if staff else None],
        },
    )
    steps = [RefugeeStatus.REFERRED, RefugeeStatus.INTAKE_DONE, RefugeeStatus.WAITING]
    if row.status in {RefugeeStatus.IN_TANDEM, RefugeeStatus.CLOSED}:
        steps.append(row.status)
    for before, step in zip(steps, steps[1:], strict=False):
        at = (
            intake_at if step in {RefugeeStatus.INTAKE_DONE, RefugeeStatus.WAITING} else row.status_changed_at
        )
        history.add(
            row, "refugees.refugee.status_changed", at, actor=staff, changes={"status": [before, step]}
        )


@transaction.atomic
def seed(*, size: str, stdout=None) -> int:
    """Create the missing demo referrals up to the size's target; returns how many were added."""
    target = count_for(size, small=SIZES["small"], city=SIZES["city"])
    existing = Refugee.objects.count()
    if existing >= target:
        return 0
    rng = random.Random(f"refugees-{size}-{existing}")
    # the household's week from its own stream, so the rest of the demo stays as it was
    week_rng = random.Random(f"refugees-week-{size}-{existing}")
    # and its expectation of a tandem (issue #20): most want a year or more, some households said nothing
    expect_rng = random.Random(f"refugees-expectation-{size}-{existing}")
    fake = Faker("de_DE")
    fake.seed_instance(4711 + existing)
    today = timezone.localdate()

    fwz = Organisation.objects.get(short_name="FWZ")
    partners = list(Organisation.objects.filter(kind="partner").order_by("pk"))
    city_orgs = {o.short_name: o for o in Organisation.objects.filter(kind="city")}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["referrer", "coordinator", "partner", "coordinator2", "partner2"]
        )
    }
    referrer, coordinator, partner_user = (
        users.get("referrer"),
        users.get("coordinator"),
        users.get("partner"),
    )
    languages = {lang.code: lang for lang in Language.objects.all()}
    districts = list(District.objects.all())
    help_areas = list(HelpArea.objects.all())
    statuses = list(ResidenceStatus.objects.filter(is_active=True))
    german_levels = list(GermanLevel.values)
    day_times, close_reasons = list(DayTime.values), list(CloseReason.values)  # once, not per row

    rows: list[Refugee] = []
    plans: list[tuple[Origin, list[tuple[str, int, str]], list[HelpArea], bool, datetime.date]] = []
    # the two colleagues of an organisation share its referrals (every other one), so a hand-over can be tried
    fwz_staff = [u for u in (coordinator, users.get("coordinator2")) if u is not None]
    partner_staff = [u for u in (partner_user, users.get("partner2")) if u is not None]
    for index in range(target - existing):
        origin = rng.choice(ORIGINS)
        gender = rng.choice([Gender.FEMALE, Gender.MALE])
        first = rng.choice(origin.first_female if gender == Gender.FEMALE else origin.first_male)
        status = _status_for(rng)
        organisation = fwz if rng.random() < 0.55 else rng.choice(partners)
        # who referred: the demo referrer, the demo coordinator, or a partner without a login
        roll = rng.random()
        if roll < 0.45 and referrer is not None:
            referred_by, referring = referrer, city_orgs.get("Integrationsmanagement")
        elif roll < 0.55 and coordinator is not None:
            referred_by, referring = coordinator, fwz
        else:
            referred_by = None
            referring = rng.choice([city_orgs.get("Koordinierungsstelle"), *partners])
        referred_on = today - datetime.timedelta(days=rng.randint(0, 700))
        intake_on = waiting_since = closed_at = None
        responsible = None
        if status != RefugeeStatus.REFERRED:
            intake_on = min(today, referred_on + datetime.timedelta(days=rng.randint(2, 35)))
            staff = partner_staff if organisation.short_name == "gEMiDe" and partner_staff else fwz_staff
            responsible = staff[index % len(staff)] if staff else None
        if status in {RefugeeStatus.WAITING, RefugeeStatus.IN_TANDEM}:
            waiting_since = intake_on
        status_since = intake_on or referred_on
        if status == RefugeeStatus.IN_TANDEM:
            status_since = min(today, intake_on + datetime.timedelta(days=rng.randint(10, 120)))
        if status == RefugeeStatus.CLOSED:
            status_since = min(
                today, (intake_on or referred_on) + datetime.timedelta(days=rng.randint(5, 200))
            )
            closed_at = _aware(status_since, rng)
        members: list[tuple[str, int, str]] = []
        household = rng.random()
        if household < 0.45:  # a family
            if rng.random() < 0.8:
                members.append((MemberRole.ADULT, rng.randint(1970, 2000), rng.choice(origin.first_male)))
            for _child in range(rng.randint(1, 4)):
                members.append((MemberRole.CHILD, rng.randint(today.year - 17, today.year), ""))
        elif household < 0.55:  # a couple
            members.append((MemberRole.ADULT, rng.randint(1965, 2002), rng.choice(origin.first_female)))
        birth_year = rng.randint(1960, today.year - 19)
        years = [y for _r, y, _n in members] + [birth_year]
        needs = rng.sample(help_areas, k=rng.randint(1, 3))
        # about half the households said at the intake when they can meet
        has_week = intake_on is not None and week_rng.random() < 0.6
        weekdays = sorted(week_rng.sample(range(7), week_rng.randint(1, 4))) if has_week else []
        times = week_rng.sample(day_times, week_rng.randint(1, 2)) if has_week else []
        row = Refugee(
            organisation=organisation,
            first_name=first,
            last_name=rng.choice(origin.last),
            phone=f"0176 {rng.randint(1000000, 9999999)}" if rng.random() < 0.9 else "",
            email=f"{first.lower()}.{rng.randint(10, 999)}@example.org" if rng.random() < 0.4 else "",
            address=f"{fake.street_address()}, 30{rng.randint(159, 659)} Hannover"
            if rng.random() < 0.7
            else "",
            birth_year=birth_year,
            gender=gender,
            german_level=rng.choice(german_levels[:5]),
            district=rng.choice(districts),
            needs_text=rng.choice(NEEDS_TEXTS),
            pref_volunteer_gender=rng.choice(["any", "any", "any", gender]),
            preferences_text=rng.choice(PREFERENCES_TEXTS),
            interests=rng.sample(INTERESTS, k=rng.randint(0, 3)),
            available_weekdays=weekdays,
            available_times=times,
            expected_months=expect_rng.choices([None, 6, 12, 24], [25, 15, 45, 15])[0],
            expected_per_month=expect_rng.choices([None, 2, 4, 8], [25, 25, 40, 10])[0],
            residence_status=rng.choice(statuses) if statuses and rng.random() < 0.8 else None,
            arrived_on=referred_on - datetime.timedelta(days=rng.randint(30, 1500)),
            adults_count=1 + sum(1 for r, _y, _n in members if r == MemberRole.ADULT),
            children_count=sum(1 for r, _y, _n in members if r == MemberRole.CHILD),
            youngest_birth_year=max(years),
            coordinator=responsible,
            referred_by=referred_by,
            referring_organisation=referring,
            referred_at=_aware(referred_on, rng),
            intake_on=intake_on,
            intake_by=responsible if intake_on else None,
            intake_notes="Erstgespräch mit Dolmetscherin geführt."
            if intake_on and rng.random() < 0.4
            else "",
            waiting_since=waiting_since,
            status=status,
            closed_at=closed_at,
            close_reason=rng.choice(close_reasons) if status == RefugeeStatus.CLOSED else "",
        )
        rows.append(row)
        plans.append((origin, members, needs, rng.random() < 0.3, status_since))

    # status_changed_at is auto_now_add; the demo's history wants the real dates
    for row, plan in zip(rows, plans, strict=True):
        row.status_changed_at = row.closed_at or _aware(plan[4], rng)
    with backdating(Refugee._meta.get_field("status_changed_at")):
        created = copy_insert(Refugee, rows)
    history = DemoHistory()
    for row in created:
        _history(history, row)
    history.write()

    language_links, need_links, members, consents, notes = [], [], [], [], []
    refugee_type = ContentType.objects.get_for_model(Refugee)
    lang_through, need_through = Refugee.languages.through, Refugee.needs.through
    for row, (origin, household, needs, has_note, _since) in zip(created, plans, strict=True):
        codes = {c for c in origin.languages if c in languages}
        if row.german_level != GermanLevel.A0 and "de" in languages:
            codes.add("de")
        language_links += [{"refugee_id": row.pk, "language_id": languages[c].pk} for c in sorted(codes)]
        need_links += [{"refugee_id": row.pk, "helparea_id": area.pk} for area in needs]
        members += [
            HouseholdMember(
                refugee_id=row.pk, role=role, birth_year=year, first_name=name, gender=Gender.UNSPECIFIED
            )
            for role, year, name in household
        ]
        interpreter = languages.get(origin.languages[0]) if rng.random() < 0.5 else None
        consents.append(
            Consent(
                content_type=refugee_type,
                object_id=row.pk,
                purpose=CONSENT_PURPOSE,
                text_version=CONSENT_FORM_VERSION,
                channel=rng.choice([ConsentChannel.PAPER, ConsentChannel.IN_PERSON]),
                given_at=row.referred_at,
                recorded_by=row.referred_by,
                interpreter_language=interpreter,
            )
        )
        # links to the household's check-ins: by e-mail for two in three with an address, by text message
        # for every second one with a mobile number (from the row's id: the random stream stays the same)
        channels = [CONSENT_PURPOSE_EMAIL] if row.email and row.pk % 3 else []
        channels += [CONSENT_PURPOSE_SMS] if row.phone and row.pk % 2 == 0 else []
        consents += [
            Consent(
                content_type=refugee_type,
                object_id=row.pk,
                purpose=purpose,
                text_version=CHANNEL_CONSENT_VERSION,
                channel=ConsentChannel.IN_PERSON,
                given_at=row.referred_at,
                recorded_by=row.referred_by,
            )
            for purpose in channels
        ]
        if has_note:
            notes.append(ReferralNote(refugee_id=row.pk, author=row.referred_by, text=rng.choice(NOTES)))
    copy_rows(lang_through, language_links)
    copy_rows(need_through, need_links)
    copy_insert(HouseholdMember, members)
    copy_insert(Consent, consents)
    copy_insert(ReferralNote, notes)
    if stdout is not None:
        stdout.write(f"  refugees: {len(created)} referrals, {len(members)} household members")
    return len(created)
