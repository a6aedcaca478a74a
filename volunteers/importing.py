"""Reading a partner's existing volunteer list (CSV or XLSX) and checking every row before anything is
written. The dry run and the import run the same checks; the import writes all rows or none."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import District, Gender, HelpArea, Language, Organisation
from volunteers.models import LanguageLevel, Volunteer
from volunteers.services import duplicate_candidates

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, empty, too large)."""


# (field, label, header names recognised automatically, lower case)
TARGETS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("first_name", _("first name"), ("vorname", "first name", "firstname", "given name")),
    ("last_name", _("last name"), ("nachname", "familienname", "name", "last name", "lastname", "surname")),
    ("email", _("e-mail"), ("e-mail", "email", "e-mail-adresse", "emailadresse", "mail")),
    ("phone", _("phone"), ("telefon", "telefonnummer", "tel", "tel.", "handy", "mobil", "phone")),
    ("birth_date", _("date of birth"), ("geburtsdatum", "geb.", "geboren", "geboren am", "date of birth")),
    ("gender", _("gender"), ("geschlecht", "gender")),
    ("address", _("address"), ("adresse", "anschrift", "address")),
    ("district", _("city district"), ("stadtbezirk", "bezirk", "stadtteil", "district")),
    ("languages", _("languages"), ("sprachen", "sprache", "sprachkenntnisse", "languages")),
    ("help_areas", _("areas of help offered"), ("unterstützungsbereiche", "bereiche", "hilfebereiche")),
    ("hours_per_month", _("hours per month"), ("stunden pro monat", "stunden/monat", "stunden")),
    ("notes", _("notes"), ("notizen", "bemerkungen", "anmerkungen", "notes")),
]

GENDERS = {
    "w": Gender.FEMALE,
    "weiblich": Gender.FEMALE,
    "f": Gender.FEMALE,
    "frau": Gender.FEMALE,
    "female": Gender.FEMALE,
    "m": Gender.MALE,
    "männlich": Gender.MALE,
    "maennlich": Gender.MALE,
    "mann": Gender.MALE,
    "male": Gender.MALE,
    "d": Gender.DIVERSE,
    "divers": Gender.DIVERSE,
    "diverse": Gender.DIVERSE,
}
LEVELS = {
    "muttersprache": LanguageLevel.NATIVE,
    "muttersprachlich": LanguageLevel.NATIVE,
    "native": LanguageLevel.NATIVE,
    "fließend": LanguageLevel.FLUENT,
    "fliessend": LanguageLevel.FLUENT,
    "fluent": LanguageLevel.FLUENT,
    "gut": LanguageLevel.GOOD,
    "good": LanguageLevel.GOOD,
    "grundkenntnisse": LanguageLevel.BASIC,
    "basis": LanguageLevel.BASIC,
    "basic": LanguageLevel.BASIC,
}


def target_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label, _aliases in TARGETS]


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, Windows-1252 (Excel's CSV on German Windows) otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(*, name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows of an uploaded CSV or XLSX file, every cell as text."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(gettext("The file is larger than 2 MB. Please split it into smaller files."))
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        text = _decode(data)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    rows = [row for row in rows if any(cell for cell in row)]
    if len(rows) < 2:
        raise ImportFileError(gettext("The file has no rows below the header row."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has more than %(max)s rows. Please split it.") % {"max": MAX_ROWS}
        )
    headers, body = rows[0], rows[1:]
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in body]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(gettext("The file cannot be read as an Excel file (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{field: column index as text} for the headers that name a field (Vorname, E-Mail, Telefon, ...)."""
    mapping: dict[str, str] = {}
    taken: set[int] = set()
    normalised = [_norm(h) for h in headers]
    for key, _label, aliases in TARGETS:
        for index, header in enumerate(normalised):
            if index not in taken and header in aliases:
                mapping[key] = str(index)
                taken.add(index)
                break
    return mapping


def parse_date(text: str) -> datetime.date:
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if fmt == "%d.%m.%y" and value > timezone.localdate():
            value = value.replace(year=value.year - 100)  # 01.02.56 is 1956, not 2056
        return value
    raise ValueError(text)


class _Lookup:
    """Reference data by every name a list might use: code, German and English name."""

    def __init__(self, model) -> None:
        self.by_name: dict[str, Any] = {}
        for row in model.objects.all():
            for name in (row.code, row.name_de, row.name_en):
                self.by_name.setdefault(_norm(name), row)

    def get(self, text: str):
        return self.by_name.get(_norm(text))


@dataclass
class RowResult:
    number: int  # the line in the file: the header is line 1
    name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    languages: list[tuple[Language, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_rows(
    *, headers: list[str], rows: list[list[str]], mapping: dict[str, int], organisation: Organisation
) -> list[RowResult]:
    """Every row's outcome: the values it would import, or each error with the row's line number."""
    districts, languages, help_areas = _Lookup(District), _Lookup(Language), _Lookup(HelpArea)
    seen: dict[tuple, int] = {}
    results = []
    for offset, cells in enumerate(rows):
        raw = {key: cells[index].strip() for key, index in mapping.items() if index < len(cells)}
        result = RowResult(
            number=offset + 2, name=f"{raw.get('first_name', '')} {raw.get('last_name', '')}".strip()
        )
        for key, value in raw.items():
            if "\x00" in value:  # PostgreSQL stores no NUL: refused here, not a 500 on saving or looking up
                result.errors.append(
                    gettext("Column “%(column)s” contains invalid characters.")
                    % {"column": headers[mapping[key]]}
                )
                raw[key] = ""
        data: dict[str, Any] = {}
        for key in ("first_name", "last_name", "email", "phone", "address", "notes"):
            if key in raw:
                data[key] = raw[key]
        if not data.get("first_name"):
            result.errors.append(gettext("First name is missing."))
        if not data.get("last_name"):
            result.errors.append(gettext("Last name is missing."))
        if data.get("email"):
            try:
                validate_email(data["email"])
            except ValidationError:
                result.errors.append(
                    gettext("“%(value)s” is not a valid e-mail address.") % {"value": data["email"]}
                )
        if raw.get("birth_date"):
            try:
                data["birth_date"] = parse_date(raw["birth_date"])
                if data["birth_date"] > timezone.localdate():
                    result.errors.append(gettext("The date of birth lies in the future."))
            except ValueError:
                result.errors.append(
                    gettext("“%(value)s” is not a date (write it as 24.11.1980).")
                    % {"value": raw["birth_date"]}
                )
        if raw.get("gender"):
            gender = GENDERS.get(_norm(raw["gender"]))
            if gender is None:
                result.errors.append(
                    gettext("Unknown gender “%(value)s” (use w, m or d).") % {"value": raw["gender"]}
                )
            else:
                data["gender"] = gender
        if raw.get("district"):
            district = districts.get(raw["district"])
            if district is None:
                result.errors.append(
                    gettext("Unknown city district “%(value)s”.") % {"value": raw["district"]}
                )
            else:
                data["district"] = district
        if raw.get("hours_per_month"):
            if (
                raw["hours_per_month"].isascii()
                and raw["hours_per_month"].isdigit()
                and 0 < int(raw["hours_per_month"]) < 200
            ):
                data["hours_per_month"] = int(raw["hours_per_month"])
            else:
                result.errors.append(
                    gettext("“%(value)s” is not a number of hours.") % {"value": raw["hours_per_month"]}
                )
        for part in re.split(r"[,;/]", raw.get("languages", "")):
            if not part.strip():
                continue
            match = re.fullmatch(r"\s*([^()]+?)\s*(?:\(([^)]*)\))?\s*", part)
            name, level_text = (match.group(1), match.group(2)) if match else (part, None)
            language = languages.get(name)
            level = LEVELS.get(_norm(level_text)) if level_text else LanguageLevel.GOOD
            if language is None:
                result.errors.append(gettext("Unknown language “%(value)s”.") % {"value": name.strip()})
            elif level is None:
                result.errors.append(gettext("Unknown language level “%(value)s”.") % {"value": level_text})
            else:
                result.languages.append((language, level))
        areas = []
        for part in re.split(r"[,;]", raw.get("help_areas", "")):
            if part.strip():
                area = help_areas.get(part)
                if area is None:
                    result.errors.append(
                        gettext("Unknown area of help “%(value)s”.") % {"value": part.strip()}
                    )
                else:
                    areas.append(area)
        if areas:
            data["help_areas"] = areas
        if not result.errors:
            candidate = Volunteer(
                organisation=organisation, **{k: v for k, v in data.items() if k != "help_areas"}
            )
            try:
                candidate.full_clean(exclude=["organisation"], validate_unique=False)
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    label = (
                        Volunteer._meta.get_field(field_name).verbose_name if field_name != "__all__" else ""
                    )
                    result.errors.extend(f"{label}: {m}" if label else m for m in messages)
        result.data = data
        _check_duplicates(result, seen)
        results.append(result)
    return results


def _check_duplicates(result: RowResult, seen: dict[tuple, int]) -> None:
    data = result.data
    condition = duplicate_candidates(
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
    )
    if condition is None:
        return
    if Volunteer.objects.filter(condition, anonymised_at__isnull=True).exists():
        # which record it matches is not said: it may belong to an organisation the importer cannot see
        result.warnings.append(
            gettext("Probably already in the register; it will be marked as a possible duplicate.")
        )
    key = (
        data.get("email", "").lower(),
        data.get("first_name", "").lower(),
        data.get("last_name", "").lower(),
    )
    if key in seen:
        result.warnings.append(gettext("Same person as in line %(line)s?") % {"line": seen[key]})
    else:
        seen[key] = result.number
