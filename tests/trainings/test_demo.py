import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from tests.factories.core import OrganisationFactory
from tests.factories.volunteers import VolunteerFactory
from trainings import demo
from trainings.models import CourseType, Registration, RegistrationStatus, Session
from volunteers.models import Volunteer, VolunteerStatus


def test_demo_builds_consistent_trainings_and_a_second_run_changes_nothing(fwz):
    organisation = OrganisationFactory()
    today = timezone.localdate()
    for n in range(30):
        VolunteerFactory(
            organisation=organisation,
            status=VolunteerStatus.ACTIVE,
            trained_on=today - datetime.timedelta(days=40 + 9 * n),
        )
    VolunteerFactory.create_batch(
        5, organisation=organisation, status=VolunteerStatus.TRAINED
    )  # date missing
    VolunteerFactory.create_batch(45, organisation=organisation, status=VolunteerStatus.CLEARED)
    demo.seed(size="small")
    counts = (Session.objects.count(), Registration.objects.count())

    now = timezone.now()
    for course in CourseType.objects.all():
        assert course.sessions.filter(starts_at__lt=now).exists(), course
        assert course.sessions.filter(starts_at__gt=now).exists(), course
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).exists()
    over = Session.objects.annotate(
        taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    ).filter(taken__gt=F("capacity"))
    assert not over.exists()
    for registration in Registration.objects.filter(
        attended=True, session__course_type__is_required=True
    ).select_related("session", "volunteer"):
        assert registration.volunteer.trained_on == timezone.localdate(registration.session.starts_at)
    assert not Volunteer.objects.filter(status=VolunteerStatus.TRAINED, trained_on__isnull=True).exists()
    assert Registration.objects.values("volunteer").distinct().count() >= 0.8 * Volunteer.objects.count()

    demo.seed(size="small")
    assert (Session.objects.count(), Registration.objects.count()) == counts
