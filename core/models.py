from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner coordinator")
    REFERRER = "referrer", _("Referrer")
    STEERING = "steering", _("Steering group")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMIN = "admin", _("Administrator")


class OrganisationKind(models.TextChoices):
    FWZ = "fwz", _("Volunteer centre (FWZ)")
    PARTNER = "partner", _("Cooperation partner")
    CITY = "city", _("City of Hannover")
    UNIVERSITY = "university", _("University (evaluation)")
    BOARD = "board", _("Steering group / advisory board")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind, default=OrganisationKind.PARTNER
    )
    is_active = models.BooleanField(_("active"), default=True)
    # the organisation's own contact, printed on tandem agreements ("whom to call"); no person's data
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class OrgScopedModel(TimeStampedModel):
    """A record that belongs to one organisation; the selectors scope by this field."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )

    class Meta:
        abstract = True


class User(AbstractUser):
    """A staff login. Volunteers and refugees are not users."""

    # a referrer's opt-in (set by an admin): e-mails when a person they referred is in a tandem or its tandem
    # ends (docs/messages.md)
    has_referral_updates = models.BooleanField(
        _("receives updates on referred people"),
        default=False,
        help_text=_(
            "Referrers only: an e-mail when a person they referred is introduced to a mentor and when the "
            "tandem ends (the reason's category, never notes)."
        ),
    )
    # its personal fields are declared once, in core/privacy_entries.py
    AUDIT_REDACTED = ("password",)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(TimeStampedModel):
    """The only source of access rights: a user's role in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    PERSONAL_FIELDS = ()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            # one organisation and role per person for now; the table leaves room for more
            models.UniqueConstraint(
                fields=["user"],
                name="one_membership_per_user",
                violation_error_message=_("This user already belongs to an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.organisation})"


class AuditEntry(models.Model):
    """Who changed which record when, and which fields from what to what. Never edited, never deleted.

    The database enforces it (trigger `core_auditentry_append_only`, migration 0008): an UPDATE or DELETE
    is refused, except the scrub of `changes`/`object_repr`/`is_scrubbed` by `core.services.audit_scrub`
    and setting `actor` to NULL when a staff user is deleted (`actor_repr` keeps the name)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_repr = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    is_scrubbed = models.BooleanField(_("personal values removed"), default=False)
    # the organisation of the record (of its tandem, volunteer, ... for rows without one; of the user for
    # exports): an organisation's entries can be listed, for its admin and for an access request
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # audit_organisation_idx serves it
        verbose_name=_("organisation"),
    )
    # its personal fields are declared once, in core/privacy_entries.py

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_record_idx"),
            models.Index(fields=["organisation", "-at"], name="audit_organisation_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ReferenceData(models.Model):
    """A row of an admin-editable list with a German and an English name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    PERSONAL_FIELDS = ()

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_de"]

    # rows whose names participants read set a msgctxt: their English name is looked up in the participant
    # catalogues (core/reference_names.py), the German name stands in where there is no translation
    PARTICIPANT_CONTEXT = ""

    def __str__(self) -> str:
        language = get_language() or "de"
        if language.startswith("en"):
            return self.name_en
        if language == "de" or not self.PARTICIPANT_CONTEXT:
            return self.name_de
        translated = pgettext(self.PARTICIPANT_CONTEXT, self.name_en)
        return self.name_de if translated == self.name_en else translated


class District(ReferenceData):
    """One of Hannover's 13 Stadtbezirke; the centre point serves for distances."""

    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta(ReferenceData.Meta):
        verbose_name = _("city district")
        verbose_name_plural = _("city districts")


class Language(ReferenceData):
    """A language by ISO 639 code (two letters where there are, three otherwise)."""

    class Meta(ReferenceData.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class HelpArea(ReferenceData):
    """What a tandem helps with (the paper's list: furnishing a flat, Kita and school places, ...)."""

    PARTICIPANT_CONTEXT = "area of help"

    class Meta(ReferenceData.Meta):
        verbose_name = _("area of help")
        verbose_name_plural = _("areas of help")


class EndReason(ReferenceData):
    is_goal_reached = models.BooleanField(_("counts as goal reached"), default=False)

    class Meta(ReferenceData.Meta):
        verbose_name = _("tandem end reason")
        verbose_name_plural = _("tandem end reasons")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("online form")
    PAPER = "paper", _("paper form")
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")
    IMPORT = "import", _("imported from a partner's list")


class LegalTextKind(models.TextChoices):
    PRIVACY = "privacy", _("privacy notice and consent at the sign-up")
    REFERRAL_CONSENT = "referral_consent", _("consent read to or given to the household at the referral")


class LegalText(models.Model):
    """One version of a consent or privacy text in one language (docs/languages.md). German is the source;
    a translation names the German version it translates (`source_version`) and is outdated once a newer
    German version exists. A translation needs an admin's review (`reviewed_at`) before it counts as
    checked; until then the admin shows it flagged."""

    kind = models.CharField(_("kind"), max_length=30, choices=LegalTextKind)
    language = models.CharField(_("language"), max_length=10)
    version = models.CharField(_("version"), max_length=40)
    body = models.TextField(_("text"))
    source_version = models.CharField(_("translates German version"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["kind", "language", "-created_at", "-pk"]
        verbose_name = _("legal text")
        verbose_name_plural = _("legal texts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "version"], name="legaltext_unique_version"),
            models.CheckConstraint(condition=Q(kind__in=LegalTextKind.values), name="legaltext_kind_valid"),
            models.CheckConstraint(
                condition=Q(language="de", source_version="") | (~Q(language="de") & ~Q(source_version="")),
                name="legaltext_translation_names_source",
                violation_error_message=_("A translation names the German version it translates."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.language} {self.version}"

    @property
    def is_source(self) -> bool:
        return self.language == "de"

    @property
    def needs_review(self) -> bool:
        return not self.is_source and self.reviewed_at is None

    @property
    def is_outdated(self) -> bool:
        """A translation of a German version that a newer German version has replaced."""
        if self.is_source:
            return False
        newest = (
            LegalText.objects.filter(kind=self.kind, language="de").order_by("-created_at", "-pk").first()
        )
        return newest is not None and newest.version != self.source_version


class Consent(models.Model):
    """A person's consent to one purpose, as a dated row: a withdrawal is recorded, never a flag flipped."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    purpose = models.CharField(_("purpose"), max_length=60)
    text_version = models.CharField(_("text version"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    interpreter_language = models.ForeignKey(
        "core.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interpreted into"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # the text the person agreed to, in the language they read it in (blank for consents recorded before)
    language = models.CharField(_("language of the text"), max_length=10, blank=True)
    legal_text = models.ForeignKey(
        LegalText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("text agreed to"),
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["content_type", "object_id"], name="consent_record_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ConsentChannel.values), name="consent_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.text_version} ({self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse")
    UNSPECIFIED = "unspecified", _("not specified")


class GenderPreference(models.TextChoices):
    ANY = "any", _("no preference")
    FEMALE = "female", _("women only")
    MALE = "male", _("men only")


class Weekday(models.IntegerChoices):
    """The weekdays of the availability grid (volunteers and refugees), Monday first."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayTime(models.TextChoices):
    MORNING = "morning", _("mornings")
    AFTERNOON = "afternoon", _("afternoons")
    EVENING = "evening", _("evenings")


class CommitmentMonths(models.IntegerChoices):
    """How long a volunteer can commit to a tandem, and how long a household expects one to last."""

    THREE = 3, _("3 months")
    SIX = 6, _("6 months")
    TWELVE = 12, _("12 months")
    TWENTY_FOUR = 24, _("24 months")


class CommitmentFrequency(models.IntegerChoices):
    """How often a month the two of a tandem can (or expect to) meet."""

    ONCE = 1, _("once a month")
    TWICE = 2, _("twice a month")
    WEEKLY = 4, _("about once a week")
    TWICE_WEEKLY = 8, _("about twice a week")


def commitment_display(months: int | None, per_month: int | None) -> str:
    """ "6 months, about once a week"; what is not recorded is left out; "not stated" when nothing is."""
    parts = [
        str(choices(value).label)
        for choices, value in ((CommitmentMonths, months), (CommitmentFrequency, per_month))
        if value in choices.values
    ]
    return ", ".join(parts) or str(_("not stated"))


def commitment_constraint(
    field: str, choices: type[models.IntegerChoices], name: str
) -> models.CheckConstraint:
    """A commitment field holds one of its choices or nothing (choices alone do not constrain the data)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": choices.values}), name=name
    )


class RetentionUnit(models.TextChoices):
    MONTHS = "months", _("months")
    DAYS = "days", _("days")


class RetentionRule(models.Model):
    """How long one kind of personal data is kept: `core.privacy.REGISTRY` names the rules (by `code`) and
    what they measure from; admins change the period or switch a rule off here."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    model_label = models.CharField(_("record type"), max_length=100)
    amount = models.PositiveSmallIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=10, choices=RetentionUnit, default=RetentionUnit.MONTHS)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active rules are applied by the nightly retention job.")
    )
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["model_label", "code"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.CheckConstraint(condition=Q(unit__in=RetentionUnit.values), name="retention_unit_valid"),
            models.CheckConstraint(condition=Q(amount__gte=1), name="retention_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.model_label}: {self.amount} {self.get_unit_display()}"


class SecurityPolicy(models.Model):
    """The one row of security settings an admin may change (the primary key is always 1)."""

    two_factor_roles = ArrayField(
        models.CharField(max_length=20, choices=Role),
        default=list,
        blank=True,
        verbose_name=_("roles that must use two-factor login"),
        help_text=_("Users with these roles have to set up an authenticator app before they can work."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    PERSONAL_FIELDS = ()

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="security_policy_singleton")]

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        return cls.objects.get_or_create(pk=1)[0]


class ErasureRecord(models.Model):
    """That the personal data of one record were erased: which record, when and why (a code), nothing else.

    `personal_data_anonymise` writes one for the record it was called for. A backup taken before the erasure
    still holds the data; after restoring it, `manage.py erasure_replay` erases the recorded records again
    (docs/privacy.md). These rows hold no personal data and are never scrubbed or deleted."""

    model_label = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    erased_at = models.DateTimeField(_("erased at"))
    reason_code = models.CharField(_("reason"), max_length=80)
    # when the erased record was created: after a restore its id may have been given to a newer record,
    # which must not be erased in its place
    record_created_at = models.DateTimeField(_("record created at"), null=True, blank=True)
    # its entry (no personal fields, kept on purpose) is in core/privacy_entries.py

    class Meta:
        ordering = ["erased_at", "pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_id"], name="one_erasure_record_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.model_label} #{self.object_id} ({self.erased_at:%Y-%m-%d})"


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")


# Consent rows whose purpose starts with this are consents to a way of being contacted
# ("messages_email", "messages_sms"), not to the programme: see core/outbox.py and docs/participants.md
CHANNEL_CONSENT_PREFIX = "messages_"


class MessageState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    """One e-mail or text message the application sends, stored before it is sent (core/outbox.py does both).

    The recipient and the record the message is about are generic (content type + id): `core` knows no
    domain model. The address, subject and text are kept as sent, so a coordinator sees what went out."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recipient_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_id = models.PositiveBigIntegerField(null=True, blank=True)
    related_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    # an e-mail address, or a mobile number for a text message
    to_address = models.CharField(_("to"), max_length=254, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=MessageChannel, default=MessageChannel.EMAIL
    )
    template = models.CharField(_("template"), max_length=120)
    language = models.CharField(_("language"), max_length=10)
    context = models.JSONField(_("context"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=MessageState, default=MessageState.QUEUED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queued by"),
    )
    # its personal fields are declared once, in core/privacy_entries.py

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            models.Index(
                fields=["recipient_type", "recipient_id", "-queued_at"], name="outbox_recipient_idx"
            ),
            models.Index(fields=["related_type", "related_id", "-queued_at"], name="outbox_related_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=MessageState.values), name="outbox_state_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=MessageChannel.values), name="outbox_channel_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.SENT) | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_address or '–'} ({self.state})"


class JobOutcome(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class ScheduledRun(models.Model):
    """One run of a periodic job (core/jobs.py writes it): what admins and /healthz/jobs read."""

    task = models.CharField(_("job"), max_length=80)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=JobOutcome, default=JobOutcome.RUNNING)
    detail = models.TextField(_("detail"), blank=True)  # counts or the error, never personal data
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        indexes = [models.Index(fields=["task", "-started_at"], name="scheduledrun_task_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=JobOutcome.values), name="scheduledrun_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class NotificationSetting(models.Model):
    """An admin's switch for one kind of automatic message (reminder, digest, notification): the jobs and
    services that send it ask `core.notifications.notification_active(code)` first. The rows are seeded by
    migration; which codes exist is decided in code (`core.notifications.NOTIFICATIONS`)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["code"]
        verbose_name = _("automatic message")
        verbose_name_plural = _("automatic messages")

    def __str__(self) -> str:
        from core.notifications import notification_label

        return str(notification_label(self.code))


class LinkPurpose(models.TextChoices):
    CHECKIN = "checkin", _("check-in")
    SELF_SERVICE = "self_service", _("self-service")
    SURVEY = "survey", _("relationship survey")


class ParticipantLink(models.Model):
    """A personal signed link for a participant (volunteer or refugee household), who has no password.

    The URL carries a signed id and a random secret (`core/links.py`); only the sha256 of the secret, bound
    to the person and the purpose, is stored, so the table alone opens nothing. A link expires, can be used
    a limited number of times and can be revoked by a coordinator. `about` is the record the link is for
    (a tandem), so a link opens only that person's own data for that purpose."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    person_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    person_id = models.PositiveBigIntegerField(_("person id"))
    about_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", null=True)
    about_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=LinkPurpose)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    max_uses = models.PositiveSmallIntegerField(_("allowed uses"), default=5)
    uses = models.PositiveSmallIntegerField(_("uses"), default=0)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    # no personal values: whom a link is for is the person's own record; the hash opens nothing by itself
    PERSONAL_FIELDS = ()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("participant link")
        verbose_name_plural = _("participant links")
        indexes = [
            models.Index(fields=["person_type", "person_id", "purpose"], name="participantlink_person_idx"),
            models.Index(fields=["about_type", "about_id"], name="participantlink_about_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=LinkPurpose.values), name="participantlink_purpose"
            ),
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="participantlink_uses_limited"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="participantlink_expires"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"
