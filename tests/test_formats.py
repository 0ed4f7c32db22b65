"""How numbers read: one formatter for money, durations, counts, tokens, FLOPs and days."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.render.formats import (count, days_text, decimals, flops, percent, power_of_ten,
                                    seconds, significant, signed, tokens, usd)


@pytest.mark.parametrize(("value", "text"), [
    (0, "$0"), (0.00012, "$0.00012"), (0.0001, "$0.0001"), (0.011, "$0.011"),
    (0.0135, "$0.013"), (0.05, "$0.05"), (0.5, "$0.50"), (1, "$1.00"), (1.25, "$1.25"),
    (12.345, "$12.35"), (100, "$100"), (1706.4, "$1,706"), (2_500_000, "$2,500,000"),
    (-0.011, "−$0.011"),
])
def test_money_has_sensible_significant_digits(value, text):
    assert usd(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (0.000125, "$0.000125"), (0.0135, "$0.0135"), (1706.5, "$1,706.5"), (0.5, "$0.50"),
])
def test_exact_money_states_the_value(value, text):
    assert usd(value, exact=True) == text


@pytest.mark.parametrize(("value", "text"), [
    (0.001234, "0.0012 s"), (0.1, "0.1 s"), (0.35, "0.35 s"), (1, "1 s"), (2.28, "2.3 s"),
    (35, "35 s"), (119, "119 s"), (150, "2.5 min"), (300, "5 min"), (3600, "60 min"),
    (7200, "2 h"), (9000, "2.5 h"),
])
def test_durations_read_in_seconds_minutes_or_hours(value, text):
    assert seconds(value) == text


@pytest.mark.parametrize(("value", "text"), [(2.28, "2.28 s"), (150.5, "150.5 s"),
                                              (300, "5 min")])
def test_exact_durations_never_round_across_a_threshold(value, text):
    assert seconds(value, exact=True) == text


@pytest.mark.parametrize(("function", "value", "text"), [
    (count, 304_878.4, "304,878"),
    (tokens, 850, "850 tokens"), (tokens, 12_400, "12,400 tokens"),
    (tokens, 3_200_000, "3.2 million tokens"), (tokens, 1.5e9, "1.5 billion tokens"),
    (flops, 1.9e13, "1.9 × 10¹³ FLOPs"), (flops, 4.8e17, "4.8 × 10¹⁷ FLOPs"),
    (flops, 123, "123 FLOPs"), (flops, None, "unknown"),
    (power_of_ten, 2.5e-7, "2.5 × 10⁻⁷"),
    (days_text, 0.01, "under an hour"), (days_text, 0.3, "7.2 hours"), (days_text, 1, "1 day"),
    (days_text, 2.5, "2.5 days"), (days_text, 365, "365 days"), (days_text, 800, "2.2 years"),
    (percent, 0.345, "34%"), (signed, -0.03, "−0.03"), (signed, 0.12, "+0.12"),
])
def test_counts_tokens_flops_days_and_shares(function, value, text):
    assert function(value) == text


@pytest.mark.parametrize(("value", "places"), [(10, 0), (0.5, 1), (0.00012, 5), (1234.25, 2)])
def test_decimals_needed_to_show_a_value(value, places):
    assert decimals(value) == places


@given(st.floats(min_value=1e-9, max_value=1e12, allow_nan=False))
def test_no_scientific_notation_or_si_prefix_anywhere(value):
    for text in (usd(value), usd(value, exact=True), seconds(value), significant(value),
                 count(value), tokens(value), days_text(value / 1e6)):
        assert not re.search(r"\de[+-]?\d|µ|\dk\b|\dM\b", text), text
