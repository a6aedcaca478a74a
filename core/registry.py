"""What the apps add, collected in one place: each app registers its own entries from its `AppConfig.ready()`,
as pretix collects the log displays of its plugins. Core holds only the mechanism and names no domain model.

Audit labels: every action code written to the audit trail (`<app>.<noun>.<past verb>`) has a label in the
reader's language, registered by the app that writes the code:

    audit_labels_register({"tandems.tandem.ended": _("Tandem ended")})
    audit_labels_register({"tandems.tandem.handed_over": _("Handed over")}, inline="coordinator")

With `inline`, the history reads "Handed over: Anna Becker → Jan Berg" (that field's old and new value
joined to the sentence) instead of listing the field below it.

Audit fields: names in an entry's changes that are no field of the model (a consent, a language list)
get a label, and a value formatter when the stored value needs words ("ar:good" → "Arabisch (gut)").
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class AuditLabel:
    text: Any  # a lazy translation
    inline: str | None = None


# A formatter gets the stored value and a cache dict shared by one history rendering (for one look-up of
# reference data across all entries) and returns the text to show.
ValueFormatter = Callable[[Any, dict], str]


@dataclass(frozen=True)
class AuditField:
    label: Any | None = None
    formatter: ValueFormatter | None = None


AUDIT_LABELS: dict[str, AuditLabel] = {}
AUDIT_FIELDS: dict[tuple[str, str], AuditField] = {}


def audit_labels_register(labels: Mapping[str, Any], *, inline: str | None = None) -> None:
    """Register the labels of action codes; registering one code twice with another label is an error."""
    for code, text in labels.items():
        label = AuditLabel(text=text, inline=inline)
        if code in AUDIT_LABELS and AUDIT_LABELS[code] != label:
            raise ImproperlyConfigured(f"audit label for {code!r} registered twice")
        AUDIT_LABELS[code] = label


def audit_label(code: str) -> AuditLabel | None:
    return AUDIT_LABELS.get(code)


def audit_fields_register(
    model_label: str,
    names: Iterable[str] | Mapping[str, Any],
    *,
    label: Any | None = None,
    formatter: ValueFormatter | None = None,
) -> None:
    """Describe change names of `model_label` ("volunteers.Volunteer") for the history: a label where the
    name is no model field, a formatter where the stored value needs words."""
    labels = names if isinstance(names, Mapping) else dict.fromkeys(names, label)
    for name, text in labels.items():
        AUDIT_FIELDS[(model_label, name)] = AuditField(label=text, formatter=formatter)


def audit_field(model_label: str, name: str) -> AuditField | None:
    return AUDIT_FIELDS.get((model_label, name))
