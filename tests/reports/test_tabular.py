"""Spreadsheet output: CSV cells neutralised and typed as text, XLSX cells typed."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exchange.reports.tabular import (
    BOM,
    Formatted,
    Percent,
    Sheet,
    csv_stream,
    csv_text,
    neutralise,
    sheet_title,
    xlsx_bytes,
)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_text_that_starts_like_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Mechelen", "a=b", "1-1", "'quoted"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text


def test_values_as_csv_cells():
    assert csv_text(None) == ""
    assert csv_text(True) == "1"
    assert csv_text(-3) == "-3"  # a number is not a formula
    assert csv_text(Decimal("-1.50")) == "-1.50"
    assert csv_text(dt.date(2025, 3, 1)) == "2025-03-01"
    assert csv_text(dt.datetime(2025, 3, 1, 9, 5)) == "2025-03-01 09:05"
    assert csv_text(Percent(0.425)) == "42%"
    assert csv_text(Percent(None)) == ""
    assert csv_text(Formatted(Decimal("3.5"), "0.0")) == "3.5"


def test_csv_stream_starts_with_a_bom_and_quotes_what_needs_it():
    lines = list(csv_stream(["Name", "=Header"], [("a, b", 1), ("=cmd", None)]))
    assert lines[0].startswith(BOM)
    assert len(lines) == 3
    rows = list(csv.reader(io.StringIO("".join(lines).removeprefix(BOM))))
    assert rows == [["Name", "'=Header"], ["a, b", "1"], ["'=cmd", ""]]


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("Risks", taken) == "Risks"
    assert sheet_title("risks", taken) == "risks (2)"
    assert sheet_title("a/b:c?", taken) == "a b c"
    long = sheet_title("x" * 40, taken)
    assert len(long) == 31
    assert len(sheet_title("x" * 40, taken)) == 31


def test_xlsx_cells_keep_their_types():
    sheet = Sheet(
        "Data",
        ["Text", "Day", "Moment", "Count", "Money", "Share", "Average"],
        [
            (
                "=1+1",
                dt.date(2025, 3, 1),
                dt.datetime(2025, 3, 1, 9, 5, tzinfo=dt.UTC),
                7,
                Decimal("1500.50"),
                Percent(0.25),
                Formatted(3.5, "0.0"),
            ),
            ("", None, None, None, None, Percent(None), Formatted(None, "0.0")),
        ],
    )
    book = load_workbook(io.BytesIO(xlsx_bytes([sheet], title="T", language="nl")))
    assert book.properties.title == "T"
    data = book["Data"]
    assert data.freeze_panes == "A2"
    text, day, moment, count, money, share, average = data[2]
    assert text.value == "=1+1" and text.data_type == "s"
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert moment.is_date and moment.value == dt.datetime(2025, 3, 1, 9, 5)
    assert count.value == 7 and count.data_type == "n"
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    assert share.value == 0.25 and share.number_format == "0%"
    assert average.value == 3.5 and average.number_format == "0.0"
    assert [c.value for c in data[3]][5:] == [None, None]
