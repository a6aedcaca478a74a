"""Reading a partner's existing volunteer list (CSV or XLSX) and checking every row before anything is
written. The dry run and the import run the same checks; the import writes all rows or none."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import District, Gender, HelpArea, Language, Organisation, User
from volunteers.models import LanguageLevel, Volunteer
from volunteers.selectors import volunteer_list_visible
from volunteers.services import duplicate_candidates

# Limits for what anyone with the import permission may upload (docs/volunteers.md, "Limits"): every one keeps
# memory and time bounded for any file, whatever the file itself declares.
MAX_BYTES = 2 * 1024 * 1024  # the upload itself
MAX_ROWS = 5000  # data rows (not counting the header and empty lines)
MAX_COLUMNS = 100  # columns read; further columns are ignored
MAX_CELL_CHARS = 32767  # characters in one cell, Excel's own limit
# characters in all cells (the rows are kept in the session): an .xlsx can repeat one shared string in
# every cell, a CSV of 2 MB has at most 2,000,000
MAX_TEXT_CHARS = 4_000_000
# An .xlsx is a ZIP archive of XML files: before openpyxl opens it, the archive's declared sizes (zipfile
# never unpacks more than a member declares) and the XML's tags are counted.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # all members together, unpacked
MAX_RATIO = 100  # unpacked / packed, for a member above 1 MB unpacked; real sheets stay well below
MAX_MEMBERS = 200  # files in the archive
MAX_XML_TAGS = 1_000_000  # "<" in all members: each cell is a tag or more (5000 x 20 cells: ~610,000)
MAX_CELLS_PER_ROW = 16_384  # Excel's own limit (column XFD): openpyxl builds a whole row at once
EXCEL_MAX_ROW = 1_048_576  # rows of a valid sheet; a row numbered beyond it ends the reading


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


BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),  # Excel's "Unicode-Text": UTF-16 LE with BOM
    (b"\xfe\xff", "utf-16"),
)


def _encoding_error() -> ImportFileError:
    return ImportFileError(
        gettext(
            "The file cannot be read: its characters are in an unknown encoding. Please save it as CSV in "
            "UTF-8, UTF-16 (Excel: “Unicode-Text”) or Windows-1252 (Excel: “CSV (Trennzeichen-getrennt)”), "
            "or as an Excel file (.xlsx)."
        )
    )


def _decode(data: bytes) -> str:
    """By the byte order mark when there is one (UTF-8, UTF-16 LE or BE); otherwise UTF-8, or Windows-1252
    (Excel's CSV on German Windows). UTF-16 without a mark is recognised by its zero bytes."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as exc:
                raise _encoding_error() from exc
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):  # text in UTF-16: every other byte is zero
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise _encoding_error() from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # strict: the five bytes Windows-1252 leaves undefined are refused
    except UnicodeDecodeError as exc:
        raise _encoding_error() from exc


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


def _too_long(line: int) -> ImportFileError:
    return ImportFileError(
        gettext(
            "Line %(line)s has a field of more than %(max)s characters (or a quotation mark that is never "
            "closed)."
        )
        % {"line": line, "max": number_format(MAX_CELL_CHARS, force_grouping=True)}
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        gettext("The file has more than %(max)s rows. Please split it.") % {"max": MAX_ROWS}
    )


def read_table(*, name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows of an uploaded CSV or XLSX file, every cell as text, at most
    MAX_COLUMNS wide; a file beyond the limits above is refused with ImportFileError."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(gettext("The file is larger than 2 MB. Please split it into smaller files."))
    is_xlsx = data[:2] == b"PK" or name.lower().endswith(".xlsx")
    rows = _read_xlsx(data) if is_xlsx else _read_csv(data)
    if len(rows) < 2:
        raise ImportFileError(gettext("The file has no rows below the header row."))
    headers, body = rows[0], rows[1:]
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in body]


def _sniff_delimiter(first_line: str) -> str:
    """The separator of the header row: tab (Excel's "Unicode-Text"), semicolon (German Excel) or comma."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", "\t", ",")}
    return max(counts, key=lambda delimiter: counts[delimiter])  # on a tie the first: ";"


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text.split("\n", 1)[0]))
    rows: list[list[str]] = []
    try:
        for row in reader:
            if any(len(cell) > MAX_CELL_CHARS for cell in row):
                raise _too_long(reader.line_num)
            cells = [cell.strip() for cell in row[:MAX_COLUMNS]]
            if any(cells):
                rows.append(cells)
                if len(rows) > MAX_ROWS + 1:
                    raise _too_many_rows()
    except csv.Error as exc:  # a field above the csv module's own limit (131,072 characters)
        raise _too_long(reader.line_num) from exc
    return rows


def _check_package(data: bytes) -> None:
    """Refuse an archive that would unpack to more than the limits, before anything is unpacked. zipfile
    stops every member at its declared size (a member that declares less than it holds fails its checksum),
    so the declared sizes are an upper bound; the tags are counted streamed, a megabyte at a time."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_excel() from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                gettext(
                    "The Excel file is larger than 20 MB when unpacked. Please split it into smaller files."
                )
            )
        for member in members:
            if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise ImportFileError(
                    gettext(
                        "The Excel file is packed unusually tightly and is therefore not read. Please save "
                        "it again in Excel or as CSV."
                    )
                )
        tags = 0
        for member in members:
            if member.is_dir():
                continue
            try:
                with archive.open(member) as stream:
                    tags = _count_member(stream, xml=member.filename.lower().endswith(".xml"), tags=tags)
            except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
                raise _not_excel() from exc


def _too_many_cells() -> ImportFileError:
    return ImportFileError(gettext("The Excel file has too many cells. Please split it or save it as CSV."))


def _count_member(stream, *, xml: bool, tags: int) -> int:
    """Count the tags of one archive member (a megabyte at a time) on top of `tags`. An .xml member is also
    parsed with expat, without building anything: a document type is refused (no entity expansion) and so is
    a row of more than MAX_CELLS_PER_ROW cells (openpyxl holds a whole row in memory)."""
    parser = None
    if xml:
        parser = expat.ParserCreate(namespace_separator=" ")
        cells = 0

        def start(name: str, _attributes) -> None:
            nonlocal cells
            local = name.rpartition(" ")[2]
            if local == "row":
                cells = 0
            elif local == "c":
                cells += 1
                if cells > MAX_CELLS_PER_ROW:
                    raise _too_many_cells()

        def refuse(*_args) -> None:
            raise _not_excel()

        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
    try:
        while chunk := stream.read(1024 * 1024):
            tags += chunk.count(b"<")
            if tags > MAX_XML_TAGS:
                raise _too_many_cells()
            if parser is not None:
                parser.Parse(chunk, False)
        if parser is not None:
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _not_excel() from exc
    return tags


def _not_excel() -> ImportFileError:
    return ImportFileError(gettext("The file cannot be read as an Excel file (.xlsx)."))


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser on a hostile file means "unreadable"
        raise _not_excel() from exc
    rows: list[list[str]] = []
    try:
        if not workbook.worksheets:
            raise _not_excel()
        sheet = workbook.worksheets[0]
        if not sheet._worksheet_path.lower().endswith(".xml"):
            raise _not_excel()  # the sheet read below was checked by _count_member as XML
        # the <dimension> a sheet declares is not trusted: openpyxl would pad every row to it (A1:XFD1048576
        # makes 16,384 cells a row); the bounds below are ours
        sheet.reset_dimensions()
        blank = None
        text = 0
        values_of_rows = sheet.iter_rows(
            min_row=1, max_row=EXCEL_MAX_ROW, min_col=1, max_col=MAX_COLUMNS, values_only=True
        )
        for number, values in enumerate(values_of_rows, start=1):
            if values is blank:  # openpyxl fills a gap in the row numbers with one shared empty row
                continue
            if not any(value is not None and value != "" for value in values):
                blank = values
                continue
            cells = [_cell(value) for value in values]
            lengths = [len(cell) for cell in cells]
            if max(lengths) > MAX_CELL_CHARS:
                raise _too_long(number)
            text += sum(lengths)
            if text > MAX_TEXT_CHARS:
                raise ImportFileError(
                    gettext("The file holds more than %(max)s characters of text. Please split it.")
                    % {"max": number_format(MAX_TEXT_CHARS, force_grouping=True)}
                )
            if any(cells):
                rows.append(cells)
                if len(rows) > MAX_ROWS + 1:
                    raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above
        raise _not_excel() from exc
    finally:
        workbook.close()
    # every row came MAX_COLUMNS wide: cut to the last column that holds anything
    width = max((_used_width(row) for row in rows), default=0)
    return [row[:width] for row in rows]


def _used_width(row: list[str]) -> int:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return end


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


class ImportRowForm(forms.Form):
    """One row of an imported list, its cells as text (`data`: {field: cell} for the mapped columns). The
    form holds every message and limit of the import's check; `values()` is what the row would import and
    `messages()` its errors in the order of the columns. `lookups` are the reference data by name
    (`_Lookup` of District, Language and HelpArea, built once for all rows)."""

    TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "address", "notes")
    HOURS_LIMITS = (1, 199)  # hours per month a row may give

    first_name = forms.CharField(required=True, error_messages={"required": _("First name is missing.")})
    last_name = forms.CharField(required=True, error_messages={"required": _("Last name is missing.")})
    email = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    address = forms.CharField(required=False)
    notes = forms.CharField(required=False)
    birth_date = forms.CharField(required=False)
    gender = forms.CharField(required=False)
    district = forms.CharField(required=False)
    hours_per_month = forms.CharField(required=False)
    languages = forms.CharField(required=False)
    help_areas = forms.CharField(required=False)

    def __init__(
        self, data: dict[str, str], *, columns: dict[str, str], lookups: dict[str, "_Lookup"], **kwargs
    ):
        self.raw = dict(data)
        self.nul_errors = []
        for key, value in data.items():
            if "\x00" in value:  # PostgreSQL stores no NUL: refused here, not a 500 on saving or looking up
                self.nul_errors.append(
                    gettext("Column “%(column)s” contains invalid characters.") % {"column": columns[key]}
                )
                self.raw[key] = ""
        super().__init__(self.raw, **kwargs)
        self.lookups = lookups

    def clean_email(self) -> str:
        value = self.cleaned_data["email"]
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    gettext("“%(value)s” is not a valid e-mail address.") % {"value": value}
                ) from None
        return value

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data["birth_date"]
        if not value:
            return None
        try:
            birth_date = parse_date(value)
        except ValueError:
            raise ValidationError(
                gettext("“%(value)s” is not a date (write it as 24.11.1980).") % {"value": value}
            ) from None
        if birth_date > timezone.localdate():
            raise ValidationError(gettext("The date of birth lies in the future."))
        return birth_date

    def clean_gender(self) -> str | None:
        value = self.cleaned_data["gender"]
        if value and _norm(value) not in GENDERS:
            raise ValidationError(gettext("Unknown gender “%(value)s” (use w, m or d).") % {"value": value})
        return GENDERS.get(_norm(value)) if value else None

    def clean_district(self) -> District | None:
        value = self.cleaned_data["district"]
        district = self.lookups["district"].get(value) if value else None
        if value and district is None:
            raise ValidationError(gettext("Unknown city district “%(value)s”.") % {"value": value})
        return district

    def clean_hours_per_month(self) -> int | None:
        value = self.cleaned_data["hours_per_month"]
        if not value:
            return None
        low, high = self.HOURS_LIMITS
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            raise ValidationError(gettext("“%(value)s” is not a number of hours.") % {"value": value})
        return int(value)

    def clean_languages(self) -> list[tuple[Language, str]]:
        found, errors = [], []
        for part in re.split(r"[,;/]", self.cleaned_data["languages"]):
            if not part.strip():
                continue
            match = re.fullmatch(r"\s*([^()]+?)\s*(?:\(([^)]*)\))?\s*", part)
            name, level_text = (match.group(1), match.group(2)) if match else (part, None)
            language = self.lookups["language"].get(name)
            level = LEVELS.get(_norm(level_text)) if level_text else LanguageLevel.GOOD
            if language is None:
                errors.append(gettext("Unknown language “%(value)s”.") % {"value": name.strip()})
            elif level is None:
                errors.append(gettext("Unknown language level “%(value)s”.") % {"value": level_text})
            else:
                found.append((language, level))
        if errors:
            raise ValidationError(errors)
        return found

    def clean_help_areas(self) -> list[HelpArea]:
        found, errors = [], []
        for part in re.split(r"[,;]", self.cleaned_data["help_areas"]):
            if part.strip():
                area = self.lookups["help_area"].get(part)
                if area is None:
                    errors.append(gettext("Unknown area of help “%(value)s”.") % {"value": part.strip()})
                else:
                    found.append(area)
        if errors:
            raise ValidationError(errors)
        return found

    def values(self) -> dict[str, Any]:
        """The values the row would import: its text cells as they are, the others once understood."""
        data: dict[str, Any] = {key: self.raw[key] for key in self.TEXT_FIELDS if key in self.raw}
        cleaned = getattr(self, "cleaned_data", {})
        for key in ("birth_date", "gender", "district", "hours_per_month", "help_areas"):
            if cleaned.get(key):
                data[key] = cleaned[key]
        return data

    def model_errors(self, organisation: Organisation) -> list[str]:
        """What the volunteer model itself refuses (lengths, choices), named by the field's label."""
        candidate = Volunteer(
            organisation=organisation, **{k: v for k, v in self.values().items() if k != "help_areas"}
        )
        try:
            candidate.full_clean(exclude=["organisation"], validate_unique=False)
        except ValidationError as exc:
            return [
                f"{Volunteer._meta.get_field(name).verbose_name}: {m}" if name != "__all__" else m
                for name, messages in exc.message_dict.items()
                for m in messages
            ]
        return []

    def messages(self) -> list[str]:
        field_errors = [str(m) for name in self.fields for m in self.errors.get(name, [])]
        return [*self.nul_errors, *field_errors]


def check_rows(
    *,
    headers: list[str],
    rows: list[list[str]],
    mapping: dict[str, int],
    organisation: Organisation,
    user: User,
) -> list[RowResult]:
    """Every row's outcome: the values it would import, or each error with the row's line number
    (`ImportRowForm` checks a row). A probable duplicate is named only when `user` may see the record it
    matches."""
    visible = volunteer_list_visible(user=user)
    lookups = {"district": _Lookup(District), "language": _Lookup(Language), "help_area": _Lookup(HelpArea)}
    columns = {key: headers[index] for key, index in mapping.items()}
    seen: dict[tuple, int] = {}
    results = []
    for offset, cells in enumerate(rows):
        raw = {key: cells[index].strip() for key, index in mapping.items() if index < len(cells)}
        form = ImportRowForm(raw, columns=columns, lookups=lookups)
        form.is_valid()
        result = RowResult(
            number=offset + 2,
            name=f"{raw.get('first_name', '')} {raw.get('last_name', '')}".strip(),
            errors=form.messages(),
            data=form.values(),
            languages=form.cleaned_data.get("languages", []),
        )
        if not result.errors:
            result.errors = form.model_errors(organisation)
        _check_duplicates(result, seen, visible)
        results.append(result)
    return results


def _check_duplicates(result: RowResult, seen: dict[tuple, int], visible: QuerySet[Volunteer]) -> None:
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
    if visible.filter(condition).exists():
        # only the importer's own scope: a match in another organisation must look like an unknown person
        # (else the import is an oracle for who is registered elsewhere). Such a row is still flagged on
        # import, silently, by volunteer_create (as a public sign-up is), for the FWZ's duplicates page.
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
