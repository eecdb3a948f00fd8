"""Spreadsheet output shared by every report: CSV (UTF-8 with a byte order mark, streamed,
cells neutralised against formula injection) and XLSX (openpyxl: one sheet per section,
typed cells, the header row frozen).

A row is a sequence of Python values: str, int, Decimal, float, date, datetime, bool or
None, or a number with its display format (Formatted, Percent). The CSV writes them as text
(dates in ISO 8601, numbers with a dot, text that starts like a formula behind a quote); the
XLSX keeps their type so a spreadsheet can sort and sum them, and stores text as text
cells, which no spreadsheet evaluates.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0%"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
# Excel's limits: a sheet name of 31 characters without []:*?/\, a cell of 32767.
_SHEET_NAME_LIMIT = 31
_CELL_LIMIT = 32767


@dataclass(frozen=True)
class Formatted:
    """A number with the format a spreadsheet shows it in (e.g. "0.0" for an average of
    ratings); the CSV writes the bare number."""

    value: int | float | Decimal | None
    number_format: str = "General"


@dataclass(frozen=True)
class Percent(Formatted):
    """A share from 0 to 1: a number cell shown as a percentage ("42%" in the CSV)."""

    number_format: str = PERCENT_FORMAT


def neutralise(value: str) -> str:
    """Text that a spreadsheet shows as typed instead of running it: a leading quote before
    a formula character (OWASP's advice for CSV injection)."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(value) -> str:
    """A value as a CSV cell: text neutralised, dates in ISO 8601, None empty."""
    if isinstance(value, Percent):
        return "" if value.value is None else f"{float(value.value) * 100:.0f}%"
    if isinstance(value, Formatted):
        return csv_text(value.value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number is never a formula, even when negative
    return neutralise(str(value))


def csv_stream(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The lines of a CSV file, the first with a byte order mark, one row at a time (for a
    streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BOM + line([neutralise(str(h)) for h in header])
    for row in rows:
        yield line([csv_text(value) for value in row])


@dataclass
class Sheet:
    """One sheet of a workbook: a title, a header row and rows of typed values. `widths`
    gives column widths in characters (guessed from the header when not given)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique in the workbook."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    name = name[:_SHEET_NAME_LIMIT] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = name[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _cell(sheet, value, bold: bool = False):
    number_format = None
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if isinstance(value, str):
        value = value[:_CELL_LIMIT]
    elif isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)  # Excel has no time zones: reports give UTC
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula: a text cell is never evaluated, and
        # keeps what was typed.
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00" if value == value.quantize(Decimal("0.01")) else "General"
    if number_format is not None and value is not None:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(sheets: Sequence[Sheet], title: str = "", language: str = "") -> bytes:
    """A workbook with one sheet per section, written row by row (openpyxl's write-only
    mode keeps little in memory)."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.language = language
    book.properties.creator = "City Exchange"
    taken: set[str] = set()
    for spec in sheets:
        sheet = book.create_sheet(sheet_title(spec.title, taken))
        sheet.freeze_panes = "A2"
        widths = spec.widths or [max(12, min(40, len(str(h)) + 4)) for h in spec.header]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_cell(sheet, str(h), bold=True) for h in spec.header])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
