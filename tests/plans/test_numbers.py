"""Numbers as people type them in English, Dutch and French: amounts and quantities."""

from decimal import Decimal

import pytest
from babel import Locale

from exchange.plans.forms import parse_number, plain_number


@pytest.mark.parametrize(
    ("locale", "typed", "number"),
    [
        ("en", "12500", "12500"),
        ("en", "12500.50", "12500.50"),
        ("en", "12,500.50", "12500.50"),
        ("en", "12,500", "12500"),  # the English thousands separator
        ("en", "12.500", "12.5"),  # the English decimal mark
        ("en", "0,5", "0.5"),  # a comma not followed by three digits is a decimal mark
        ("en", "1,234,567", "1234567"),
        ("nl", "12.500", "12500"),  # the Dutch thousands separator
        ("nl", "12.500,50", "12500.50"),
        ("nl", "12500,50", "12500.50"),
        ("nl", "12500.50", "12500.50"),  # a dot with two decimals can only be a decimal mark
        ("nl", "1.234.567,8", "1234567.8"),
        ("fr", "12 500,50", "12500.50"),
        ("fr", "12\u202f500,50", "12500.50"),
        ("fr", "12.5", "12.5"),
        ("fr", "€ 1 000", "1000"),
        ("en", "-3.25", "-3.25"),
        ("en", "−3", "-3"),  # the minus sign a word processor puts
        ("en", "+7", "7"),
    ],
)
def test_numbers_are_read_as_typed_in_the_readers_language(locale, typed, number):
    assert parse_number(typed, Locale.parse(locale)) == Decimal(number)


@pytest.mark.parametrize(
    "typed",
    ["abc", "12,50.5", "1.2.3,4,5", "12.", "1e5", "NaN", "Infinity", "--3", "12,5.000,1", "½"],
)
def test_anything_else_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed, Locale.parse("en"))


@pytest.mark.parametrize(
    ("locale", "number", "shown"),
    [
        ("en", "12500.50", "12500.5"),
        ("nl", "12500.50", "12500,5"),
        ("fr", "40.0000", "40"),
        ("en", "1E+2", "100"),
        ("nl", "-0.2500", "-0,25"),
    ],
)
def test_a_saved_number_is_shown_so_that_saving_it_again_reads_it_back(locale, number, shown):
    reader = Locale.parse(locale)
    assert plain_number(Decimal(number), reader) == shown
    assert parse_number(shown, reader) == Decimal(number)
