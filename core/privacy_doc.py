"""The generated part of docs/privacy.md: the record of processing activities (Art. 30 GDPR), written from
`core.privacy.REGISTRY` by `manage.py privacy_doc`. A test regenerates it and compares with the file."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from core.privacy import Basis, Category, Entry, installed_entries

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "privacy.md"
BEGIN = "<!-- BEGIN GENERATED: manage.py privacy_doc writes this part from core/privacy.py -->"
END = "<!-- END GENERATED -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _entry(entry: Entry) -> list[str]:
    model = entry.model
    lines = [
        f"### {str(model._meta.verbose_name_plural).capitalize()} (`{entry.label}`)",
        "",
        f"- **Purpose:** {entry.purpose}",
        f"- **Data subjects:** {entry.data_subjects}",
        f"- **Recipients:** {entry.recipients}",
        "- **Legal basis:** " + ", ".join(f"{b} GDPR ({Basis.LABELS[b]})" for b in entry.bases),
    ]
    if entry.retention:
        rules = [f"{r.amount} {r.unit} {r.description} (`{r.code}`)" for r in entry.retention]
        lines.append("- **Erased (anonymised):** " + "; ".join(rules))
    elif entry.erased_note:
        lines.append(f"- **Erased (anonymised):** {entry.erased_note}")
    elif entry.anonymised_with:
        lines.append(f"- **Erased (anonymised):** together with the record of `{entry.anonymised_with}`")
    elif not entry.is_anonymisable:
        lines.append(
            "- **Erased (anonymised):** the old values are scrubbed whenever their record is anonymised"
        )
    else:
        lines.append("- **Erased (anonymised):** by an administrator when the account is no longer needed")
    if entry.cascade:
        lines.append("- **Erased along with it:** " + ", ".join(f"`{name}`" for name in entry.cascade))
    if entry.blockers:
        lines.append("- **Not erased while:** " + "; ".join(str(b.message) for b in entry.blockers))
    if entry.is_subject:
        lines.append("- **Requests (Art. 15, 17):** access report and erasure pages for coordinators")
    if not entry.fields:
        return [*lines, "", "No personal fields.", ""]
    lines += ["", "| field | category | legal basis | note |", "| --- | --- | --- | --- |"]
    for name, spec in entry.fields.items():
        label = model._meta.get_field(name).verbose_name
        restricted = " (restricted: reads are logged)" if spec.category in Category.RESTRICTED else ""
        lines.append(
            f"| `{name}` ({_cell(label)}) | {_cell(Category.LABELS[spec.category])}{restricted} "
            f"| {spec.basis} | {_cell(spec.note)} |"
        )
    return [*lines, ""]


def render_record() -> str:
    """The record of processing activities as Markdown, in English (the msgids), independent of the DB."""
    with translation.override(None):
        lines = [
            BEGIN,
            "",
            "## Record of processing activities (Verzeichnis von Verarbeitungstätigkeiten)",
            "",
        ]
        lines.append(
            'Controller: Freiwilligenzentrum Hannover e.V., programme "10.000 Freunde". Periods are the '
            "defaults; administrators change them under *Administration → Retention rules*."
        )
        lines.append("")
        for entry in sorted(installed_entries(), key=lambda e: e.label):
            lines += _entry(entry)
        lines.append(END)
        return "\n".join(lines) + "\n"


def splice(document: str, generated: str) -> str:
    """Put `generated` between the markers of `document` (appended when the markers are missing)."""
    if BEGIN in document and END in document:
        head, rest = document.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        return head + generated.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + generated


def generated_part(document: str) -> str:
    head, rest = document.split(BEGIN, 1)
    body, _tail = rest.split(END, 1)
    return BEGIN + body + END + "\n"
