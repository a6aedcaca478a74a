"""Consent and privacy texts per language and version (core.LegalText, docs/languages.md)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import LegalText, User

# Shown in the admin on every translation an admin has not yet marked reviewed.
REVIEW_FLAG = _("Translation – to be checked by a professional translator before use")


def legal_text_current(*, kind: str, language: str) -> LegalText | None:
    """The text offered for a new consent in `language`: the translation of the newest German version, else
    that German version (an outdated translation is never offered); None when no German text exists."""
    german = LegalText.objects.filter(kind=kind, language="de").order_by("-created_at", "-pk").first()
    if german is None or language == "de":
        return german
    translation = (
        LegalText.objects.filter(kind=kind, language=language, source_version=german.version)
        .order_by("-created_at", "-pk")
        .first()
    )
    return translation or german


@transaction.atomic
def legal_text_review(*, text: LegalText, actor: User) -> LegalText:
    """An admin confirms that a professional translator checked this translation."""
    if text.is_source:
        raise ValueError(_("A German text is the source; it needs no review."))
    row = LegalText.objects.select_for_update().get(pk=text.pk)
    row.reviewed_at, row.reviewed_by = timezone.now(), actor
    row.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(actor=actor, action="core.legaltext.reviewed", obj=row, changes={"reviewed": [False, True]})
    return row


def legal_texts_offered(*, kind: str) -> list[tuple[str, str, LegalText]]:
    """The texts a new consent may be given to, one per participant language that has a current one:
    (code, the language's own name, text). A language whose translation is outdated or missing is left out
    (German stands in for it); German comes first."""
    offered = []
    for code, name in settings.PARTICIPANT_LANGUAGES:
        text = legal_text_current(kind=kind, language=code)
        if text is not None and text.language == code:
            offered.append((code, name, text))
    return offered


def legal_text_bidi(text: LegalText | None) -> bool:
    """Whether the text reads right to left (its own language decides, not the page's)."""
    return bool(text) and translation.get_language_info(text.language)["bidi"]
